/**
 * The agent layer over HTTP: `POST /api/ask` hands a prompt to the ask operation (the task's chain,
 * fallbacks, retries) and streams its tokens; `GET /api/metrics` summarises the usage log.
 */
import { z } from "zod";
import { summarizeMetrics } from "../agent/lazy.ts";
import { AskInput } from "../operations/index.ts";
import { sendJson } from "./api-error.ts";
import { sendProgress, streamed } from "./event-stream.ts";
import { parseQuery } from "./query.ts";
import { readJsonBody } from "./request-body.ts";
import type { Route } from "./router.ts";

const MetricsQuery = z.object({
  days: z.coerce.number().positive().optional(),
  by: z.enum(["model", "task"]).optional(),
});

export const agentRoutes: Route[] = [
  {
    method: "POST",
    path: "/api/ask",
    async handle({ req, res, ctx }) {
      const body = await readJsonBody(req, AskInput);
      await streamed(req, res, "response", (stream) =>
        ctx.ops.ask(body, {
          defaults: ctx.delegate,
          signal: stream.signal,
          onToken: (text) => stream.send("token", { text }),
          onThinking: (text) => stream.send("thinking", { text }),
          // A failed attempt's tokens were streamed too: this says to discard them.
          onAttempt: (attempt) => stream.send("attempt", { attempt }),
          onPull: (ref) => stream.send("pull", { ref }),
          onProgress: (p) => sendProgress(stream, p),
        }),
      );
    },
  },
  {
    method: "GET",
    path: "/api/metrics",
    async handle({ res, url }) {
      const q = parseQuery(url, MetricsQuery);
      sendJson(res, 200, await summarizeMetrics({ days: q.days, by: q.by }));
    },
  },
];
