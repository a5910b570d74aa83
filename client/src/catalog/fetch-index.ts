/** One conditional GET of an index URL, with a timeout and a cap on the body size. */
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
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.etag) headers["if-none-match"] = options.etag;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, { headers, signal });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const why = timeout.aborted
      ? `no answer within ${options.timeoutMs} ms`
      : (((error as Error).cause as Error | undefined)?.message ?? (error as Error).message);
    throw new FetchIndexError(`[GET] "${url}": ${why}`, { cause: error });
  }
  if (response.status === 304) {
    await response.body?.cancel();
    return { status: 304 };
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new FetchIndexError(`[GET] "${url}": ${response.status} ${response.statusText}`.trim());
  }
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > options.maxBytes) {
    await response.body?.cancel();
    throw new FetchIndexError(`[GET] "${url}": ${declared} bytes is over the ${options.maxBytes}-byte limit`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > options.maxBytes) {
        await response.body?.cancel().catch(() => {});
        throw new FetchIndexError(`[GET] "${url}": body is over the ${options.maxBytes}-byte limit`);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof FetchIndexError || options.signal?.aborted) throw error;
    const why = timeout.aborted ? `body not complete within ${options.timeoutMs} ms` : (error as Error).message;
    throw new FetchIndexError(`[GET] "${url}": ${why}`, { cause: error });
  }
  return { status: 200, body: Buffer.concat(chunks).toString("utf8"), etag: response.headers.get("etag") ?? undefined };
}
