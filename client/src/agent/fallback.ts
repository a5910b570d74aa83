/**
 * What a failure means for a delegation, LiteLLM-router style: each decision reads only the error
 * kind. Retry the same model on transient trouble (busy, a connection cut mid-answer, a 5xx), with
 * backoff; move to the next model on not-installed, out-of-memory, unsupported, timeout or a bad
 * answer; skip every model of a runtime that does not answer; stop on cancel. Models that failed in
 * a way that says "this deployment is unwell" (busy after retries, timeout, out of memory, 5xx)
 * are cooled down for a few seconds across calls in this process (LiteLLM: 5 s).
 */
import { OllamaError, RuntimeError, type SmallLlmError } from "../errors.ts";

export type Decision = "retry" | "next" | "skip-runtime" | "stop";

export const DEFAULT_RETRIES = 2;
export const DEFAULT_RETRY_DELAY_MS = 250;
export const DEFAULT_COOLDOWN_MS = 5000;

/** The error code and how to react to it. */
export function decide(error: unknown): { code: string; decision: Decision; cooldown: boolean } {
  const code = typeof (error as SmallLlmError)?.code === "string" ? (error as SmallLlmError).code : "error";
  switch (code) {
    case "cancelled":
      return { code, decision: "stop", cooldown: false };
    case "busy":
      return { code, decision: "retry", cooldown: true };
    case "ollama-server-down":
    case "runtime-unreachable": {
      // A connection cut mid-answer is transient; nothing answering at all means the runtime is down.
      const cut = /dropped|reset|ECONNRESET|socket hang up/i.test((error as Error).message);
      return { code, decision: cut ? "retry" : "skip-runtime", cooldown: cut };
    }
    case "ollama-not-installed":
    case "not-ollama":
      return { code, decision: "skip-runtime", cooldown: false };
    case "ollama-error":
    case "runtime-error": {
      const status = (error as OllamaError | RuntimeError).statusCode;
      const server =
        (error instanceof OllamaError || error instanceof RuntimeError) && status !== undefined && status >= 500;
      return { code, decision: server ? "retry" : "next", cooldown: server };
    }
    case "timeout":
    case "out-of-memory":
      return { code, decision: "next", cooldown: true };
    default:
      // model-not-installed, unsupported, bad-answer, unknown-model, ollama-too-old, …
      return { code, decision: "next", cooldown: false };
  }
}

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

/** Exponential backoff with jitter: 250 ms, 500 ms, 1 s … ± 20 %. */
export function backoffMs(attempt: number, base: number): number {
  return Math.round(base * 2 ** attempt * (0.8 + Math.random() * 0.4));
}

/** Sleep, cut short by the signal. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
