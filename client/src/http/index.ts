/**
 * The one HTTP layer of the client and the pipeline: requests with one meaning of failure, body
 * readers (text, JSON, NDJSON, server-sent events), and one retry policy. Node ≥ 22 (`fetch`,
 * `AbortSignal.any`, `node:timers/promises`).
 */
export { aborted, untilAborted } from "./abort.ts";
export { errorText, HttpStatusError, NoAnswerError, networkCause, StreamError } from "./errors.ts";
export { type ErrorOf, type ReadOptions, readJson, readNdjson, readSse, readText } from "./read.ts";
export { callSignal, type RequestOptions, request } from "./request.ts";
export {
  backoffMs,
  HUB_RETRIES,
  parseRateLimit,
  parseRetryAfter,
  type RetryDecision,
  type RetryInfo,
  type RetryPolicy,
  serverDelayMs,
  wait,
  withRetries,
} from "./retry.ts";
export { RETRY_STATUSES, retryingFetch } from "./retrying-fetch.ts";
