/**
 * The catalogue operations: list/search models, show one, recommend for a machine. Each has one
 * zod input schema (the MCP tools publish it as is; the CLI and the API fill it from flags and
 * query strings) and one result type.
 */
import { z } from "zod";
import type { ModelEntry } from "../../../schema/index.ts";
import { findModel } from "../catalog/find-model.ts";
import { budgetsForFits, checkTier, TASK_TAGS } from "../catalog/model-filters.ts";
import { didYouMean } from "../catalog/similar-ids.ts";
import type { MemoryBudget } from "../core/budgets.ts";
import { queryModels, SORTS } from "../core/query-models.ts";
import { UnknownModelError } from "../errors/index.ts";
import { type RecommendReport, recommendReport } from "../recommend/recommend-report.ts";
import { argName, type IndexSummary, indexSummary, type OperationContext, parseInput } from "./context.ts";

const tier = z.string().optional().describe("`sub-1b` (below 1B parameters) or `1b-8b` (1B to 8B)");
const task = z.enum(TASK_TAGS).optional().describe("Only models tagged with this task");
const fits = z
  .string()
  .optional()
  .describe(
    "Only what fits: `auto` (this machine), a hardware profile id such as `gpu-8gb`, any size of any kind (`gpu-10gb`, `apple-18gb`, `cpu-12gb`), or GB of GPU memory such as `6`",
  );
const context = z
  .number()
  .int()
  .positive()
  .max(1_048_576)
  .optional()
  .describe("Context length in tokens to plan for (default 4096)");

export const ListModelsInput = z.strictObject({
  tier,
  task,
  fits,
  license: z.string().optional().describe("Only models under this license id (e.g. `apache-2.0`)"),
  search: z
    .string()
    .max(200)
    .optional()
    .describe("Words that must all match the id, name, author, base model or family"),
  installable: z.boolean().optional().describe("Only models with a GGUF build Ollama can install"),
  sort: z.enum(SORTS).optional().describe("Order (default: most downloaded first)"),
  limit: z.number().int().positive().max(100_000).optional().describe("At most this many"),
  context,
});
export type ListModelsInput = z.input<typeof ListModelsInput>;

/** An index entry, with the best quant that fits when the call asked what fits. */
export type ModelRow = ModelEntry & { bestFit?: { quant: string; ref: string; memoryBytes: number } };

export interface ListModelsResult {
  models: ModelRow[];
  /** The budgets `fits` stood for, when given. */
  budgets?: MemoryBudget[];
  index: IndexSummary;
}

export async function listModels(
  ctx: OperationContext,
  raw: ListModelsInput,
  signal?: AbortSignal,
): Promise<ListModelsResult> {
  const input = parseInput(ListModelsInput, raw, ctx);
  const result = await ctx.router.loadIndex(false, signal);
  checkTier(result.index, input.tier, argName(ctx, "tier"));
  const budgets = await budgetsForFits(result.index, input.fits, {
    label: argName(ctx, "fits"),
    hardware: () => ctx.router.hardware(),
  });
  const rows = queryModels(result.index.models, { ...input, contextLength: input.context, budgets });
  return {
    models: rows.map(({ model, fit }) =>
      fit
        ? { ...model, bestFit: { quant: fit.install.quant, ref: fit.install.ref, memoryBytes: fit.memoryBytes } }
        : model,
    ),
    ...(budgets ? { budgets } : {}),
    index: indexSummary(result),
  };
}

export const ShowModelInput = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(300)
    .describe("A Hugging Face id from the index, e.g. `Qwen/Qwen2.5-0.5B-Instruct` (any case)"),
});
export type ShowModelInput = z.input<typeof ShowModelInput>;

export interface ShowModelResult {
  model: ModelEntry;
  index: IndexSummary;
}

export async function showModel(
  ctx: OperationContext,
  raw: ShowModelInput,
  signal?: AbortSignal,
): Promise<ShowModelResult> {
  const { id } = parseInput(ShowModelInput, raw, ctx);
  const result = await ctx.router.loadIndex(false, signal);
  const model = findModel(result.index, id);
  if (!model)
    throw new UnknownModelError(
      id,
      `not in the index; search with \`small-llm models --search <words>\`.${didYouMean(result.index, id)}`,
      { code: "not-in-index" },
    );
  return { model, index: indexSummary(result) };
}

export const RecommendInput = z.strictObject({
  tier,
  task,
  fits,
  context,
  limit: z.number().int().positive().max(500).optional().describe("How many (default 10)"),
  minSpeed: z
    .number()
    .positive()
    .max(10_000)
    .optional()
    .describe("Tokens/s a model must reach to be usable (default 8); slower ones are ranked last"),
});
export type RecommendInput = z.input<typeof RecommendInput>;

export async function recommendModels(
  ctx: OperationContext,
  raw: RecommendInput,
  signal?: AbortSignal,
): Promise<RecommendReport> {
  const input = parseInput(RecommendInput, raw, ctx);
  const result = await ctx.router.loadIndex(false, signal);
  checkTier(result.index, input.tier, argName(ctx, "tier"));
  // A bad `fits` is the caller's mistake, named as the caller wrote it.
  await budgetsForFits(result.index, input.fits === "auto" ? undefined : input.fits, { label: argName(ctx, "fits") });
  return recommendReport(result, {
    tier: input.tier,
    task: input.task,
    contextLength: input.context,
    fits: input.fits,
    limit: input.limit ?? 10,
    minSpeed: input.minSpeed,
    hardware: () => ctx.router.hardware(),
    measured: (hardware) => ctx.router.measuredHere(hardware),
  });
}
