/**
 * One retry policy for every caller that retries over HTTP (the Hub client, the dataset and model
 * publishers, the agent's fallback): exponential backoff with ±25 % jitter, capped per wait and by a
 * budget for the whole call, and the server's own word first — `Retry-After` (seconds or a date) or
 * the IETF `RateLimit` header (`"api";r=0;t=55`: nothing left, resets in 55 s). Waits are abortable
 * and a cancel during one is a `CancelledError`, as everywhere else.
 */
import { setTimeout as delay } from "node:timers/promises";
import { CancelledError } from "../errors/index.ts";

export interface RetryPolicy {
  /** Attempts after the first. */
  retries: number;
  /** The first backoff; it doubles each attempt. */
  baseMs: number;
  /** The longest single wait, whatever the server asks. */
  maxMs: number;
  /** The most time all the waits of one call may add up to (default: no budget beyond `retries`). */
  budgetMs?: number;
}

/** The Hub's answers: a few tries over about half a minute (publishing, GGUF downloads). */
export const HUB_RETRIES: RetryPolicy = { retries: 4, baseMs: 500, maxMs: 30_000 };

/** `RateLimit: "api";r=0;t=55` → remaining requests and seconds until the window resets. */
export function parseRateLimit(header: string | null): { remaining: number; resetSeconds: number } | undefined {
  if (!header) return undefined;
  const r = /(?:^|;)\s*r=(\d+)/.exec(header);
  const t = /(?:^|;)\s*t=(\d+)/.exec(header);
  if (!r || !t) return undefined;
  return { remaining: Number(r[1]), resetSeconds: Number(t[1]) };
}

export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** How long the server asks us to wait: a spent RateLimit window first, then Retry-After. */
export function serverDelayMs(headers: Headers, now = Date.now()): number | undefined {
  const rate = parseRateLimit(headers.get("ratelimit"));
  if (rate && rate.remaining === 0) return (rate.resetSeconds + 1) * 1000;
  return parseRetryAfter(headers.get("retry-after"), now);
}

/** The n-th backoff (n from 0): base · 2ⁿ, ±25 %, at most `maxMs`. */
export function backoffMs(n: number, policy: Pick<RetryPolicy, "baseMs" | "maxMs">): number {
  return Math.round(Math.min(policy.maxMs, policy.baseMs * 2 ** n) * (0.75 + Math.random() * 0.5));
}

/** Wait, or throw CancelledError the moment the signal fires. */
export async function wait(ms: number, signal?: AbortSignal | null, what = "the wait"): Promise<void> {
  if (ms <= 0 && !signal?.aborted) return;
  try {
    await delay(Math.max(0, ms), undefined, signal ? { signal } : {});
  } catch (error) {
    throw new CancelledError(what, { cause: signal?.reason ?? error });
  }
}

export interface RetryDecision {
  /** Worth another try. */
  retry: boolean;
  /** What the server asked for (Retry-After, RateLimit), when it did. */
  delayMs?: number | undefined;
  /** For `onRetry`. */
  reason: string;
}

export interface RetryInfo {
  attempt: number;
  delayMs: number;
  reason: string;
}

/**
 * Run `attempt` until it succeeds, `judge` says a failure is final, the retries are spent or the
 * next wait would overrun the budget; then the last failure is thrown.
 */
export async function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  options: {
    policy: RetryPolicy;
    judge: (error: unknown) => RetryDecision;
    signal?: AbortSignal | null | undefined;
    onRetry?: ((info: RetryInfo) => void) | undefined;
  },
): Promise<T> {
  let waited = 0;
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const decision = options.judge(error);
      if (!decision.retry || n >= options.policy.retries) throw error;
      const delayMs = Math.min(options.policy.maxMs, decision.delayMs ?? backoffMs(n, options.policy));
      if (options.policy.budgetMs !== undefined && waited + delayMs > options.policy.budgetMs) throw error;
      waited += delayMs;
      options.onRetry?.({ attempt: n + 1, delayMs, reason: decision.reason });
      await wait(delayMs, options.signal, "the retry");
    }
  }
}
