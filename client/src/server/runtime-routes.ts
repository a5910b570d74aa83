/**
 * Routes that drive the local runtime: status, installed models, install and update (streamed
 * progress, cancelled when the client disconnects), remove, run a prompt (streamed tokens), start.
 * A failure before anything streamed (an unknown model, a pre-flight refusal) keeps its HTTP status.
 */
import { z } from "zod";
import { InstallInput, RunInput, UpdateInput } from "../operations/index.ts";
import { sendJson } from "./api-error.ts";
import { generationHooks, sendProgress, streamed } from "./event-stream.ts";
import { readJsonBody } from "./request-body.ts";
import type { Route } from "./router.ts";

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
      await streamed(req, res, "installed", (stream) =>
        ctx.ops.install(body, { signal: stream.signal, onProgress: (p) => sendProgress(stream, p) }),
      );
    },
  },
  {
    method: "POST",
    path: "/api/update",
    async handle({ req, res, ctx }) {
      const body = await readJsonBody(req, UpdateInput);
      await streamed(req, res, "results", (stream) =>
        ctx.ops.update(body, { signal: stream.signal, onProgress: (p) => sendProgress(stream, p) }),
      );
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
      await streamed(req, res, "result", (stream) => ctx.ops.run(body, generationHooks(stream)));
    },
  },
];
