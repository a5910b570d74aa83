/**
 * Writing answers: the headers that say which model and runtime answered and after how many model
 * calls, a JSON answer, and a server-sent-event stream flushed event by event (no buffering proxy
 * may hold tokens back). Header values from runtimes (model names) are made safe for HTTP.
 */
import type { ServerResponse } from "node:http";
import type { Answerer } from "./chat-call.ts";
import type { ApiStyle } from "./errors.ts";

/** A value Node accepts in a header: printable ASCII, anything else percent-encoded. */
const headerSafe = (value: string) => (/^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value));

export function answerHeaders(who: Answerer | undefined, style: ApiStyle, requestId: string): Record<string, string> {
  return {
    ...(style === "anthropic" ? { "request-id": requestId } : { "x-request-id": requestId }),
    ...(who
      ? {
          "x-small-llm-model": headerSafe(who.model),
          "x-small-llm-runtime": headerSafe(String(who.runtime)),
          "x-small-llm-attempts": String(who.attempts),
        }
      : {}),
  };
}

/**
 * JSON with `<`, `>` and `&` escaped (still the same JSON to a parser): text a client or a model
 * wrote can never be read as markup, even by something that ignores the content type.
 */
export const safeJson = (body: unknown) =>
  JSON.stringify(body).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

export function sendJsonAnswer(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string>,
): void {
  const text = safeJson(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(text)),
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    ...headers,
  });
  res.end(text);
}

export const sendAnswer = (res: ServerResponse, body: unknown, headers: Record<string, string>) =>
  sendJsonAnswer(res, 200, body, headers);

/** A server-sent-event stream whose headers go out with the first event, so a failure before it keeps its status. */
export class EventWriter {
  constructor(private readonly res: ServerResponse) {}

  get started(): boolean {
    return this.res.headersSent;
  }

  /** False once the client went away: nothing more is written. */
  get open(): boolean {
    return !this.res.destroyed && !this.res.writableEnded;
  }

  start(headers: Record<string, string>): void {
    if (this.res.headersSent) return;
    this.res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
      "x-accel-buffering": "no",
      ...headers,
    });
  }

  /** `event: <name>` (Anthropic dispatches on it) when named, then `data: <json>`. */
  send(data: unknown, event?: string): void {
    if (!this.open) return;
    this.res.write(
      `${event ? `event: ${event}\n` : ""}data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`,
    );
  }

  end(): void {
    if (this.open) this.res.end();
  }
}

/** Aborts when the client goes away before the answer is complete: the model call is cancelled. */
export function clientSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}
