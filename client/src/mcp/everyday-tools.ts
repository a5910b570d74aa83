/**
 * MCP tools for what an Ollama user does every day: which models are loaded (and how much of each
 * sits on the GPU), unloading one, and updating Ollama itself — the operations behind
 * `small-llm ps`, `stop` and `update-ollama`.
 */
import type { McpServer } from "@modelcontextprotocol/server";
import { z } from "zod";
import { type Operations, StatusInput, StopInput, UpdateOllamaInput } from "../operations/index.ts";
import { progressNotifier, tool } from "./tool-result.ts";

const loose = z.looseObject;

export function registerEverydayTools(server: McpServer, ops: Operations): void {
  server.registerTool(
    "loaded_models",
    {
      title: "Models loaded in memory",
      description:
        "The models the local Ollama holds in memory now (Ollama's /api/ps): size, how much sits on the GPU (`processor`, e.g. `100% GPU` or `48%/52% CPU/GPU`), context length and when each unloads.",
      inputSchema: StatusInput,
      outputSchema: z.object({
        models: z.array(
          loose({ name: z.string(), sizeBytes: z.number(), processor: z.string(), expiresAt: z.string() }),
        ),
      }),
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    tool(async (_args, ctx) => ({ models: await ops.loaded(ctx.mcpReq.signal) })),
  );

  server.registerTool(
    "stop_model",
    {
      title: "Unload a model",
      description:
        "Unload a model from memory now (Ollama keep_alive 0), freeing RAM or VRAM; it stays installed. Says whether it was loaded.",
      inputSchema: StopInput,
      outputSchema: z.object({ model: z.string(), wasLoaded: z.boolean() }),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    tool(async (args, ctx) => ({ ...(await ops.stop(args, ctx.mcpReq.signal)) })),
  );

  server.registerTool(
    "update_ollama",
    {
      title: "Update Ollama",
      description:
        "Compare the installed Ollama with its latest release (`check: true` stops there). An Ollama small-llm installed is updated in place: verified download, switch, restart, and a roll back if the new one does not answer. One installed another way (Homebrew, the Linux installer, the desktop app) is only described, with its official way to update. Can take minutes; reports download progress when a progressToken is given.",
      inputSchema: UpdateOllamaInput,
      outputSchema: loose({
        latest: z.string(),
        installed: z.string().optional(),
        updateAvailable: z.boolean(),
        updated: z.boolean(),
        managed: z.boolean(),
      }),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    tool(async (args, ctx) => ({
      ...(await ops.updateOllama(args, { signal: ctx.mcpReq.signal, onProgress: progressNotifier(ctx) })),
    })),
  );
}
