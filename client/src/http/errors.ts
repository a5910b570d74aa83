/**
 * The transport's own failures, one class each (ky-style: a literal `name`, the standard `cause`,
 * and a message that reads `[GET] "url": what happened`). They say what happened on the wire;
 * each protocol client (Ollama, OpenAI-compatible, the Hub, the index fetch) turns them into the
 * typed errors of the registry with the words that fit its users. A cancel is never one of these:
 * it is always `CancelledError`, and a timeout this layer enforced is always `TimeoutError`.
 */

/** Nothing answered at the address: refused, unknown host, reset before any headers. */
export class NoAnswerError extends Error {
  override readonly name = "NoAnswerError";
  /** The system error code under `fetch failed` (`ECONNREFUSED`, `ENOTFOUND`, …), when there is one. */
  readonly errno: string | undefined;
  constructor(
    readonly method: string,
    readonly url: string,
    options: ErrorOptions,
  ) {
    const cause = networkCause(options.cause);
    super(`[${method}] "${url}": ${cause?.code ?? cause?.message ?? describe(options.cause)}`, options);
    this.errno = cause?.code;
  }
}

/** The server answered with an HTTP error status. `serverMessage` is the error text found in its body. */
export class HttpStatusError extends Error {
  override readonly name = "HttpStatusError";
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly body: string,
    readonly serverMessage: string | undefined,
    /** The answer's headers (Retry-After, RateLimit, x-error-code). */
    readonly headers: Headers = new Headers(),
    /** The status line's reason (`Not Found`), as the server sent it. */
    readonly statusText = "",
  ) {
    super(`[${method}] "${url}": ${status} ${serverMessage ?? body.slice(0, 200)}`.trim());
  }
}

/**
 * A body or stream that went wrong after a 200: an `{"error": …}` line or event the server sent
 * (`serverMessage`), or a connection that dropped before the end (`cut`), or a body that is not
 * what the protocol says (not JSON, too large).
 */
export class StreamError extends Error {
  override readonly name = "StreamError";
  constructor(
    readonly url: string,
    readonly serverMessage: string | undefined,
    options?: ErrorOptions & { detail?: string },
  ) {
    super(serverMessage ?? options?.detail ?? `the answer from ${url} ended early`, options);
    this.cut = serverMessage === undefined && options?.detail === undefined;
  }
  /** True when the connection dropped, rather than the server saying something went wrong. */
  readonly cut: boolean;
}

const describe = (error: unknown) => (error instanceof Error ? error.message : "no answer");

/** The system error under a `fetch failed` (Node puts it in `cause`, sometimes in an AggregateError). */
export function networkCause(error: unknown): { code?: string; message: string } | undefined {
  let e: unknown = error;
  for (let depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z_]+$/.test(code)) {
      const message = (e as Error).message || (e instanceof AggregateError ? (e.errors[0] as Error)?.message : "");
      return { code, message: message || code };
    }
    if (e instanceof AggregateError && e.errors.length) e = e.errors[0];
    else e = (e as { cause?: unknown }).cause;
  }
  const message = (error as { cause?: { message?: unknown } } | undefined)?.cause?.message;
  return typeof message === "string" ? { message } : undefined;
}

/**
 * The error text in a body, whichever shape the server uses: OpenAI `{"error":{"message"}}`,
 * Ollama / LM Studio `{"error":"…"}`, FastAPI `{"detail":…}`, or `{"message":…}`.
 */
export function errorText(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== "object") return undefined;
  const { error, detail, message } = parsed as { error?: unknown; detail?: unknown; message?: unknown };
  if (typeof error === "string") return error;
  if (error && typeof error === "object") {
    const m = (error as { message?: unknown }).message;
    if (typeof m === "string") return m;
  }
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) return JSON.stringify(detail).slice(0, 300);
  if (typeof message === "string") return message;
  return undefined;
}
