/**
 * The one way the pipeline reaches the Hub: a concurrency limit, a timeout per request, retries
 * with backoff on 408/429/5xx and network failures that honour Retry-After and the RateLimit
 * header, the token on every request to the Hub and nowhere else, and counts per rate-limit bucket.
 */
import pLimit from "p-limit";
import { describeStatus, HubApiError } from "./errors.ts";
import { bucketOf, parseRateLimit, parseRetryAfter } from "./rate-limit.ts";

export const DEFAULT_HUB = "https://huggingface.co";
const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

export interface HubClientOptions {
  /** Hub base URL; `HF_ENDPOINT` in the CLI. */
  endpoint?: string;
  /** Sent as a Bearer token; never logged. */
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
  /** Progress hook: every retry, with why and how long we wait. */
  onRetry?: (info: { url: string; attempt: number; delayMs: number; reason: string }) => void;
}

export interface HubStats {
  requests: { api: number; resolvers: number };
  retries: number;
}

export interface HubClient {
  readonly endpoint: string;
  readonly stats: HubStats;
  /** GET a Hub URL (absolute, or a path on the endpoint) and parse JSON; returns the Link header too. */
  getJson<T = unknown>(pathOrUrl: string, init?: { signal?: AbortSignal }): Promise<{ data: T; link: string | null }>;
}

class RetryableError extends Error {
  constructor(
    message: string,
    readonly delayMs?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", abort, { once: true });
  });

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

  async function attempt<T>(url: string, signal?: AbortSignal): Promise<{ data: T; link: string | null }> {
    const bucket = bucketOf(url);
    const wait = pausedUntil[bucket] - Date.now();
    if (wait > 0) await sleep(wait, signal);
    stats.requests[bucket]++;
    const headers: Record<string, string> = { accept: "application/json" };
    if (options.token && new URL(url).origin === origin) headers.authorization = `Bearer ${options.token}`;
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await doFetch(url, { headers, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
      const rate = parseRateLimit(response.headers.get("ratelimit"));
      if (rate && rate.remaining === 0) pausedUntil[bucket] = Date.now() + (rate.resetSeconds + 1) * 1000;
      if (!response.ok) {
        const errorCode = response.headers.get("x-error-code") ?? undefined;
        await response.body?.cancel();
        if (RETRY_STATUSES.has(response.status)) {
          const retryAfter = rate?.remaining === 0 ? (rate.resetSeconds + 1) * 1000 : undefined;
          throw new RetryableError(
            `${response.status} ${response.statusText}`,
            retryAfter ?? parseRetryAfter(response.headers.get("retry-after")),
          );
        }
        throw new HubApiError(
          url,
          response.status,
          errorCode,
          describeStatus(response.status, response.statusText, errorCode),
        );
      }
      text = await response.text();
    } catch (error) {
      if (error instanceof HubApiError || error instanceof RetryableError) throw error;
      if (signal?.aborted) throw error;
      const reason = timeout.aborted ? `timed out after ${timeoutMs} ms` : `network error: ${(error as Error).message}`;
      throw new RetryableError(reason, undefined, { cause: error });
    }
    try {
      return { data: JSON.parse(text) as T, link: response.headers.get("link") };
    } catch (error) {
      // A body cut short looks like broken JSON: worth another try.
      throw new RetryableError(`broken JSON (${text.length} bytes)`, undefined, { cause: error });
    }
  }

  async function getJson<T>(pathOrUrl: string, init: { signal?: AbortSignal } = {}) {
    const url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${endpoint}${pathOrUrl}`;
    for (let n = 0; ; n++) {
      try {
        return await limit(() => attempt<T>(url, init.signal));
      } catch (error) {
        if (!(error instanceof RetryableError)) throw error;
        if (n >= retries) {
          const status = /^(\d{3}) (.*)$/.exec(error.message);
          throw new HubApiError(
            url,
            status ? Number(status[1]) : undefined,
            undefined,
            status
              ? describeStatus(Number(status[1]), status[2] ?? "")
              : `${error.message} — gave up after ${retries + 1} attempts; check the network or HF_ENDPOINT`,
            { cause: error.cause ?? error },
          );
        }
        const backoff = Math.min(maxDelay, base * 2 ** n) * (0.75 + Math.random() * 0.5);
        const delayMs = Math.min(maxDelay, error.delayMs ?? backoff);
        stats.retries++;
        options.onRetry?.({ url, attempt: n + 1, delayMs, reason: error.message });
        await sleep(delayMs, init.signal);
      }
    }
  }

  return { endpoint, stats, getJson };
}
