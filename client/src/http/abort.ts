/** What a cancel means, everywhere: the same error whichever layer saw the signal fire. */
import { CancelledError, TimeoutError } from "../errors/index.ts";

/**
 * What a fired caller signal means: a cancel, unless the caller's signal is itself a timeout
 * (`AbortSignal.timeout`, whose reason is a TimeoutError): then it is a timeout.
 */
export function aborted(signal: AbortSignal, what: string, cause?: unknown): CancelledError | TimeoutError {
  const reason = signal.reason as { name?: unknown } | undefined;
  if (reason instanceof TimeoutError) return reason;
  if (reason?.name === "TimeoutError")
    return new TimeoutError(`${what}: no complete answer in time`, { cause: reason });
  if (reason instanceof CancelledError) return reason;
  return new CancelledError(what, { cause: reason ?? cause });
}

/**
 * Wait for a shared piece of work (an index load, a detection) under one caller's signal: the
 * caller stops waiting when it cancels, but the work goes on for the next caller, so one cancelled
 * call never leaves the others without it.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined, what: string): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(aborted(signal, what));
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(aborted(signal, what));
    signal.addEventListener("abort", stop, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", stop);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener("abort", stop);
        reject(error);
      },
    );
  });
}
