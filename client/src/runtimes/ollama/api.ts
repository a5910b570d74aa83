/**
 * The Ollama REST API over fetch: JSON calls and NDJSON streams, each cancellable with an
 * AbortSignal. Written here rather than taken from ollama-js because that client prints to stdout
 * when an error body is not JSON (which corrupts `--json` output and the MCP stdio channel) and
 * does not export its error class, so failures could only be told apart by duck typing.
 * Failures are three classes, told apart with `instanceof`: nothing answered, the server answered
 * with an HTTP error, or a stream carried an `{"error": …}` line or was cut.
 */

import { CancelledError } from "../../errors/index.ts";

/** Nothing answered at the address (refused, unknown host, reset before an answer). */
export class OllamaUnreachableError extends Error {
  override readonly name = "OllamaUnreachableError";
  constructor(
    readonly method: string,
    readonly url: string,
    options: ErrorOptions,
  ) {
    const cause = options.cause as { message?: string; cause?: { code?: string; message?: string } } | undefined;
    super(
      `[${method}] "${url}": ${cause?.cause?.code ?? cause?.cause?.message ?? cause?.message ?? "no answer"}`,
      options,
    );
  }
}

/** The server answered with an HTTP error status; `serverMessage` is its `{"error": …}` text when it sent JSON. */
export class OllamaHttpError extends Error {
  override readonly name = "OllamaHttpError";
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly body: string,
    readonly serverMessage: string | undefined,
  ) {
    super(`[${method}] "${url}": ${status} ${serverMessage ?? body.slice(0, 200)}`);
  }
}

/** A stream sent an `{"error": …}` line (the HTTP status was already 200), or ended before `done`. */
export class OllamaStreamError extends Error {
  override readonly name = "OllamaStreamError";
  constructor(
    readonly url: string,
    readonly serverMessage: string | undefined,
    options?: ErrorOptions,
  ) {
    super(serverMessage ?? `the stream from ${url} ended early`, options);
  }
  /** True when the connection dropped rather than the server reporting an error. */
  get cut(): boolean {
    return this.serverMessage === undefined;
  }
}

export interface OllamaApiOptions {
  host: string;
  fetch?: typeof fetch;
}

export class OllamaApi {
  readonly host: string;
  private readonly fetchImpl: typeof fetch;

  constructor(options: OllamaApiOptions) {
    this.host = options.host.replace(/\/+$/, "");
    this.fetchImpl = options.fetch ?? fetch;
  }

  private async send(method: string, path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
    const url = `${this.host}${path}`;
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (signal?.aborted) throw new CancelledError(`[${method}] "${url}"`, { cause: signal.reason ?? error });
      throw new OllamaUnreachableError(method, url, { cause: error });
    }
    if (!response.ok) {
      const text = await response.text().catch(() => "");
      throw new OllamaHttpError(method, url, response.status, text, errorText(text));
    }
    return response;
  }

  /**
   * A request whose answer the caller reads itself, whatever its status: `HEAD /api/blobs/…` (404
   * means "send it"), or a raw upload body (`POST /api/blobs/…` streams a file, so `duplex`).
   */
  async raw(
    method: string,
    path: string,
    init: { body?: ReadableStream<Uint8Array>; signal?: AbortSignal | undefined } = {},
  ): Promise<Response> {
    const url = `${this.host}${path}`;
    try {
      return await this.fetchImpl(url, {
        method,
        ...(init.body ? { body: init.body, duplex: "half" } : {}),
        ...(init.signal ? { signal: init.signal } : {}),
      } as RequestInit);
    } catch (error) {
      if (init.signal?.aborted) throw init.signal.reason ?? error;
      throw new OllamaUnreachableError(method, url, { cause: error });
    }
  }

  /** A JSON call; an empty body (DELETE) resolves to undefined. */
  async json<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const response = await this.send(method, path, body, signal);
    const text = await response.text();
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new OllamaHttpError(method, `${this.host}${path}`, response.status, text, undefined);
    }
  }

  /** An NDJSON stream, one parsed object per line; an `{"error"}` line throws OllamaStreamError. */
  async *stream<T>(path: string, body: unknown, signal?: AbortSignal): AsyncGenerator<T> {
    const url = `${this.host}${path}`;
    const response = await this.send("POST", path, body, signal);
    if (!response.body) throw new OllamaStreamError(url, undefined);
    const decoder = new TextDecoder();
    let buffer = "";
    const parse = (line: string): T | undefined => {
      if (!line.trim()) return undefined;
      let value: T & { error?: unknown };
      try {
        value = JSON.parse(line);
      } catch {
        return undefined; // a torn line; the server's own CLI skips these too
      }
      if (typeof value.error === "string") throw new OllamaStreamError(url, value.error);
      return value;
    };
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let newline = buffer.indexOf("\n");
        while (newline !== -1) {
          const value = parse(buffer.slice(0, newline));
          buffer = buffer.slice(newline + 1);
          if (value !== undefined) yield value;
          newline = buffer.indexOf("\n");
        }
      }
    } catch (error) {
      if (signal?.aborted) throw new CancelledError(`the stream from ${url}`, { cause: signal.reason ?? error });
      if (error instanceof OllamaStreamError) throw error;
      throw new OllamaStreamError(url, undefined, { cause: error });
    }
    const last = parse(buffer);
    if (last !== undefined) yield last;
  }
}

/** `{"error": "…"}` → the text; anything else (HTML, plain text) → undefined. */
function errorText(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    return typeof parsed.error === "string" ? parsed.error : undefined;
  } catch {
    return undefined;
  }
}
