/**
 * One HTTP request over fetch, with the same meaning of failure everywhere: the caller's signal
 * fired → `CancelledError`; the time this call allowed ran out → `TimeoutError`; nothing answered →
 * `NoAnswerError`; an error status → `HttpStatusError` carrying the body and the server's message.
 * The timeout covers reading the body too, since the signal stays attached to the response.
 */
import { TimeoutError } from "../errors/index.ts";
import { aborted } from "./abort.ts";
import { errorText as anyErrorText, HttpStatusError, NoAnswerError } from "./errors.ts";

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as JSON (with its content type). */
  json?: unknown;
  /** Sent as is (a stream needs `duplex: "half"`, which this adds). */
  body?: BodyInit;
  signal?: AbortSignal | undefined;
  /** The whole call, headers and body; none by default (a generation may stream for minutes). */
  timeoutMs?: number | undefined;
  /** Statuses the caller reads itself instead of an HttpStatusError (304, a HEAD's 404, …). */
  accept?: (status: number) => boolean;
  /** Finds the server's error text in an error body (default: the common JSON shapes). */
  errorText?: (body: string) => string | undefined;
  fetch?: typeof fetch | undefined;
  /** What a cancel says was cancelled (default: the request). */
  what?: string;
}

/** The signal a call runs under, and how to tell afterwards which of its parts fired. */
export function callSignal(signal: AbortSignal | undefined, timeoutMs: number | undefined) {
  const timeout = timeoutMs !== undefined ? AbortSignal.timeout(timeoutMs) : undefined;
  const combined = signal && timeout ? AbortSignal.any([signal, timeout]) : (signal ?? timeout);
  return {
    signal: combined,
    /** The error a failure under this signal is: the caller's cancel, our timeout, or undefined (something else). */
    failure(what: string, cause: unknown): Error | undefined {
      if (signal?.aborted) return aborted(signal, what, cause);
      if (timeout?.aborted) return new TimeoutError(`${what}: no answer within ${timeoutMs} ms`, { cause });
      return undefined;
    },
  };
}

export async function request(url: string, options: RequestOptions = {}): Promise<Response> {
  const method = options.method ?? (options.json !== undefined || options.body !== undefined ? "POST" : "GET");
  const call = callSignal(options.signal, options.timeoutMs);
  const headers: Record<string, string> = { ...options.headers };
  let body = options.body;
  if (options.json !== undefined) {
    headers["content-type"] ??= "application/json";
    body = JSON.stringify(options.json);
  }
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      method,
      headers,
      redirect: "follow",
      ...(body !== undefined ? { body } : {}),
      ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
      ...(call.signal ? { signal: call.signal } : {}),
    } as RequestInit);
  } catch (error) {
    throw (
      call.failure(options.what ?? `[${method}] "${url}"`, error) ?? new NoAnswerError(method, url, { cause: error })
    );
  }
  if (response.ok || options.accept?.(response.status)) return response;
  const text = await response.text().catch(() => "");
  throw new HttpStatusError(
    method,
    url,
    response.status,
    text,
    (options.errorText ?? anyErrorText)(text),
    response.headers,
    response.statusText,
  );
}
