/**
 * The MCP server's tools, each a thin call into the library with a zod input schema and a
 * description written for the model that will choose it. Results are JSON (text and
 * structuredContent); failures are tool errors carrying the library's stable `{ code, message }`,
 * so an agent can tell "Ollama is down" from "no such model". Long pulls report MCP progress.
 */
import { type CallToolResult, McpServer, type ServerContext } from "@modelcontextprotocol/server";
import { z } from "zod";
import type { Index } from "../../../schema/index.ts";
import { type DelegateOptions, delegate } from "../agent/delegate.ts";
import { TASK_NAMES } from "../agent/tasks.ts";
import type { IndexResult } from "../catalog/get-index.ts";
import { budgetsForFits, checkTier, TASK_TAGS } from "../catalog/model-filters.ts";
import { queryModels, SORTS } from "../core/query-models.ts";
import { recommendReport } from "../recommend/recommend-report.ts";
import { localStatus } from "../runtimes/local-status.ts";
import { installModel, listInstalled, removeModel, updateModels } from "../runtimes/manage-models.ts";
import type { PullProgress, Runtime } from "../runtimes/runtime.ts";
import { errorPayload } from "../server/api-error.ts";
import { registerPublishTool } from "./publish-tool.ts";

export interface McpDeps {
  runtime: Runtime;
  loadIndex(refresh?: boolean): Promise<IndexResult>;
  /** Merged into every delegate() call (tests inject runtimes and a config). */
  delegate?: Partial<DelegateOptions>;
}

const ok = (value: Record<string, unknown>): CallToolResult => ({
  content: [{ type: "text", text: JSON.stringify(value, null, 2) }],
  structuredContent: value,
});

const failed = (error: unknown): CallToolResult => {
  const value = { error: errorPayload(error) };
  return { isError: true, content: [{ type: "text", text: JSON.stringify(value, null, 2) }], structuredContent: value };
};

/** Run a tool body; any failure becomes a tool error the model can read, not a protocol error. */
const tool =
  <A>(fn: (args: A, ctx: ServerContext) => Promise<Record<string, unknown>>) =>
  async (args: A, ctx: ServerContext): Promise<CallToolResult> => {
    try {
      return ok(await fn(args, ctx));
    } catch (error) {
      return failed(error);
    }
  };

/**
 * Pull progress as MCP progress notifications, when the caller asked for them (a progressToken).
 * The spec wants progress to grow: it is the bytes done across every layer seen so far.
 */
function progressNotifier(ctx: ServerContext): ((p: PullProgress) => void) | undefined {
  const token = ctx.mcpReq._meta?.progressToken;
  if (token === undefined) return undefined;
  const layers = new Map<string, { completed: number; total: number }>();
  let last = -1;
  return (p) => {
    if (p.digest && p.total) layers.set(p.digest, { completed: p.completed ?? 0, total: p.total });
    const done = [...layers.values()].reduce((s, l) => s + l.completed, 0);
    if (done <= last) return;
    last = done;
    const total = [...layers.values()].reduce((s, l) => s + l.total, 0);
    ctx.mcpReq
      .notify({
        method: "notifications/progress",
        params: { progressToken: token, progress: done, total, message: `${p.ref}: ${p.status}` },
      })
      .catch(() => {}); // a client that went away must not fail the pull
  };
}

const indexIfAny = (deps: McpDeps): Promise<Index | undefined> =>
  deps.loadIndex().then(
    (r) => r.index,
    () => undefined,
  );

const modelArg = z
  .string()
  .min(1)
  .describe(
    "A Hugging Face id from the index (e.g. `Qwen/Qwen2.5-0.5B-Instruct`, as list_models returns) or an Ollama ref (e.g. `hf.co/bartowski/X-GGUF:Q4_K_M`, `llama3.2`)",
  );
const tierArg = z.string().optional().describe("`sub-1b` (below 1B parameters) or `1b-8b` (1B to 8B)");
const taskArg = z.enum(TASK_TAGS).optional().describe("Only models tagged with this task");
const fitsArg = z
  .string()
  .optional()
  .describe(
    "Only what fits: `auto` (this machine), a hardware profile id such as `gpu-8gb` or `cpu-16gb`, or GB of GPU memory such as `6`",
  );

export function createMcpServer(deps: McpDeps): McpServer {
  const server = new McpServer({ name: "small-llm", version: "0.1.0" });

  server.registerTool(
    "list_models",
    {
      description:
        "Search the small-llm-index catalogue of small open LLMs (below 1B and 1B–8B parameters) from the Hugging Face Hub. " +
        "Returns entries with parameters, context length, license, tasks, downloads and Ollama install refs; with `fits`, the best quant that fits and its memory.",
      inputSchema: z.object({
        tier: tierArg,
        task: taskArg,
        search: z.string().optional().describe("Words that must all match the id, name, author, base model or family"),
        fits: fitsArg,
        installable: z.boolean().optional().describe("Only models with a GGUF build Ollama can install"),
        sort: z.enum(SORTS).optional().describe("Order (default: most downloaded first)"),
        limit: z.number().int().positive().max(500).optional().describe("At most this many (default 20)"),
      }),
    },
    tool(async (args) => {
      const { index } = await deps.loadIndex();
      checkTier(index, args.tier);
      const budgets = await budgetsForFits(index, args.fits);
      const rows = queryModels(index.models, { ...args, budgets, limit: args.limit ?? 20 });
      return {
        models: rows.map(({ model, fit }) =>
          fit
            ? { ...model, bestFit: { quant: fit.install.quant, ref: fit.install.ref, memoryBytes: fit.memoryBytes } }
            : model,
        ),
      };
    }),
  );

  server.registerTool(
    "recommend_model",
    {
      description:
        "Recommend the best small models for this machine (or for the hardware named by `fits`), best first, each with the quant that fits, its Ollama ref, the memory it needs and why.",
      inputSchema: z.object({
        tier: tierArg,
        task: taskArg,
        fits: fitsArg,
        context: z.number().int().positive().optional().describe("Context length in tokens to plan for (default 4096)"),
        limit: z.number().int().positive().max(50).optional().describe("How many (default 5)"),
      }),
    },
    tool(async (args) => ({
      ...(await recommendReport(await deps.loadIndex(), {
        ...args,
        contextLength: args.context,
        limit: args.limit ?? 5,
      })),
    })),
  );

  server.registerTool(
    "install_local_model",
    {
      description:
        "Download a model into the local Ollama (its default quant, or `quant`). Can take minutes; reports progress notifications when a progressToken is given. Re-running resumes an interrupted download.",
      inputSchema: z.object({
        model: modelArg,
        quant: z.string().optional().describe("A quant label from the model's install list, e.g. `Q8_0`"),
      }),
    },
    tool(async (args, ctx) => ({
      installed: await installModel(deps.runtime, await indexIfAny(deps), args.model, {
        quant: args.quant,
        signal: ctx.mcpReq.signal,
        onProgress: progressNotifier(ctx),
      }),
    })),
  );

  server.registerTool(
    "update_model",
    {
      description:
        "Re-pull an installed model (or every installed model with `all`) and report for each whether it changed (digest before and after).",
      inputSchema: z.object({
        model: modelArg.optional(),
        all: z.boolean().optional().describe("Update every installed model"),
      }),
    },
    tool(async (args, ctx) => ({
      results: await updateModels(deps.runtime, await indexIfAny(deps), args, {
        signal: ctx.mcpReq.signal,
        onProgress: progressNotifier(ctx),
      }),
    })),
  );

  server.registerTool(
    "remove_model",
    {
      description: "Delete an installed model from the local Ollama to free disk space.",
      inputSchema: z.object({ model: modelArg }),
    },
    tool(async (args, ctx) => ({
      removed: await removeModel(deps.runtime, await indexIfAny(deps), args.model, { signal: ctx.mcpReq.signal }),
    })),
  );

  server.registerTool(
    "list_installed",
    {
      description:
        "The models installed in the local Ollama: name (the ref to run), size, quant, digest, and the index id each belongs to.",
      inputSchema: z.object({}),
    },
    tool(async (_args, ctx) => ({
      models: await listInstalled(deps.runtime, await indexIfAny(deps), { signal: ctx.mcpReq.signal }),
    })),
  );

  server.registerTool(
    "delegate",
    {
      description:
        "Hand a prompt to a small local model and get its answer, to save your own tokens on routine work (summaries, " +
        "classification, extraction, translation, boilerplate code). `task` picks a chain of suitable installed models with " +
        "fallback and retries; the result says which model answered, whether it succeeded (else `error.code`), latency, " +
        "tokens and tokens/s. Check the answer: small models are fast, not infallible.",
      inputSchema: z.object({
        prompt: z.string().min(1).describe("The whole prompt, with any text it is about"),
        task: z
          .enum(TASK_NAMES)
          .optional()
          .describe("quick (default), coding, analysis, translation, creative, reasoning or vision"),
        model: modelArg.optional().describe("Use exactly this model instead of the task's chain"),
        system: z.string().optional().describe("A system prompt"),
        options: z
          .record(z.string(), z.unknown())
          .optional()
          .describe("Ollama options, e.g. { temperature: 0.2, num_ctx: 8192 }"),
        format: z
          .union([z.literal("json"), z.record(z.string(), z.unknown())])
          .optional()
          .describe('"json", or a JSON Schema the answer must follow (else the next model is tried)'),
        pull: z.boolean().optional().describe("Install the chain's first model when none is installed (default false)"),
      }),
    },
    async (args, ctx): Promise<CallToolResult> => {
      try {
        const index = await indexIfAny(deps);
        const { prompt, ...rest } = args;
        const response = await delegate(prompt, {
          ...deps.delegate,
          ...rest,
          ...(index ? { index } : {}),
          signal: ctx.mcpReq.signal,
          onProgress: progressNotifier(ctx),
        });
        return { ...ok({ ...response }), ...(response.success ? {} : { isError: true }) };
      } catch (error) {
        return failed(error);
      }
    },
  );

  server.registerTool(
    "runtime_status",
    {
      description:
        "Is the local Ollama reachable (version, installed and loaded models), what hardware this machine has, and which copy of the index is in use and how old it is.",
      inputSchema: z.object({}),
    },
    tool(async (_args, ctx) => ({
      ...(await localStatus([deps.runtime], () => deps.loadIndex(), { signal: ctx.mcpReq.signal })),
    })),
  );

  registerPublishTool(server);
  return server;
}
