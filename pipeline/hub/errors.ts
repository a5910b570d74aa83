/**
 * The one Hub error type. It is `@huggingface/hub`'s own `HubApiError` (what the dataset publisher's
 * calls throw), extended with the Hub's `X-Error-Code` and a short reason for the run report, so a
 * single `instanceof HubApiError` covers every Hub failure in the project.
 */
import { HubApiError as HfHubApiError } from "@huggingface/hub";

export { HfHubApiError as AnyHubApiError };

/** A Hub answer we could not use. The message says what failed and what to do next. */
export class HubApiError extends HfHubApiError {
  override readonly name: string = "HubApiError";
  constructor(
    url: string,
    /** HTTP status; 0 when no answer came (network error, timeout). */
    statusCode: number,
    /** The Hub's `X-Error-Code` (`GatedRepo`, `RepoNotFound`, `EntryNotFound`, …) when it sent one. */
    readonly errorCode: string | undefined,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(url, statusCode, undefined, `[GET] "${shortUrl(url)}": ${detail}`);
    if (options?.cause !== undefined) this.cause = options.cause;
  }

  /**
   * A short reason for the run report: `gated`, `not-found`, `http-500`, `broken-json`, `network`.
   * The Hub answers 401 to anonymous requests for missing and private repos too; `X-Error-Code`
   * tells them apart, so a 401 `RepoNotFound` is `not-found`, not `gated`.
   */
  get reason(): string {
    if (
      this.errorCode === "RepoNotFound" ||
      this.errorCode === "EntryNotFound" ||
      this.errorCode === "RevisionNotFound"
    )
      return "not-found";
    if (this.errorCode === "GatedRepo" || this.statusCode === 401 || this.statusCode === 403) return "gated";
    if (this.statusCode === 404) return "not-found";
    if (this.statusCode > 0) return `http-${this.statusCode}`;
    if (this.cause instanceof SyntaxError) return "broken-json";
    return "network";
  }
}

/**
 * The Hub cannot be reached at all (DNS failure, refused connection) on the first request: a run
 * cannot do anything useful, so it ends at once with the real cause and how to work offline.
 */
export class HubUnreachableError extends HubApiError {
  override readonly name: string = "HubUnreachableError";
  constructor(url: string, cause: string, options?: ErrorOptions) {
    super(url, 0, undefined, cause, options);
    const origin = new URL(url).origin;
    this.message =
      `cannot reach the Hub at ${origin}: ${cause}. Check the network, or point --hub / HF_ENDPOINT at a ` +
      "reachable Hub. To work offline, start the replay Hub with `npm run hub-replay` and set " +
      "HF_ENDPOINT to the URL it prints.";
  }
}

/** The path of a Hub URL and its query without the long `expand[]` list, for readable log lines. */
export function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    const kept = [...u.searchParams].filter(([k]) => !k.startsWith("expand"));
    const dropped = [...u.searchParams].length > kept.length ? "…" : "";
    const query = kept.map(([k, v]) => `${k}=${v}`).join("&");
    return u.search ? `${u.pathname}?${query}${query && dropped ? "&" : ""}${dropped}` : u.pathname;
  } catch {
    return url;
  }
}

/** The report's reason for any error a Hub read threw. */
export function reasonOf(error: unknown): string {
  if (error instanceof HubApiError) return error.reason;
  const reason = (error as { reason?: unknown } | undefined)?.reason;
  if (typeof reason === "string") return reason;
  if (error instanceof HfHubApiError) return error.statusCode === 404 ? "not-found" : `http-${error.statusCode}`;
  return "error";
}

export function describeStatus(status: number, statusText: string, errorCode?: string): string {
  const what = `${status} ${statusText}`.trim();
  if (errorCode === "RepoNotFound") return `${what} — the repo does not exist (renamed, deleted or private)`;
  if (errorCode === "EntryNotFound") return `${what} — the repo has no such file`;
  if (errorCode === "GatedRepo" || status === 401 || status === 403) {
    return `${what} — the repo is gated or private; set HF_TOKEN to a token that has accepted its terms`;
  }
  if (status === 404) return `${what} — the repo or file does not exist (renamed or deleted?)`;
  if (status === 429)
    return `${what} — rate limited; retries ran out, set HF_TOKEN for a higher quota or lower --concurrency`;
  if (status >= 500) return `${what} — the Hub is having trouble; try again later`;
  return what;
}
