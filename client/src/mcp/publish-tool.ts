/** The MCP `publish_model` tool: publishModel() for an agent that trained an adapter and wants to share it. */
import type { McpServer } from "@modelcontextprotocol/server";
import { z } from "zod";
import { tool } from "./tool-result.ts";

export function registerPublishTool(server: McpServer): void {
  server.registerTool(
    "publish_model",
    {
      description:
        "Upload a model from this machine to a Hugging Face model repo: a PEFT adapter folder (with adapter_config.json), a folder of GGUF files or one .gguf, or a transformers model folder. Creates the repo when missing, uploads only files that differ, writes a model card when there is none. Uses the HF_TOKEN of the machine running this server (never returned). Use dryRun first to see what would be sent.",
      inputSchema: z.object({
        path: z.string().min(1).describe("Absolute path of the model folder or .gguf file on this machine"),
        repo: z.string().min(3).describe("Target repo as owner/name, e.g. alice/qwen2.5-0.5b-pirate-lora"),
        private: z.boolean().optional().describe("Create the repo private"),
        base: z.string().optional().describe("Hub id of the base model, when the folder does not say"),
        license: z.string().optional().describe("Hub license id, e.g. apache-2.0, mit, other"),
        dryRun: z.boolean().optional().describe("Only list what would be uploaded and the card (default false)"),
      }),
      // It writes to the Hub and may replace files there; the same call again uploads nothing new.
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    },
    tool(async (args, ctx) => {
      // Loaded only when used: @huggingface/hub is not needed by the other tools.
      const { publishModel } = await import("../publish/publish-model.ts");
      return { ...(await publishModel({ ...args, signal: ctx.mcpReq.signal })) };
    }),
  );
}
