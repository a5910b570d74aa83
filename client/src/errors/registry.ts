/**
 * Every stable error code the client can raise, and what each one means to every adapter: the
 * CLI's exit code, the HTTP status of the local API and the gateway, and, for the agent layer,
 * whether the failure is transient (retry the same model), whether it cools the model down for a
 * while, and where a delegation goes next. The CLI's exit table, the API's status table and the
 * fallback decisions are all read from here, so they cannot drift apart; nothing decides by
 * matching a message's text. Codes are never renamed (scripts, API clients and MCP agents match them).
 *
 * Exit codes, which scripts depend on: 0 ok · 1 error · 2 usage · 3 Ollama not installed or not
 * running (or not Ollama) · 4 unknown or not installed model · 5 disk full · 6 pull interrupted ·
 * 7 no index / refresh failed · 8 Ollama too old · 9 Hub token missing or refused · 10 Hub error ·
 * 11 Ollama download failed verification · 12 not enough memory · 13 Ollama releases unreachable ·
 * 14 no Ollama download for this platform · 15 every model of a chain gave a bad answer · 130 interrupted.
 */

/** Where a delegation goes after a failure: the same model again, the next link, past every model of this runtime, or nowhere. */
export type Fallback = "retry" | "next" | "skip-runtime" | "stop";

export interface CodeSpec {
  /** The CLI's exit status. */
  exit: number;
  /** The HTTP status of the local API and the gateway. */
  status: number;
  /** Worth another try of the same model after a pause (busy, a 5xx, a dropped connection). */
  transient?: true;
  /** The deployment is unwell: skip the model for a few seconds across calls. */
  cooldown?: true;
  /** What a delegation does next (default `next`; `retry` when transient). */
  fallback?: Fallback;
}

export const ERROR_CODES = {
  // Misuse: the call cannot be carried out as written.
  usage: { exit: 2, status: 400, fallback: "stop" },
  "invalid-argument": { exit: 2, status: 400, fallback: "stop" },
  "invalid-option": { exit: 2, status: 400, fallback: "stop" },
  "unknown-task": { exit: 2, status: 400, fallback: "stop" },
  "invalid-config": { exit: 2, status: 500 }, // config.json on the serving machine is wrong
  "bad-runtime-target": { exit: 2, status: 500 }, // SMALL_LLM_RUNTIMES on the serving machine is wrong
  "modelfile-invalid": { exit: 2, status: 400 },
  "not-a-model": { exit: 2, status: 400 },
  "hub-invalid-repo": { exit: 2, status: 400 },
  "api-token-required": { exit: 2, status: 500 },
  "context-too-long": { exit: 1, status: 400 },

  // The index.
  "index-unavailable": { exit: 7, status: 503 },
  "index-refresh-failed": { exit: 7, status: 502 },

  // Which model: each way a name can fail to be one.
  /** The runtime or its registry has no such model or tag. */
  "unknown-model": { exit: 4, status: 404 },
  /** An id that looks like a Hub id but is not in the index. */
  "not-in-index": { exit: 4, status: 404 },
  /** The entry has no build of the asked quant. */
  "no-such-quant": { exit: 4, status: 404 },
  /** The entry has no install target this runtime can use (no GGUF build yet). */
  "not-installable": { exit: 4, status: 404 },
  /** Neither an index id nor a name the runtime accepts. */
  "invalid-model-name": { exit: 4, status: 404 },
  /** A model file (a local .gguf) that is not there. */
  "model-file-missing": { exit: 4, status: 404 },
  "model-not-installed": { exit: 4, status: 404 },
  /** Nothing of a delegation's chain is installed (or fits), and pulling was not allowed. */
  "no-model": { exit: 4, status: 404 },

  // The runtime.
  "ollama-not-installed": { exit: 3, status: 503, fallback: "skip-runtime" },
  "ollama-server-down": { exit: 3, status: 503, fallback: "skip-runtime" },
  "not-ollama": { exit: 3, status: 503, fallback: "skip-runtime" },
  "runtime-unreachable": { exit: 3, status: 503, fallback: "skip-runtime" },
  /** The connection dropped in the middle of an answer: a hiccup, not a runtime that is down. */
  "connection-dropped": { exit: 3, status: 503, transient: true, cooldown: true },
  busy: { exit: 1, status: 503, transient: true, cooldown: true },
  /** The runtime answered with a 5xx the other codes do not cover. */
  "server-error": { exit: 1, status: 502, transient: true, cooldown: true },
  "ollama-error": { exit: 1, status: 502 },
  "runtime-error": { exit: 1, status: 502 },
  "ollama-too-old": { exit: 8, status: 502 },
  "api-key-required": { exit: 1, status: 502 }, // the runtime behind us wants a key the caller cannot send
  "out-of-memory": { exit: 12, status: 507, cooldown: true },
  timeout: { exit: 1, status: 504, cooldown: true },
  unsupported: { exit: 1, status: 501 },
  "embedded-unavailable": { exit: 3, status: 503, fallback: "skip-runtime" },
  cancelled: { exit: 130, status: 499, fallback: "stop" },

  // Pulling a model.
  "disk-full": { exit: 5, status: 507 },
  "pull-interrupted": { exit: 6, status: 502 },
  "not-enough-disk": { exit: 5, status: 507 },
  "not-enough-memory": { exit: 12, status: 507 },
  "checksum-mismatch": { exit: 11, status: 502 },

  // The agent layer.
  "bad-answer": { exit: 15, status: 502 },

  // Getting Ollama onto the machine (provision/).
  "release-unavailable": { exit: 13, status: 502 },
  "no-release-asset": { exit: 14, status: 501 },
  "no-checksum": { exit: 11, status: 502 },
  "archive-invalid": { exit: 11, status: 502 },
  "download-incomplete": { exit: 6, status: 502 },
  "no-space": { exit: 5, status: 507 },
  "update-rolled-back": { exit: 1, status: 500 },
  "server-not-managed": { exit: 1, status: 409 },

  // Publishing to the Hub.
  "hub-token": { exit: 9, status: 502 }, // the Hub refused this server's token, not the caller
  "hub-forbidden": { exit: 9, status: 502 },
  "hub-error": { exit: 10, status: 502 },

  // The HTTP layer of `small-llm serve` itself.
  "invalid-body": { exit: 2, status: 400 },
  unauthorized: { exit: 1, status: 401 },
  "forbidden-host": { exit: 1, status: 403 },
  "forbidden-origin": { exit: 1, status: 403 },
  "not-found": { exit: 1, status: 404 },
  "method-not-allowed": { exit: 1, status: 405 },
  "body-too-large": { exit: 1, status: 413 },
  "unsupported-media-type": { exit: 1, status: 415 },
  "port-in-use": { exit: 1, status: 500 },
  /** A cache, state or data folder that cannot be made (a path under /proc, a read-only disk). */
  "directory-unusable": { exit: 1, status: 500 },
  internal: { exit: 1, status: 500 },
} as const satisfies Record<string, CodeSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

const spec = (code: unknown): CodeSpec | undefined =>
  typeof code === "string" && Object.hasOwn(ERROR_CODES, code) ? ERROR_CODES[code as ErrorCode] : undefined;

/** The stable code an error carries, when it carries one of ours. */
export function codeOf(error: unknown): ErrorCode | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return spec(code) ? (code as ErrorCode) : undefined;
}

/** The CLI's exit status for any thrown value (1 for anything without a code of ours). */
export const exitCodeFor = (error: unknown): number => spec(codeOf(error))?.exit ?? 1;

/** The HTTP status for a code (500 for anything unknown). */
export const statusFor = (code: string): number => spec(code)?.status ?? 500;

/** What a delegation does after this failure, and whether the model cools down. */
export function failover(error: unknown): { code: ErrorCode | "error"; fallback: Fallback; cooldown: boolean } {
  const code = codeOf(error);
  const s: CodeSpec | undefined = spec(code);
  return {
    code: code ?? "error",
    fallback: s?.fallback ?? (s?.transient ? "retry" : "next"),
    cooldown: Boolean(s?.cooldown),
  };
}
