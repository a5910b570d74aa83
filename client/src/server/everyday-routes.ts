/**
 * What an Ollama user does every day, over HTTP: a chat turn (streamed), what is loaded and
 * unloading it, and updating Ollama itself (streamed steps and download progress) — the same
 * operations as `small-llm chat`, `ps`, `stop` and `update-ollama`.
 */
import { ChatInput, StopInput, UpdateOllamaInput } from "../operations/index.ts";
import { sendJson } from "./api-error.ts";
import { generationHooks, streamed } from "./event-stream.ts";
import { readJsonBody } from "./request-body.ts";
import type { Route } from "./router.ts";

export const everydayRoutes: Route[] = [
  {
    method: "POST",
    path: "/api/chat",
    async handle({ req, res, ctx }) {
      const body = await readJsonBody(req, ChatInput);
      await streamed(req, res, "result", (stream) => ctx.ops.chat(body, generationHooks(stream)));
    },
  },
  {
    method: "GET",
    path: "/api/ps",
    async handle({ res, ctx }) {
      sendJson(res, 200, await ctx.ops.loaded());
    },
  },
  {
    method: "POST",
    path: "/api/stop",
    async handle({ req, res, ctx }) {
      sendJson(res, 200, await ctx.ops.stop(await readJsonBody(req, StopInput)));
    },
  },
  {
    method: "POST",
    path: "/api/ollama/update",
    async handle({ req, res, ctx }) {
      const body = await readJsonBody(req, UpdateOllamaInput);
      await streamed(req, res, "result", (stream) =>
        ctx.ops.updateOllama(body, {
          signal: stream.signal,
          onStep: (text) => stream.send("step", { text }),
          onProgress: (p) => stream.send("progress", { ...p }),
        }),
      );
    },
  },
];
