/**
 * Errors as the HTTP API answers them: `{ error: { code, message } }` with the library's stable
 * code, and the HTTP status the error registry gives that code, so every route agrees.
 */
import type { ServerResponse } from "node:http";
import { type ErrorCode, SmallLlmError, statusFor } from "../errors/index.ts";

/** A failure of the HTTP layer itself (bad Host, wrong method, body too large, …). */
export class ApiError extends SmallLlmError {
  override readonly name = "ApiError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status = statusFor(code),
  ) {
    super(message);
  }
}

/** `{ code, message }` for any thrown value; non-library errors are `internal`. */
export function errorPayload(error: unknown): { code: string; message: string } {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  return { code: error instanceof SmallLlmError && typeof code === "string" ? code : "internal", message };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(text)),
    "cache-control": "no-store",
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: unknown): void {
  const payload = errorPayload(error);
  const status = error instanceof ApiError ? error.status : statusFor(payload.code);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status, { error: payload }, status === 401 ? { "www-authenticate": 'Bearer realm="small-llm"' } : {});
}
