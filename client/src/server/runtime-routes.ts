/**
 * Routes that drive the local runtime: status, installed models, install and update (streamed
 * progress, cancelled when the client disconnects), remove, run a prompt (streamed tokens), start.
 */
import { z } from "zod";
import type { Index } from "../../../schema/index.ts";
import { localStatus } from "../runtimes/local-status.ts";
import { installModel, listInstalled, refToRun, removeModel, updateModels } from "../runtimes/manage-models.ts";
import { resolveRef } from "../runtimes/resolve-target.ts";
import { runModel } from "../runtimes/run-model.ts";
import type { PullProgress } from "../runtimes/runtime.ts";
import { sendJson } from "./api-error.ts";
import { openEventStream } from "./event-stream.ts";
import { readJsonBody } from "./request-body.ts";
import type { ApiContext, Route } from "./router.ts";

/** Installing a raw Ollama ref needs no index, so an index that cannot be had is not an error here. */
const indexIfAny = (ctx: ApiContext): Promise<Index | undefined> =>
  ctx.loadIndex().then(
    (r) => r.index,
    () => undefined,
  );

const modelName = z.string().trim().min(1).max(300);
const quant = z.string().trim().min(1).max(40).optional();

const InstallBody = z.object({ model: modelName, quant }).strict();
const UpdateBody = z
  .object({ model: modelName.optional(), all: z.boolean().optional() })
  .strict()
  .refine((b) => b.model || b.all, "give a model, or all: true");
const RunBody = z
  .object({
    model: modelName,
    prompt: z.string().min(1).max(200_000),
    system: z.string().max(50_000).optional(),
    options: z.record(z.string(), z.unknown()).optional(),
    quant,
    /** Install the model first when it is missing (default true). */
    pull: z.boolean().optional(),
  })
  .strict();

const progressEvent = (p: PullProgress) => ({ ...p });

export const runtimeRoutes: Route[] = [
  {
    method: "GET",
    path: "/api/status",
    async handle({ res, ctx }) {
      const status = await localStatus([ctx.runtime], () => ctx.loadIndex(), {
        hardware: ctx.hardware,
        ...(ctx.others !== undefined ? { others: ctx.others } : {}),
      });
      sendJson(res, 200, status);
    },
  },
  {
    method: "POST",
    path: "/api/runtime/start",
    async handle({ req, res, ctx }) {
      await readJsonBody(req, z.object({}).strict());
      sendJson(res, 200, await ctx.runtime.ensureRunning());
    },
  },
  {
    method: "GET",
    path: "/api/installed",
    async handle({ res, ctx }) {
      sendJson(res, 200, await listInstalled(ctx.runtime, await indexIfAny(ctx)));
    },
  },
  {
    method: "POST",
    path: "/api/install",
    async handle({ req, res, ctx }) {
      const body = await readJsonBody(req, InstallBody);
      const index = await indexIfAny(ctx);
      resolveRef(body.model, index, body.quant); // an unknown model is a 404 before anything streams
      const stream = openEventStream(req, res);
      try {
        const installed = await installModel(ctx.runtime, index, body.model, {
          quant: body.quant,
          signal: stream.signal,
          onProgress: (p) => stream.send("progress", progressEvent(p)),
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
      const body = await readJsonBody(req, UpdateBody);
      const stream = openEventStream(req, res);
      try {
        const results = await updateModels(ctx.runtime, await indexIfAny(ctx), body, {
          signal: stream.signal,
          onProgress: (p) => stream.send("progress", progressEvent(p)),
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
      sendJson(res, 200, { removed: await removeModel(ctx.runtime, await indexIfAny(ctx), param) });
    },
  },
  {
    method: "POST",
    path: "/api/run",
    async handle({ req, res, ctx }) {
      const body = await readJsonBody(req, RunBody);
      // An index id runs whichever of its quants is installed, as the CLI's `run` does.
      const ref = await refToRun(ctx.runtime, await indexIfAny(ctx), body.model, { quant: body.quant });
      const stream = openEventStream(req, res);
      try {
        const result = await runModel(ctx.runtime, ref, body.prompt, {
          system: body.system,
          options: body.options,
          pull: body.pull,
          asTyped: body.model,
          signal: stream.signal,
          onProgress: (p) => stream.send("progress", progressEvent(p)),
          onToken: (text) => stream.send("token", { text }),
        });
        stream.end("done", { result });
      } catch (error) {
        stream.fail(error);
      }
    },
  },
];
