/**
 * Models that failed in a way that says "this deployment is unwell" (busy after retries, a 5xx, a
 * dropped connection, a timeout, out of memory — the registry's `cooldown` codes) are skipped for a
 * few seconds across calls (LiteLLM: 5 s), then tried last rather than never. One set per Router,
 * so two servers in a process never cool each other's models.
 */

export const DEFAULT_RETRIES = 2;
export const DEFAULT_RETRY_DELAY_MS = 250;
export const DEFAULT_COOLDOWN_MS = 5000;

export class Cooldowns {
  private readonly until = new Map<string, number>();

  private static key(host: string, ref: string): string {
    return `${host}|${ref.toLowerCase()}`;
  }

  /** Skip this model on this runtime for `ms`. */
  coolDown(host: string, ref: string, ms: number, now = Date.now()): void {
    if (ms > 0) this.until.set(Cooldowns.key(host, ref), now + ms);
  }

  /** Milliseconds left in a model's cooldown, 0 when it may be tried. */
  remaining(host: string, ref: string, now = Date.now()): number {
    const key = Cooldowns.key(host, ref);
    const until = this.until.get(key);
    if (until === undefined) return 0;
    if (until <= now) {
      this.until.delete(key);
      return 0;
    }
    return until - now;
  }

  /** Forget every cooldown (an app after fixing its runtime; tests). */
  clear(): void {
    this.until.clear();
  }
}
