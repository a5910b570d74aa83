/** One conditional GET of an index URL, with a timeout and a cap on the body size. */
import { CancelledError } from "../errors/index.ts";
import { HttpStatusError, readText, request } from "../http/index.ts";

export type Fetched = { status: 304 } | { status: 200; body: string; etag: string | undefined };

export class FetchIndexError extends Error {
  override readonly name = "FetchIndexError";
}

export async function fetchIndexText(
  url: string,
  options: {
    etag?: string | undefined;
    timeoutMs: number;
    maxBytes: number;
    signal?: AbortSignal | undefined;
    fetch?: typeof fetch;
  },
): Promise<Fetched> {
  if (!/^https?:\/\//i.test(url))
    throw new FetchIndexError(`"${url}" is not an http:// or https:// URL, a file:// URL or a path to an index file`);
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.etag) headers["if-none-match"] = options.etag;
  try {
    const response = await request(url, {
      headers,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      accept: (status) => status === 304,
      fetch: options.fetch,
    });
    if (response.status === 304) {
      await response.body?.cancel();
      return { status: 304 };
    }
    const body = await readText(response, { url, signal: options.signal, maxBytes: options.maxBytes });
    return { status: 200, body, etag: response.headers.get("etag") ?? undefined };
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    // One line per mirror in the report: the status and its name, never an HTML error page.
    const why =
      error instanceof HttpStatusError ? `${error.status} ${error.statusText}`.trim() : (error as Error).message;
    throw new FetchIndexError(why.startsWith("[GET]") ? why : `[GET] "${url}": ${why}`, { cause: error });
  }
}
