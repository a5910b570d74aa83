/**
 * A fetch for Hub calls made while publishing: retries 408/429/5xx and network failures with
 * backoff, waiting what `Retry-After` or the `RateLimit` header (`"api";r=0;t=55`) asks. It mirrors
 * the policy of pipeline/hub/client.ts (which the client package cannot import) in the smaller form
 * @huggingface/hub takes: a `fetch` function. Requests with a one-shot stream body are not retried.
 */

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

export interface RetryPolicy {
  /** Attempts after the first (default 4). */
  retries?: number;
  /** First backoff; doubles each time (default 500 ms). */
  baseMs?: number;
  /** Longest single wait (default 30 s). */
  maxMs?: number;
  onRetry?: (info: { url: string; attempt: number; delayMs: number; reason: string }) => void;
}

export function retryAfterMs(response: Response, now = Date.now()): number | undefined {
  const rate = response.headers.get("ratelimit");
  const r = rate ? /(?:^|;)\s*r=(\d+)/.exec(rate) : null;
  const t = rate ? /(?:^|;)\s*t=(\d+)/.exec(rate) : null;
  if (r && t && Number(r[1]) === 0) return (Number(t[1]) + 1) * 1000;
  const header = response.headers.get("retry-after")?.trim();
  if (!header) return undefined;
  if (/^\d+$/.test(header)) return Number(header) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const sleep = (ms: number, signal?: AbortSignal | null) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

export function retryingFetch(policy: RetryPolicy = {}, base: typeof fetch = fetch): typeof fetch {
  const retries = policy.retries ?? 4;
  const baseMs = policy.baseMs ?? 500;
  const maxMs = policy.maxMs ?? 30_000;
  return async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const replayable = !(init?.body instanceof ReadableStream);
    for (let attempt = 0; ; attempt++) {
      let reason: string;
      let wait: number | undefined;
      try {
        const response = await base(input, init);
        if (!RETRY_STATUSES.has(response.status) || attempt >= retries || !replayable) return response;
        reason = `HTTP ${response.status}`;
        wait = retryAfterMs(response);
        await response.body?.cancel();
      } catch (error) {
        if (init?.signal?.aborted || attempt >= retries || !replayable) throw error;
        const cause = (error as { cause?: { code?: string } }).cause;
        reason = cause?.code ?? (error as Error).message;
      }
      const backoff = Math.min(maxMs, baseMs * 2 ** attempt) * (0.75 + Math.random() * 0.5);
      const delayMs = Math.min(maxMs, wait ?? backoff);
      policy.onRetry?.({ url, attempt: attempt + 1, delayMs, reason });
      await sleep(delayMs, init?.signal);
    }
  };
}
