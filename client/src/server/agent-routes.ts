/**
 * The agent layer over HTTP: `POST /api/ask` hands a prompt to delegate() (the task's chain,
 * fallbacks, retries) and streams its tokens; `GET /api/metrics` summarises the usage log.
 */
import { z } from "zod";
import { type DelegateOptions, delegate } from "../agent/delegate.ts";
import { summarizeMetrics } from "../agent/lazy.ts";
import { TASK_NAMES } from "../agent/tasks.ts";
import { sendJson } from "./api-error.ts";
import { openEventStream } from "./event-stream.ts";
import { parseQuery } from "./query.ts";
import { readJsonBody } from "./request-body.ts";
import type { Route } from "./router.ts";

const Message = z
  .object({
    role: z.enum(["system", "user", "assistant", "tool"]),
    content: z.string().max(200_000),
    images: z.array(z.string()).max(8).optional(),
  })
  .strict();

const ChainEntry = z.union([
  z.string().min(1),
  z.object({ runtime: z.string().min(1), model: z.string().min(1) }).strict(),
]);

export const AskBody = z
  .object({
    prompt: z.string().min(1).max(200_000).optional(),
    messages: z.array(Message).min(1).max(500).optional(),
    task: z.enum(TASK_NAMES).optional(),
    model: z.string().min(1).max(300).optional(),
    chain: z.array(ChainEntry).min(1).max(20).optional(),
    system: z.string().max(50_000).optional(),
    options: z.record(z.string(), z.unknown()).optional(),
    format: z.union([z.literal("json"), z.record(z.string(), z.unknown())]).optional(),
    retries: z.number().int().min(0).max(10).optional(),
    timeoutMs: z.number().int().positive().max(3_600_000).optional(),
    /** Install the chain's first model when none is installed (default false, as delegate()). */
    pull: z.boolean().optional(),
  })
  .strict()
  .refine((b) => (b.prompt === undefined) !== (b.messages === undefined), "give either prompt or messages");

const MetricsQuery = z.object({
  days: z.coerce.number().positive().optional(),
  by: z.enum(["model", "task"]).optional(),
});

/** The agent routes; `defaults` are merged into every delegate() call (tests inject runtimes and a config). */
export function agentRoutes(defaults: Partial<DelegateOptions> = {}): Route[] {
  return [
    {
      method: "POST",
      path: "/api/ask",
      async handle({ req, res, ctx }) {
        const { prompt, messages, ...body } = await readJsonBody(req, AskBody);
        const index = await ctx.loadIndex().then(
          (r) => r.index,
          () => undefined,
        );
        const stream = openEventStream(req, res);
        try {
          const response = await delegate(prompt ?? messages ?? "", {
            ...defaults,
            ...body,
            ...(index ? { index } : {}),
            signal: stream.signal,
            onToken: (text) => stream.send("token", { text }),
            // A failed attempt's tokens were streamed too: this says to discard them.
            onAttempt: (attempt) => stream.send("attempt", { attempt }),
            onPull: (ref) => stream.send("pull", { ref }),
            onProgress: (p) => stream.send("progress", { ...p }),
          });
          stream.end("done", { response });
        } catch (error) {
          stream.fail(error);
        }
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
}
