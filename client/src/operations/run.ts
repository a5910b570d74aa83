/**
 * Run a prompt on a model by the name a person gives (index id or runtime ref): an index id runs
 * whichever of its quants is installed, a missing model is pulled first (after the pre-flight)
 * unless the caller said not to, and every run is one line in the usage metrics (no prompt text).
 */
import { z } from "zod";
import { type CallHooks, type OperationContext, parseInput } from "./context.ts";
import { type GenerateHooks, type GenerateResult, generate } from "./generate.ts";
import { modelName } from "./models.ts";

const runOptions = z
  .record(z.string(), z.unknown())
  .optional()
  .describe("Ollama options, e.g. { temperature: 0.2, num_ctx: 8192 } (`small-llm options` lists them)");
const runFormat = z
  .union([z.literal("json"), z.record(z.string(), z.unknown())])
  .optional()
  .describe('"json", or a JSON Schema the answer must follow');
const runThink = z
  .union([z.boolean(), z.enum(["low", "medium", "high"])])
  .optional()
  .describe("Let a thinking model think first (true, or low/medium/high); false turns thinking off");

/** What a generation takes besides its model and its input: `run` and a `chat` turn alike. */
export const generationFields = {
  system: z.string().max(100_000).optional().describe("A system prompt"),
  options: runOptions,
  format: runFormat,
  think: runThink,
  quant: z.string().trim().min(1).max(40).optional().describe("Which quant to install and run"),
  pull: z.boolean().optional().describe("Install the model first when it is missing (default true)"),
  force: z.boolean().optional().describe("Pull even when the pre-flight says it will not fit"),
};

export const RunInput = z.strictObject({
  model: modelName,
  prompt: z.string().min(1).max(1_000_000).describe("The prompt"),
  ...generationFields,
});
export type RunInput = z.input<typeof RunInput>;

export async function runModel(
  ctx: OperationContext,
  raw: RunInput,
  hooks: CallHooks & GenerateHooks = {},
): Promise<GenerateResult> {
  const { prompt, ...spec } = parseInput(RunInput, raw, ctx);
  return generate(ctx, { kind: "run", ...spec }, prompt, hooks);
}
