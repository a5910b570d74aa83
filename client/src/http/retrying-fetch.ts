/**
 * The retry policy as a `fetch`, for libraries that take one (@huggingface/hub's upload and repo
 * calls): 408/429/5xx answers and network failures are tried again after the server's requested
 * delay or a backoff; when the retries run out the last answer is returned as it came, so the
 * library reports it in its own words. A one-shot stream body cannot be sent twice: no retry then.
 */
import { NoAnswerError } from "./errors.ts";
import { type RetryInfo, type RetryPolicy, serverDelayMs, withRetries } from "./retry.ts";

export const RETRY_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** An answer worth another try, carried out of an attempt so the policy can wait and repeat. */
class RetryableAnswer extends Error {
  constructor(readonly response: Response) {
    super(`HTTP ${response.status}`);
  }
}

export function retryingFetch(
  policy: RetryPolicy,
  options: { fetch?: typeof fetch; onRetry?: (info: RetryInfo & { url: string }) => void } = {},
): typeof fetch {
  const base = options.fetch ?? fetch;
  return async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const replayable = !(init?.body instanceof ReadableStream) && !(input instanceof Request && input.body);
    let last: Response | undefined;
    try {
      return await withRetries(
        async () => {
          // The answer we are about to replace is not read by anyone: free its connection.
          await last?.body?.cancel().catch(() => {});
          last = undefined;
          let response: Response;
          try {
            response = await base(input, init);
          } catch (error) {
            throw new NoAnswerError(init?.method ?? "GET", url, { cause: error });
          }
          if (!replayable || !RETRY_STATUSES.has(response.status)) return response;
          last = response;
          throw new RetryableAnswer(response);
        },
        {
          policy,
          signal: init?.signal,
          judge: (error) => {
            if (error instanceof RetryableAnswer)
              return { retry: true, delayMs: serverDelayMs(error.response.headers), reason: error.message };
            return { retry: replayable && error instanceof NoAnswerError, reason: (error as Error).message };
          },
          onRetry: (info) => options.onRetry?.({ ...info, url }),
        },
      );
    } catch (error) {
      if (error instanceof RetryableAnswer && last) return last;
      if (error instanceof NoAnswerError) throw error.cause;
      throw error;
    }
  };
}
