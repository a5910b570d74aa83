/** A Hub answer we could not use. The message says what failed and what to do next. */
export class HubApiError extends Error {
  override readonly name = "HubApiError";
  constructor(
    readonly url: string,
    readonly statusCode: number | undefined,
    /** The Hub's `X-Error-Code` (`GatedRepo`, `RepoNotFound`, `EntryNotFound`, …) when it sent one. */
    readonly errorCode: string | undefined,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`[GET] "${url}": ${detail}`, options);
  }

  /** A short reason for the run report: `gated`, `not-found`, `http-500`, `broken-json`, `network`. */
  get reason(): string {
    if (this.errorCode === "GatedRepo" || this.statusCode === 401 || this.statusCode === 403) return "gated";
    if (this.statusCode === 404) return "not-found";
    if (this.statusCode !== undefined) return `http-${this.statusCode}`;
    if (this.cause instanceof SyntaxError) return "broken-json";
    return "network";
  }
}

export function describeStatus(status: number, statusText: string, errorCode?: string): string {
  const what = `${status} ${statusText}`.trim();
  if (errorCode === "GatedRepo" || status === 401 || status === 403) {
    return `${what} — the repo is gated or private; set HF_TOKEN to a token that has accepted its terms`;
  }
  if (status === 404) return `${what} — the repo or file does not exist (renamed or deleted?)`;
  if (status === 429)
    return `${what} — rate limited; retries ran out, set HF_TOKEN for a higher quota or lower --concurrency`;
  if (status >= 500) return `${what} — the Hub is having trouble; try again later`;
  return what;
}
