/**
 * Errors as the HTTP API answers them: `{ error: { code, message } }` with the library's stable
 * code, and an HTTP status chosen from that code (one table, so every route agrees).
 */
import type { ServerResponse } from "node:http";
import { SmallLlmError } from "../errors.ts";

/** A failure of the HTTP layer itself (bad Host, wrong method, body too large, …). */
export class ApiError extends SmallLlmError {
  override readonly name = "ApiError";
  constructor(
    readonly code: string,
    message: string,
    readonly status = statusFor(code),
  ) {
    super(message);
  }
}

/** Every stable code the library or this adapter can raise (a test checks none is missing). */
export const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  "invalid-argument": 400,
  "context-too-long": 400,
  "invalid-option": 400,
  "unknown-task": 400,
  "modelfile-invalid": 400,
  "not-a-model": 400,
  "hub-invalid-repo": 400,
  "invalid-body": 400,
  usage: 400,
  unauthorized: 401,
  "forbidden-host": 403,
  "forbidden-origin": 403,
  "unknown-model": 404,
  "model-not-installed": 404,
  "not-found": 404,
  "no-model": 404,
  "method-not-allowed": 405,
  "body-too-large": 413,
  "unsupported-media-type": 415,
  cancelled: 499,
  internal: 500,
  "bad-runtime-target": 500, // SMALL_LLM_RUNTIMES on the serving machine is wrong
  "api-token-required": 500,
  unsupported: 501,
  "ollama-error": 502,
  "pull-interrupted": 502,
  "index-refresh-failed": 502,
  "ollama-too-old": 502,
  "runtime-error": 502,
  "bad-answer": 502,
  "hub-error": 502,
  "hub-forbidden": 502, // the Hub refused this server's token, not the caller
  "hub-token": 502,
  "invalid-config": 500, // config.json on the serving machine is wrong
  "api-key-required": 502, // the runtime behind this server wants a key; the caller cannot send it
  "port-in-use": 500,
  "ollama-not-installed": 503,
  "embedded-unavailable": 503, // node-llama-cpp missing on the serving machine
  "download-incomplete": 502, // a model download from the Hub broke off; retrying resumes
  "checksum-mismatch": 502, // the Hub's file is not the one the index names
  "ollama-server-down": 503,
  "not-ollama": 503,
  busy: 503,
  "runtime-unreachable": 503,
  "index-unavailable": 503,
  timeout: 504,
  "disk-full": 507,
  "out-of-memory": 507,
};

/** The HTTP status for a stable error code; anything unknown is a 500. */
export function statusFor(code: string): number {
  return STATUS_BY_CODE[code] ?? 500;
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
