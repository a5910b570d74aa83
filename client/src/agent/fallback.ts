/**
 * What a failure means for a delegation, LiteLLM-router style: each decision reads only the error
 * kind. Retry the same model on transient trouble (busy, a connection cut mid-answer, a 5xx), with
 * backoff; move to the next model on not-installed, out-of-memory, unsupported, timeout or a bad
 * answer; skip every model of a runtime that does not answer; stop on cancel. Models that failed in
 * a way that says "this deployment is unwell" (busy after retries, timeout, out of memory, 5xx)
 * are cooled down for a few seconds across calls in this process (LiteLLM: 5 s).
 */

export const DEFAULT_RETRIES = 2;
export const DEFAULT_RETRY_DELAY_MS = 250;
export const DEFAULT_COOLDOWN_MS = 5000;

/** Models that failed recently, by `runtime host + ref`, shared by every delegate call in this process. */
const cooling = new Map<string, number>();

export const cooldownKey = (host: string, ref: string) => `${host}|${ref.toLowerCase()}`;

export function coolDown(key: string, ms: number, now = Date.now()): void {
  if (ms > 0) cooling.set(key, now + ms);
}

/** Milliseconds left in a model's cooldown, 0 when it may be tried. */
export function coolingFor(key: string, now = Date.now()): number {
  const until = cooling.get(key);
  if (until === undefined) return 0;
  if (until <= now) {
    cooling.delete(key);
    return 0;
  }
  return until - now;
}

/** Forget every cooldown (tests; a long-running app after fixing its runtime). */
export function resetCooldowns(): void {
  cooling.clear();
}
