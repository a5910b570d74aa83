/**
 * Errors as each API's clients expect them, so their SDKs raise the right exception: OpenAI
 * `{ error: { message, type, param, code } }`, Anthropic `{ type: "error", error: { type, message },
 * request_id }`. The status comes from the error registry (unknown model 404, bad request 400, auth
 * 401); a delegation in which every model failed is a 503 listing each attempt's reason, marked
 * `x-should-retry: false` because the fallbacks already ran (the SDKs would otherwise retry it
 * twice more). No key of the config's cloud endpoints or of the server reaches a message.
 */
import type { ServerResponse } from "node:http";
import type { AgentConfig } from "../agent/config.ts";
import type { LlmFailure } from "../agent/delegate.ts";
import type { Attempt } from "../agent/metrics.ts";
import { statusFor } from "../errors/index.ts";
import { KINDS } from "../runtimes/openai-compatible/kinds.ts";
import { ApiError, errorPayload } from "../server/api-error.ts";
import { sendJsonAnswer } from "./respond.ts";

export type ApiStyle = "openai" | "anthropic";

/** An error ready to send: status, stable code, message, and whether a client should retry it. */
export interface GatewayFailure {
  status: number;
  code: string;
  message: string;
  /** For the OpenAI shape: which request field was wrong. */
  param?: string;
  noRetry?: boolean;
}

/** A thrown error (bad body, unknown model, bad option…) as a failure to send. */
export function thrownFailure(error: unknown, redact: Redact): GatewayFailure {
  const { code, message } = errorPayload(error);
  const status = error instanceof ApiError ? error.status : statusFor(code);
  // A request field the message starts with (`messages: Too small…`) is the OpenAI shape's `param`.
  const field = status === 400 ? /^([a-z_][\w.[\]]*): /.exec(message)?.[1] : undefined;
  return {
    status,
    code,
    message: redact(message),
    ...(status === 404 && /model/.test(code) ? { param: "model" } : field ? { param: field } : {}),
  };
}

/**
 * A delegation that gave no answer. A failure that is the caller's (no such model, not installed, a
 * prompt over the context, a bad option, a capability the one model asked for lacks) keeps its 4xx
 * status; anything else means every model of the chain failed: 503, with each attempt's reason.
 */
export function delegationFailure(response: LlmFailure, redact: Redact): GatewayFailure {
  const { code } = response.error;
  const one = new Set(response.attempts.map((a) => a.model)).size <= 1;
  // Asked of one model, what it cannot do (tools, a format) is the request's mistake, as OpenAI answers it.
  const status = one && code === "unsupported" ? 400 : statusFor(code);
  if (status >= 400 && status < 500)
    return { status, code, message: redact(response.error.message), ...(status === 404 ? { param: "model" } : {}) };
  // A single attempt's reason is the message already.
  const tried = response.attempts.length > 1 ? response.attempts.map(describe).join("; ") : "";
  return {
    status: 503,
    code,
    message: redact(`${response.error.message}${tried ? ` — attempts: ${tried}` : ""}`),
    noRetry: true,
  };
}

const describe = (a: Attempt) =>
  `${a.model}${a.runtime ? ` (${a.runtime})` : ""}: ${a.outcome}${a.detail ? ` (${a.detail.slice(0, 200)})` : ""}`;

const OPENAI_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "invalid_request_error",
  405: "invalid_request_error",
  413: "invalid_request_error",
  415: "invalid_request_error",
  429: "rate_limit_error",
};

const ANTHROPIC_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  405: "invalid_request_error",
  413: "request_too_large",
  415: "invalid_request_error",
  429: "rate_limit_error",
  529: "overloaded_error",
};

export function openAIErrorBody(f: GatewayFailure) {
  return {
    error: { message: f.message, type: OPENAI_TYPES[f.status] ?? "server_error", param: f.param ?? null, code: f.code },
  };
}

export function anthropicErrorBody(f: GatewayFailure, requestId: string) {
  return {
    type: "error",
    error: { type: ANTHROPIC_TYPES[f.status] ?? "api_error", message: f.message },
    request_id: requestId,
  };
}

/** Send a failure in the API's shape; a response already streaming is the stream writer's business. */
export function sendFailure(res: ServerResponse, style: ApiStyle, f: GatewayFailure, requestId: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJsonAnswer(res, f.status, style === "openai" ? openAIErrorBody(f) : anthropicErrorBody(f, requestId), {
    ...(style === "anthropic" ? { "request-id": requestId } : { "x-request-id": requestId }),
    ...(f.noRetry ? { "x-should-retry": "false" } : {}),
    ...(f.status === 401 ? { "www-authenticate": 'Bearer realm="small-llm"' } : {}),
  });
}

export type Redact = (text: string) => string;

/**
 * Blanks out every key this process can see in a message: the server's own token, the runtimes'
 * key variables and those config.json's cloud entries name (an upstream may echo what it was sent).
 */
export function redactor(config: AgentConfig | undefined, env: NodeJS.ProcessEnv = process.env): Redact {
  const names = new Set(["SMALL_LLM_API_TOKEN", ...Object.values(KINDS).map((k) => k.apiKeyEnv)]);
  for (const cloud of Object.values(config?.cloud ?? {})) if (cloud.apiKeyEnv) names.add(cloud.apiKeyEnv);
  const secrets = [...names].map((n) => env[n] ?? "").filter((v) => v.length >= 8);
  return (text) => {
    let out = text;
    for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join("[redacted]");
    return out;
  };
}
