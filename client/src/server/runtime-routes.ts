/**
 * Routes that drive the local runtime: status, installed models, install and update (streamed
 * progress, cancelled when the client disconnects), remove, run a prompt (streamed tokens), start.
 * A failure before anything streamed (an unknown model, a pre-flight refusal) keeps its HTTP status.
 */
import { z } from "zod";
import { InstallInput, RunInput, UpdateInput } from "../operations/index.ts";
import type { PullProgress } from "../runtimes/runtime.ts";
import { sendJson } from "./api-error.ts";
import { type EventStream, openEventStream } from "./event-stream.ts";
import { readJsonBody } from "./request-body.ts";
import type { Route } from "./router.ts";

/**
 * Pull progress as events. A line with no layer yet (`pulling manifest`) is held back until there
 * is more to say, so a model the registry does not have is a 404, not a 200 with an error event.
 */
export const sendProgress = (stream: EventStream, p: PullProgress) =>
  p.digest ? stream.send("progress", { ...p }) : stream.hold("progress", { ...p });

export const runtimeRoutes: Route[] = [
  {
    method: "GET",
    path: "/api/status",
    async handle({ res, ctx }) {
      sendJson(res, 200, await ctx.ops.status(ctx.others !== undefined ? { others: ctx.others } : {}));
    },
  },
  {
    method: "POST",
    path: "/api/runtime/start",
    async handle({ req, res, ctx }) {
      await readJsonBody(req, z.object({}).strict());
      sendJson(res, 200, await ctx.ops.context.runtime.ensureRunning());
    },
  },
  {
    method: "GET",
    path: "/api/installed",
    async handle({ res, ctx }) {
      sendJson(res, 200, await ctx.ops.listInstalled());
    },
  },
  {
    method: "POST",
    path: "/api/install",
    async handle({ req, res, ctx }) {
      const body = await readJsonBody(req, InstallInput);
      const stream = openEventStream(req, res);
      try {
        const installed = await ctx.ops.install(body, {
          signal: stream.signal,
          onProgress: (p) => sendProgress(stream, p),
        });
        stream.end("done", { installed });
      } catch (error) {
        stream.fail(error);
      }
    },
  },
  {
    method: "POST",
    path: "/api/update",
    async handle({ req, res, ctx }) {
      const body = await readJsonBody(req, UpdateInput);
      const stream = openEventStream(req, res);
      try {
        const results = await ctx.ops.update(body, {
          signal: stream.signal,
          onProgress: (p) => sendProgress(stream, p),
        });
        stream.end("done", { results });
      } catch (error) {
        stream.fail(error);
      }
    },
  },
  {
    method: "DELETE",
    path: "/api/installed/*",
    async handle({ res, param, ctx }) {
      sendJson(res, 200, await ctx.ops.remove({ model: param }));
    },
  },
  {
    method: "POST",
    path: "/api/run",
    async handle({ req, res, ctx }) {
      const body = await readJsonBody(req, RunInput);
      const stream = openEventStream(req, res);
      try {
        const result = await ctx.ops.run(body, {
          signal: stream.signal,
          onProgress: (p) => sendProgress(stream, p),
          onToken: (text) => stream.send("token", { text }),
          onThinking: (text) => stream.send("thinking", { text }),
        });
        stream.end("done", { result });
      } catch (error) {
        stream.fail(error);
      }
    },
  },
];
