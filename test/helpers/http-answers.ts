/** Small answer helpers shared by the loopback emulators (Ollama, OpenAI-compatible runtimes). */
import type { IncomingMessage, ServerResponse } from "node:http";

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}

export function text(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", ...headers });
  res.end(body);
}

/** A request's JSON object body, or the error text a server would answer for what came instead. */
export async function readBody(
  req: IncomingMessage,
): Promise<{ ok: true; value: Record<string, unknown> } | { ok: false; error: string }> {
  let raw = "";
  for await (const c of req) raw += c;
  if (!raw.trim()) return { ok: false, error: "missing request body" };
  try {
    const value = JSON.parse(raw);
    return value && typeof value === "object" ? { ok: true, value } : { ok: false, error: "json: cannot unmarshal" };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
