/**
 * Reading an answer's body: text (with a size cap), JSON, NDJSON (Ollama's streams) and
 * server-sent events (OpenAI-compatible streams, parsed with eventsource-parser). A body that
 * breaks off is a `StreamError` that is `cut`; an error line or event the server sent is a
 * `StreamError` with its message; the caller's cancel is `CancelledError`, a timeout `TimeoutError`.
 */
import { createParser } from "eventsource-parser";
import { CancelledError, TimeoutError } from "../errors/index.ts";
import { aborted } from "./abort.ts";
import { StreamError } from "./errors.ts";

export interface ReadOptions {
  /** The caller's signal, to tell its cancel from a dropped connection. */
  signal?: AbortSignal | undefined;
  /** For messages. */
  url: string;
}

/** What a failure while reading a body is. */
function bodyFailure(error: unknown, { signal, url }: ReadOptions): Error {
  if (error instanceof StreamError || error instanceof CancelledError || error instanceof TimeoutError) return error;
  if (signal?.aborted) return aborted(signal, `the answer from ${url}`, error);
  if ((error as Error)?.name === "TimeoutError")
    return new TimeoutError(`the answer from ${url} did not complete in time`, { cause: error });
  return new StreamError(url, undefined, { cause: error });
}

async function* chunks(response: Response, options: ReadOptions): AsyncGenerator<Uint8Array> {
  if (!response.body) return;
  try {
    yield* response.body as unknown as AsyncIterable<Uint8Array>;
  } catch (error) {
    throw bodyFailure(error, options);
  }
}

/** The body as text; over `maxBytes` is a StreamError (and the rest is not read). */
export async function readText(response: Response, options: ReadOptions & { maxBytes?: number }): Promise<string> {
  const max = options.maxBytes ?? Number.POSITIVE_INFINITY;
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > max) {
    await response.body?.cancel().catch(() => {});
    throw new StreamError(options.url, undefined, { detail: `${declared} bytes is over the ${max}-byte limit` });
  }
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks(response, options)) {
    size += chunk.byteLength;
    if (size > max) throw new StreamError(options.url, undefined, { detail: `the body is over the ${max}-byte limit` });
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString("utf8");
}

/** The body parsed as JSON; a body that is not JSON is a StreamError saying so. */
export async function readJson<T>(response: Response, options: ReadOptions & { maxBytes?: number }): Promise<T> {
  const text = await readText(response, options);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new StreamError(options.url, undefined, { detail: `an answer that is not JSON: ${text.slice(0, 80)}` });
  }
}

/** The error text a stream line or event carries, if it is an error (else undefined). */
export type ErrorOf = (value: unknown) => string | undefined;

/** NDJSON: one parsed object per line. A torn line is skipped (Ollama's own CLI does the same). */
export async function* readNdjson<T>(
  response: Response,
  options: ReadOptions & { errorOf?: ErrorOf },
): AsyncGenerator<T> {
  const decoder = new TextDecoder();
  let buffer = "";
  const parse = (line: string): T | undefined => {
    if (!line.trim()) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return undefined;
    }
    const error = options.errorOf?.(value);
    if (error !== undefined) throw new StreamError(options.url, error);
    return value as T;
  };
  for await (const chunk of chunks(response, options)) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline = buffer.indexOf("\n");
    while (newline !== -1) {
      const value = parse(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
      if (value !== undefined) yield value;
      newline = buffer.indexOf("\n");
    }
  }
  const last = parse(buffer + decoder.decode());
  if (last !== undefined) yield last;
}

/**
 * Server-sent events: one parsed JSON object per `data:` event, until `data: [DONE]`. An event that
 * is not JSON, or that `errorOf` calls an error, ends the stream with a StreamError.
 */
export async function* readSse<T>(response: Response, options: ReadOptions & { errorOf?: ErrorOf }): AsyncGenerator<T> {
  const ready: T[] = [];
  let done = false;
  let failure: StreamError | undefined;
  const parser = createParser({
    onEvent(event) {
      if (done || failure) return;
      if (event.data === "[DONE]") {
        done = true;
        return;
      }
      let value: unknown;
      try {
        value = JSON.parse(event.data);
      } catch {
        failure = new StreamError(options.url, undefined, {
          detail: `an event that is not JSON: ${event.data.slice(0, 80)}`,
        });
        return;
      }
      const error = options.errorOf?.(value);
      if (error !== undefined) failure = new StreamError(options.url, error);
      else ready.push(value as T);
    },
  });
  const decoder = new TextDecoder();
  for await (const chunk of chunks(response, options)) {
    parser.feed(decoder.decode(chunk, { stream: true }));
    while (ready.length) yield ready.shift() as T;
    if (failure) throw failure;
    if (done) {
      await response.body?.cancel().catch(() => {});
      return;
    }
  }
  parser.reset({ consume: true });
  while (ready.length) yield ready.shift() as T;
  if (failure) throw failure;
}
