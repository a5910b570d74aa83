/**
 * What every MCP tool answers: JSON as text and structuredContent, a failure as a tool error with
 * the library's stable `{ code, message }`, and pull progress as MCP progress notifications.
 */
import type { CallToolResult, ServerContext } from "@modelcontextprotocol/server";
import type { PullProgress } from "../runtimes/runtime.ts";
import { errorPayload } from "../server/api-error.ts";

export const ok = (value: Record<string, unknown>): CallToolResult => ({
  content: [{ type: "text", text: JSON.stringify(value, null, 2) }],
  structuredContent: value,
});

export const failed = (error: unknown): CallToolResult => {
  const value = { error: errorPayload(error) };
  return { isError: true, content: [{ type: "text", text: JSON.stringify(value, null, 2) }], structuredContent: value };
};

/** Run a tool body; any failure becomes a tool error the model can read, not a protocol error. */
export const tool =
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
export function progressNotifier(ctx: ServerContext): ((p: PullProgress) => void) | undefined {
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
