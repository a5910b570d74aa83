/**
 * HTTP to an OpenAI-compatible server over the client's HTTP layer: JSON calls and server-sent-event
 * streams (`data: {…}` lines ending in `data: [DONE]`), each cancellable. The API key goes only into
 * the Authorization header, never into a message. classify-error.ts turns the HTTP layer's failures
 * into the client's typed errors.
 */
import { errorText, readJson, readSse, readText, request, StreamError } from "../../http/index.ts";

export interface HttpOptions {
  baseUrl: string;
  apiKey?: string | undefined;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}

/** An error event or answer, whichever shape the server gives it. */
const errorOf = (value: unknown): string | undefined => {
  const error = (value as { error?: unknown } | null)?.error;
  if (error === undefined || error === null) return undefined;
  return errorText(JSON.stringify(value)) ?? "an error event";
};

export class OpenAIHttp {
  readonly baseUrl: string;
  readonly hasKey: boolean;
  private readonly headers: Record<string, string>;
  private readonly fetchImpl: typeof fetch | undefined;

  constructor(options: HttpOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.hasKey = Boolean(options.apiKey);
    this.headers = {
      accept: "application/json",
      ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
      ...options.headers,
    };
    this.fetchImpl = options.fetch;
  }

  private send(method: string, path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
    return request(`${this.baseUrl}${path}`, {
      method,
      headers: this.headers,
      ...(body === undefined ? {} : { json: body }),
      signal,
      fetch: this.fetchImpl,
    });
  }

  /** A JSON call; a body that is not JSON is a StreamError saying what came. */
  async json<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const response = await this.send(method, path, body, signal);
    return readJson<T>(response, { url: `${this.baseUrl}${path}`, signal });
  }

  /** POST and read the answer as server-sent events: one parsed JSON object per `data:` event. */
  async *stream<T>(path: string, body: unknown, signal?: AbortSignal): AsyncGenerator<T> {
    const url = `${this.baseUrl}${path}`;
    const response = await this.send("POST", path, body, signal);
    // Some servers and proxies ignore `stream: true` and answer the whole completion as JSON.
    if (/application\/json/i.test(response.headers.get("content-type") ?? "")) {
      const text = await readText(response, { url, signal });
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new StreamError(url, undefined, { detail: `an answer that is not JSON: ${text.slice(0, 80)}` });
      }
      const error = errorOf(value);
      if (error !== undefined) throw new StreamError(url, error);
      yield value as T;
      return;
    }
    yield* readSse<T>(response, { url, signal, errorOf });
  }
}
