/**
 * The one way the project reaches the Hub: a concurrency limit, a timeout per request, retries
 * with backoff on 408/429/5xx and network failures that honour Retry-After and the RateLimit
 * header, the token on every request to the Hub and nowhere else, and counts per rate-limit bucket.
 * `getJson` serves the pipeline's reads; `fetch` is the same policy as a `fetch`, for
 * `@huggingface/hub`'s functions (the dataset publisher).
 */
import pLimit from "p-limit";
import { networkCause, parseRateLimit, serverDelayMs, wait, withRetries } from "small-llm/http";
import { describeStatus, HubApiError, HubUnreachableError, shortUrl } from "./errors.ts";
import { bucketOf } from "./rate-limit.ts";

export const DEFAULT_HUB = "https://huggingface.co";
const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
/** Network failures that mean "no Hub here" rather than "a hiccup": retrying them only wastes time. */
const UNREACHABLE = new Set(["ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ENETUNREACH", "EHOSTUNREACH", "EAI_NONAME"]);

export interface HubClientOptions {
  /** Hub base URL; `HF_ENDPOINT` in the CLI. */
  endpoint?: string;
  /** Sent as a Bearer token by `getJson`; never logged. */
  token?: string | undefined;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Per-request timeout, headers and body. */
  timeoutMs?: number;
  /** Attempts after the first. */
  retries?: number;
  /** First backoff delay; doubles each attempt, capped at maxDelayMs. */
  retryBaseMs?: number;
  maxDelayMs?: number;
  fetch?: typeof fetch;
  /** Progress hook: every retry, with why and how long we wait. `path` is the URL's path. */
  onRetry?: (info: { url: string; path: string; attempt: number; delayMs: number; reason: string }) => void;
}

/**
 * A per-call retry budget. List pages decide what the whole run sees, so discovery gives them more
 * attempts and a longer backoff than per-repo reads, which are skipped and reported when they fail.
 */
export interface RetryBudget {
  /** Attempts after the first (the client's `retries` when unset). */
  retries?: number;
  /** First backoff delay, doubling each attempt (the client's `retryBaseMs` when unset). */
  retryBaseMs?: number;
}

export interface HubStats {
  requests: { api: number; resolvers: number };
  retries: number;
}

export interface HubClient {
  readonly endpoint: string;
  readonly stats: HubStats;
  /** GET a Hub URL (absolute, or a path on the endpoint) and parse JSON; returns the Link header too. */
  getJson<T = unknown>(
    pathOrUrl: string,
    init?: { signal?: AbortSignal; budget?: RetryBudget },
  ): Promise<{ data: T; link: string | null }>;
  /**
   * `fetch` with the client's policy (limit, timeout, retries, rate limits), for libraries that take
   * one. It adds no token (the caller's library does) and returns non-retryable answers as they are.
   */
  fetch: typeof fetch;
}

/** A failure worth another try: a 408/429/5xx (with the server's requested delay), a timeout, a dropped or cut answer. */
class RetryableError extends Error {
  constructor(
    message: string,
    readonly delayMs?: number,
    options?: ErrorOptions,
    /** The answer, when there was one: its status, and for `fetch` callers the last answer as it came. */
    readonly response?: Response,
  ) {
    super(message, options);
  }
}

/** A body `fetch` can send again on a retry (not a one-shot stream). */
const resendable = (body: BodyInit | null | undefined) => !(body instanceof ReadableStream);

export function createHubClient(options: HubClientOptions = {}): HubClient {
  const endpoint = (options.endpoint ?? DEFAULT_HUB).replace(/\/+$/, "");
  const origin = new URL(endpoint).origin;
  const doFetch = options.fetch ?? fetch;
  const limit = pLimit(options.concurrency ?? 8);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retries = options.retries ?? 5;
  const base = options.retryBaseMs ?? 1000;
  const maxDelay = options.maxDelayMs ?? 60_000;
  const stats: HubStats = { requests: { api: 0, resolvers: 0 }, retries: 0 };
  /** When a bucket's quota is spent (RateLimit r=0), requests wait for the window to reset. */
  const pausedUntil = { api: 0, resolvers: 0 };
  /** Whether any request got an HTTP answer: until then a DNS failure or refusal ends the run. */
  let answered = false;

  /** One request: the answer when usable (or not retryable), a RetryableError when worth another try. */
  async function attempt(url: string, init: RequestInit, target: string | Request = url): Promise<Response> {
    const bucket = bucketOf(url);
    const paused = pausedUntil[bucket] - Date.now();
    if (paused > 0) await wait(paused, init.signal, `waiting for the Hub's ${bucket} quota`);
    stats.requests[bucket]++;
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await doFetch(target, {
        ...init,
        signal: init.signal ? AbortSignal.any([init.signal, timeout]) : timeout,
      });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      if (timeout.aborted) throw new RetryableError(`timed out after ${timeoutMs} ms`, undefined, { cause: error });
      const cause = networkCause(error);
      if (!answered && cause?.code && UNREACHABLE.has(cause.code))
        throw new HubUnreachableError(url, cause.message, { cause: error });
      // fetch refuses some ports outright (the Fetch standard's "bad ports"): no retry can help.
      if ((error as { cause?: Error }).cause?.message === "bad port")
        throw new HubUnreachableError(url, `fetch refuses port ${new URL(url).port} ("bad port")`, { cause: error });
      throw new RetryableError(`network error: ${cause?.message ?? (error as Error).message}`, undefined, {
        cause: error,
      });
    }
    answered = true;
    const rate = parseRateLimit(response.headers.get("ratelimit"));
    if (rate && rate.remaining === 0) pausedUntil[bucket] = Date.now() + (rate.resetSeconds + 1) * 1000;
    if (RETRY_STATUSES.has(response.status))
      throw new RetryableError(
        `${response.status} ${response.statusText}`,
        serverDelayMs(response.headers),
        undefined,
        response,
      );
    return response;
  }

  /**
   * Run `once` under the limit with the shared retry policy; the last RetryableError, when retries
   * run out, goes to `final`, which turns it into what the caller gets.
   */
  async function retrying<T>(
    url: string,
    signal: AbortSignal | null | undefined,
    once: () => Promise<T>,
    final: (error: RetryableError, attempts: number) => T | Promise<T>,
    budget: RetryBudget = {},
  ): Promise<T> {
    let tries = 0;
    let previous: RetryableError | undefined;
    try {
      return await withRetries(
        async () => {
          tries++;
          // The answer being retried is read by no one: free its connection first.
          await previous?.response?.body?.cancel().catch(() => {});
          return limit(once);
        },
        {
          policy: { retries: budget.retries ?? retries, baseMs: budget.retryBaseMs ?? base, maxMs: maxDelay },
          signal,
          judge: (error) => {
            if (!(error instanceof RetryableError)) return { retry: false, reason: "" };
            previous = error;
            return { retry: true, delayMs: error.delayMs, reason: error.message };
          },
          onRetry: (info) => {
            stats.retries++;
            options.onRetry?.({ url, path: shortUrl(url), ...info });
          },
        },
      );
    } catch (error) {
      if (error instanceof RetryableError) return final(error, tries);
      throw error;
    }
  }

  async function getJson<T>(pathOrUrl: string, init: { signal?: AbortSignal; budget?: RetryBudget } = {}) {
    const url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${endpoint}${pathOrUrl}`;
    const headers: Record<string, string> = { accept: "application/json" };
    if (options.token && new URL(url).origin === origin) headers.authorization = `Bearer ${options.token}`;
    const request: RequestInit = { headers, ...(init.signal ? { signal: init.signal } : {}) };
    return retrying(
      url,
      init.signal,
      async () => {
        const response = await attempt(url, request);
        if (!response.ok) {
          const errorCode = response.headers.get("x-error-code") ?? undefined;
          const said = await hubSays(response);
          throw new HubApiError(
            url,
            response.status,
            errorCode,
            `${describeStatus(response.status, response.statusText, errorCode)}${said ? ` (the Hub said: "${said}")` : ""}`,
          );
        }
        let text: string;
        try {
          text = await response.text();
        } catch (error) {
          throw new RetryableError(`network error: ${(error as Error).message}`, undefined, { cause: error });
        }
        try {
          return { data: JSON.parse(text) as T, link: response.headers.get("link") };
        } catch (error) {
          // A body cut short looks like broken JSON: worth another try.
          throw new RetryableError(`broken JSON (${text.length} bytes)`, undefined, { cause: error });
        }
      },
      async (error, attempts) => {
        const answer = error.response;
        await answer?.body?.cancel();
        throw new HubApiError(
          url,
          answer?.status ?? 0,
          answer?.headers.get("x-error-code") ?? undefined,
          answer
            ? describeStatus(answer.status, answer.statusText)
            : `${error.message} — gave up after ${attempts} attempts; check the network or HF_ENDPOINT`,
          { cause: error.cause ?? error },
        );
      },
      init.budget,
    );
  }

  const policyFetch: typeof fetch = async (input, init = {}) => {
    const url = input instanceof Request ? input.url : String(input);
    if (input instanceof Request || !resendable(init.body)) {
      // A one-shot body cannot be sent twice: one attempt under the limit and timeout, no retries.
      return limit(() => attempt(url, init, input instanceof Request ? input : url)).catch((error) => {
        if (error instanceof RetryableError && error.response) return error.response;
        throw error;
      });
    }
    return retrying(
      url,
      init.signal,
      () => attempt(url, init),
      (error, attempts) => {
        if (error.response) return error.response;
        throw new HubApiError(url, 0, undefined, `${error.message} — gave up after ${attempts} attempts`, {
          cause: error.cause ?? error,
        });
      },
    );
  };

  return { endpoint, stats, getJson, fetch: policyFetch };
}

/**
 * The Hub's own words for a refusal (`"expand" must be one of …`): its X-Error-Message, else the
 * `error` of a short JSON body. An HTML page or a long body says nothing worth a log line.
 */
async function hubSays(response: Response): Promise<string | undefined> {
  const header = response.headers.get("x-error-message");
  const body = await response.text().catch(() => "");
  let said = header ?? undefined;
  if (!said && body.length < 4000 && body.trimStart().startsWith("{")) {
    try {
      const error = (JSON.parse(body) as { error?: unknown }).error;
      if (typeof error === "string") said = error;
    } catch {
      // not JSON after all: nothing to quote
    }
  }
  return said?.replace(/[^\x20-\x7e]/g, " ").slice(0, 300);
}
