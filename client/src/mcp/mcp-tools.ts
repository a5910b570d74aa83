/**
 * The MCP server's tools, each a thin call into the operations layer: the operation's own zod
 * input schema, an output schema, the standard annotations, and a description written for the model
 * that will choose it. Results are JSON (text and structuredContent); failures are tool errors
 * carrying the library's stable `{ code, message }`, so an agent can tell "Ollama is down" from "no
 * such model". Long pulls report MCP progress.
 */
import { type CallToolResult, McpServer } from "@modelcontextprotocol/server";
import type { DelegateOptions } from "../agent/delegate.ts";
import { Router } from "../agent/router.ts";
import type { IndexResult } from "../catalog/get-index.ts";
import { askSelection } from "../gateway/model-names.ts";
import {
  AskInput,
  createOperations,
  InstallInput,
  ListModelsInput,
  type Operations,
  RecommendInput,
  RemoveInput,
  StatusInput,
  UpdateInput,
} from "../operations/index.ts";
import type { Runtime } from "../runtimes/runtime.ts";
import { VERSION } from "../version.ts";
import { registerEverydayTools } from "./everyday-tools.ts";
import * as out from "./output-schemas.ts";
import { registerPublishTool } from "./publish-tool.ts";
import { failed, ok, progressNotifier, tool } from "./tool-result.ts";

export interface McpDeps {
  runtime: Runtime;
  loadIndex?(refresh?: boolean): Promise<IndexResult>;
  /** The Router to use (default: one of this server's own). */
  router?: Router;
  /** Merged into every delegation (tests inject runtimes and a config). */
  delegate?: Partial<DelegateOptions>;
}

const readOnly = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

export function createMcpServer(deps: McpDeps): McpServer {
  const router = deps.router ?? new Router(deps.loadIndex ? { loadIndex: deps.loadIndex } : {});
  const ops: Operations = createOperations({ router, runtime: deps.runtime });
  const server = new McpServer({ name: "small-llm", version: VERSION });

  server.registerTool(
    "list_models",
    {
      title: "Search the catalogue",
      description:
        "Search the small-llm-index catalogue of small open LLMs (below 1B and 1B–8B parameters) from the Hugging Face Hub. " +
        "Returns entries with parameters, context length, license, tasks, downloads and Ollama install refs; with `fits`, the best quant that fits and its memory. At most 20 unless `limit` says otherwise.",
      inputSchema: ListModelsInput,
      outputSchema: out.ListModelsOutput,
      annotations: { ...readOnly, openWorldHint: true },
    },
    tool(async (args, ctx) => {
      const { models, index } = await ops.listModels({ limit: 20, ...args }, ctx.mcpReq.signal);
      return { models, index };
    }),
  );

  server.registerTool(
    "recommend_model",
    {
      title: "Recommend models for this machine",
      description:
        "Recommend the best small models for this machine (or for the hardware named by `fits`), best first: those that answer at a usable speed (`minSpeed`, default 8 tokens/s) before those that do not, each with the quant to run, its Ollama ref, its tokens/s (measured here or estimated), the memory it needs, the download and why.",
      inputSchema: RecommendInput,
      outputSchema: out.RecommendOutput,
      annotations: { ...readOnly, openWorldHint: true },
    },
    tool(async (args, ctx) => ({ ...(await ops.recommend({ limit: 5, ...args }, ctx.mcpReq.signal)) })),
  );

  server.registerTool(
    "install_local_model",
    {
      title: "Install a model",
      description:
        "Download a model into the local Ollama (its default quant, or `quant`), after checking that it fits this machine's disk and memory (`force` skips that). Can take minutes; reports progress notifications when a progressToken is given. Re-running resumes an interrupted download.",
      inputSchema: InstallInput,
      outputSchema: out.InstallOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    tool(async (args, ctx) => ({
      installed: await ops.install(args, { signal: ctx.mcpReq.signal, onProgress: progressNotifier(ctx) }),
    })),
  );

  server.registerTool(
    "update_model",
    {
      title: "Update models",
      description:
        "Re-pull an installed model (or every installed model with `all`) and report for each whether it changed (digest before and after).",
      inputSchema: UpdateInput,
      outputSchema: out.UpdateOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    tool(async (args, ctx) => ({
      results: await ops.update(args, { signal: ctx.mcpReq.signal, onProgress: progressNotifier(ctx) }),
    })),
  );

  server.registerTool(
    "remove_model",
    {
      title: "Remove a model",
      description: "Delete an installed model from the local Ollama to free disk space.",
      inputSchema: RemoveInput,
      outputSchema: out.RemoveOutput,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    },
    tool(async (args, ctx) => ({ ...(await ops.remove(args, ctx.mcpReq.signal)) })),
  );

  server.registerTool(
    "list_installed",
    {
      title: "List installed models",
      description:
        "The models installed in the local Ollama: name (the ref to run), size, quant, digest, and the index id each belongs to.",
      inputSchema: StatusInput,
      outputSchema: out.ListInstalledOutput,
      annotations: readOnly,
    },
    tool(async (_args, ctx) => ({ models: await ops.listInstalled(ctx.mcpReq.signal) })),
  );

  server.registerTool(
    "delegate",
    {
      title: "Ask a small local model",
      description:
        "Hand a prompt to a small local model and get its answer, to save your own tokens on routine work (summaries, " +
        "classification, extraction, translation, boilerplate code). `task` picks a chain of suitable installed models with " +
        "fallback and retries; the result says which model answered, whether it succeeded (else `error.code`), latency, " +
        "tokens and tokens/s. `model` may name an installed model, an index id, `auto`, `task/<task>`, a provider-prefixed " +
        "name (`ollama/…`, `lm_studio/…`) or a chain of the user's config. Check the answer: small models are fast, not infallible.",
      inputSchema: AskInput,
      outputSchema: out.DelegateOutput,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async (args, ctx): Promise<CallToolResult> => {
      try {
        // `model` takes the gateway's forms too: `auto`, `task/coding`, `ollama/…`, `lm_studio/…`, a chain of config.json.
        const form = args.model
          ? await askSelection(args.model, {
              router,
              config: deps.delegate?.config ?? router.config(),
              defaults: deps.delegate,
              pull: args.pull ?? false,
              signal: ctx.mcpReq.signal,
            })
          : undefined;
        const { model: _model, ...rest } = args;
        const response = await ops.ask(form ? { ...rest, ...form } : args, {
          defaults: deps.delegate,
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
      title: "Local runtime status",
      description:
        "Is the local Ollama reachable (version, installed and loaded models), which other local runtimes answer, what hardware this machine has, and which copy of the index is in use and how old it is.",
      inputSchema: StatusInput,
      outputSchema: out.StatusOutput,
      annotations: readOnly,
    },
    tool(async (_args, ctx) => ({ ...(await ops.status({ signal: ctx.mcpReq.signal })) })),
  );

  registerEverydayTools(server, ops);
  registerPublishTool(server);
  return server;
}
