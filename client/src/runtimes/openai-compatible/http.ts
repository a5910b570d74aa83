/**
 * HTTP to an OpenAI-compatible server over fetch: JSON calls and server-sent-event streams
 * (`data: {…}` lines ending in `data: [DONE]`, parsed with eventsource-parser), each cancellable.
 * The API key goes only into the Authorization header, never into a message. Failures are three
 * raw classes that classify-error.ts turns into the client's typed errors.
 */
import { createParser } from "eventsource-parser";

/** Nothing answered (refused, unknown host, reset before the headers). */
export class NoAnswerError extends Error {
  override readonly name = "NoAnswerError";
  constructor(
    readonly url: string,
    options: ErrorOptions,
  ) {
    const cause = options.cause as { message?: string; cause?: { code?: string; message?: string } } | undefined;
    super(`[${url}] ${cause?.cause?.code ?? cause?.cause?.message ?? cause?.message ?? "no answer"}`, options);
  }
}

/** The server answered with an HTTP error; `serverMessage` is the error text found in its body. */
export class HttpStatusError extends Error {
  override readonly name = "HttpStatusError";
  constructor(
    readonly url: string,
    readonly status: number,
    readonly body: string,
    readonly serverMessage: string | undefined,
  ) {
    super(`[${url}] ${status} ${serverMessage ?? body.slice(0, 200)}`);
  }
}

/** The stream carried an error event after HTTP 200, or ended before `[DONE]` / a finish reason. */
export class StreamBrokenError extends Error {
  override readonly name = "StreamBrokenError";
  constructor(
    readonly url: string,
    readonly serverMessage: string | undefined,
    options?: ErrorOptions,
  ) {
    super(serverMessage ?? `the stream from ${url} ended early`, options);
  }
  get cut(): boolean {
    return this.serverMessage === undefined;
  }
}

export interface HttpOptions {
  baseUrl: string;
  apiKey?: string | undefined;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}

export class OpenAIHttp {
  readonly baseUrl: string;
  readonly hasKey: boolean;
  private readonly headers: Record<string, string>;
  private readonly fetchImpl: typeof fetch;

  constructor(options: HttpOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.hasKey = Boolean(options.apiKey);
    this.headers = {
      accept: "application/json",
      ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
      ...options.headers,
    };
    this.fetchImpl = options.fetch ?? fetch;
  }

  private async send(method: string, path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
    const url = `${this.baseUrl}${path}`;
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method,
        headers: body === undefined ? this.headers : { ...this.headers, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason ?? error;
      throw new NoAnswerError(url, { cause: error });
    }
    if (!response.ok) {
      const text = await response.text().catch(() => "");
      throw new HttpStatusError(url, response.status, text, errorText(text));
    }
    return response;
  }

  /** A JSON call; a body that is not JSON is an HttpStatusError carrying what came. */
  async json<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const response = await this.send(method, path, body, signal);
    const text = await response.text();
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new HttpStatusError(`${this.baseUrl}${path}`, response.status, text, undefined);
    }
  }

  /** POST and read the answer as server-sent events: one parsed JSON object per `data:` event. */
  async *stream<T>(path: string, body: unknown, signal?: AbortSignal): AsyncGenerator<T> {
    const url = `${this.baseUrl}${path}`;
    const response = await this.send("POST", path, body, signal);
    if (!response.body) throw new StreamBrokenError(url, undefined);
    // Some servers and proxies ignore `stream: true` and answer the whole completion as JSON.
    if (/application\/json/i.test(response.headers.get("content-type") ?? "")) {
      const text = await response.text();
      let value: T & { error?: unknown };
      try {
        value = JSON.parse(text);
      } catch {
        throw new StreamBrokenError(url, `an answer that is not JSON: ${text.slice(0, 80)}`);
      }
      if (value && typeof value === "object" && value.error !== undefined && value.error !== null)
        throw new StreamBrokenError(url, errorText(text) ?? "an error answer");
      yield value as Awaited<T>;
      return;
    }
    const ready: T[] = [];
    let done = false;
    let failure: Error | undefined;
    const parser = createParser({
      onEvent(event) {
        if (done || failure) return;
        if (event.data === "[DONE]") {
          done = true;
          return;
        }
        let value: T & { error?: unknown };
        try {
          value = JSON.parse(event.data);
        } catch {
          failure = new StreamBrokenError(url, `an event that is not JSON: ${event.data.slice(0, 80)}`);
          return;
        }
        if (value && typeof value === "object" && value.error !== undefined && value.error !== null) {
          failure = new StreamBrokenError(url, errorText(JSON.stringify(value)) ?? "an error event");
          return;
        }
        ready.push(value);
      },
    });
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        parser.feed(decoder.decode(chunk, { stream: true }));
        while (ready.length) yield ready.shift() as T;
        if (failure) throw failure;
        if (done) return;
      }
    } catch (error) {
      if (signal?.aborted) throw signal.reason ?? error;
      if (error instanceof StreamBrokenError) throw error;
      throw new StreamBrokenError(url, undefined, { cause: error });
    }
    parser.reset({ consume: true });
    while (ready.length) yield ready.shift() as T;
    if (failure) throw failure;
  }
}

/**
 * The error text in a body, whichever shape the server uses: OpenAI `{"error":{"message"}}`,
 * LM Studio / Ollama `{"error":"…"}`, FastAPI `{"detail":…}`, or `{"message":…}`.
 */
export function errorText(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== "object") return undefined;
  const { error, detail, message } = parsed as { error?: unknown; detail?: unknown; message?: unknown };
  if (typeof error === "string") return error;
  if (error && typeof error === "object") {
    const m = (error as { message?: unknown }).message;
    if (typeof m === "string") return m;
  }
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) return JSON.stringify(detail).slice(0, 300);
  if (typeof message === "string") return message;
  return undefined;
}
