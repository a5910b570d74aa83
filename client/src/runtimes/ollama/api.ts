/**
 * The Ollama REST API over the client's HTTP layer: JSON calls and NDJSON streams, each cancellable
 * with an AbortSignal. Written here rather than taken from ollama-js because that client prints to
 * stdout when an error body is not JSON (which corrupts `--json` output and the MCP stdio channel)
 * and does not export its error class. Failures are the HTTP layer's classes (nothing answered, an
 * error status, a stream with an `{"error": …}` line or cut short); classify-error.ts turns them
 * into the registry's errors.
 */
import { HttpStatusError, readNdjson, readText, request } from "../../http/index.ts";

/** Ollama's error body is exactly `{"error": "…"}`; anything else (HTML, another API's JSON) is not its answer. */
export function ollamaErrorText(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    return typeof parsed?.error === "string" ? parsed.error : undefined;
  } catch {
    return undefined;
  }
}

const errorOf = (value: unknown) => {
  const error = (value as { error?: unknown } | null)?.error;
  return typeof error === "string" ? error : undefined;
};

export interface OllamaApiOptions {
  host: string;
  fetch?: typeof fetch;
}

export class OllamaApi {
  readonly host: string;
  private readonly fetchImpl: typeof fetch | undefined;

  constructor(options: OllamaApiOptions) {
    this.host = options.host.replace(/\/+$/, "");
    this.fetchImpl = options.fetch;
  }

  /**
   * A request whose answer the caller reads itself, whatever its status: `HEAD /api/blobs/…` (404
   * means "send it"), or a raw upload body (`POST /api/blobs/…` streams a file).
   */
  raw(
    method: string,
    path: string,
    init: { body?: ReadableStream<Uint8Array>; signal?: AbortSignal | undefined } = {},
  ): Promise<Response> {
    return request(`${this.host}${path}`, {
      method,
      ...(init.body ? { body: init.body } : {}),
      signal: init.signal,
      accept: () => true,
      fetch: this.fetchImpl,
    });
  }

  /** A JSON call; an empty body (DELETE) resolves to undefined. */
  async json<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const url = `${this.host}${path}`;
    const response = await request(url, {
      method,
      ...(body === undefined ? {} : { json: body }),
      signal,
      errorText: ollamaErrorText,
      fetch: this.fetchImpl,
    });
    const text = await readText(response, { url, signal });
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      // Ollama always answers JSON here: whatever sent this page is something else on its port.
      throw new HttpStatusError(method, url, response.status, text, undefined, response.headers, response.statusText);
    }
  }

  /** An NDJSON stream, one parsed object per line; an `{"error"}` line throws a StreamError with its text. */
  async *stream<T>(path: string, body: unknown, signal?: AbortSignal): AsyncGenerator<T> {
    const url = `${this.host}${path}`;
    const response = await request(url, { json: body, signal, errorText: ollamaErrorText, fetch: this.fetchImpl });
    yield* readNdjson<T>(response, { url, signal, errorOf });
  }
}
