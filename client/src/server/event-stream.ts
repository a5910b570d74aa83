/**
 * A response that streams events — pull progress, tokens — as NDJSON (one `{"type": …}` object a
 * line, the default) or as server-sent events when the client asks for `text/event-stream`. Its
 * signal aborts when the client goes away, so a closed tab or a Ctrl-C'd curl cancels the pull.
 * Headers go out with the first event: a failure before any (bad model, Ollama down) still gets
 * its proper HTTP status; one after is sent as an `error` event and ends the stream. Events that
 * say nothing yet can be held: Ollama's pull says `pulling manifest` before it says the model does
 * not exist, and that line must not commit a 200 to an answer that is a 404.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { PullProgress } from "../runtimes/runtime.ts";
import { errorPayload, sendError } from "./api-error.ts";

export interface EventStream {
  signal: AbortSignal;
  send(type: string, data: object): void;
  /** Keep an event back until another is sent (then it goes first); a failure before that drops it. */
  hold(type: string, data: object): void;
  /** Send a final event and end the response. */
  end(type: string, data: object): void;
  /** Report a failure: an HTTP error if nothing was streamed yet, else an `error` event. */
  fail(error: unknown): void;
}

export function openEventStream(req: IncomingMessage, res: ServerResponse): EventStream {
  const sse = (req.headers.accept ?? "").includes("text/event-stream");
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const held: [string, object][] = [];
  const write = (type: string, data: object) => {
    if (res.destroyed) return;
    for (const [t, d] of held.splice(0)) write(t, d);
    if (!res.headersSent) {
      res.writeHead(200, {
        "content-type": sse ? "text/event-stream; charset=utf-8" : "application/x-ndjson; charset=utf-8",
        "cache-control": "no-store",
        "x-accel-buffering": "no",
      });
    }
    res.write(sse ? `event: ${type}\ndata: ${JSON.stringify(data)}\n\n` : `${JSON.stringify({ type, ...data })}\n`);
  };
  return {
    signal: controller.signal,
    send: write,
    hold(type, data) {
      if (res.headersSent) write(type, data);
      else held.push([type, data]);
    },
    end(type, data) {
      write(type, data);
      res.end();
    },
    fail(error) {
      if (res.destroyed) return;
      if (!res.headersSent) return sendError(res, error);
      write("error", { error: errorPayload(error) });
      res.end();
    },
  };
}

/** Open a stream, run `work` on it, and end with `done` carrying `{ [key]: its result }` — or with its failure. */
export async function streamed(
  req: IncomingMessage,
  res: ServerResponse,
  key: string,
  work: (stream: EventStream) => Promise<unknown>,
): Promise<void> {
  const stream = openEventStream(req, res);
  try {
    stream.end("done", { [key]: await work(stream) });
  } catch (error) {
    stream.fail(error);
  }
}

/**
 * Pull progress as events. A line with no layer yet (`pulling manifest`) is held back until there
 * is more to say, so a model the registry does not have is a 404, not a 200 with an error event.
 */
export const sendProgress = (stream: EventStream, p: PullProgress) =>
  p.digest ? stream.send("progress", { ...p }) : stream.hold("progress", { ...p });

/** What a generation (run, a chat turn) streams: pull progress, tokens and thoughts; the client going away cancels it. */
export const generationHooks = (stream: EventStream) => ({
  signal: stream.signal,
  onProgress: (p: PullProgress) => sendProgress(stream, p),
  onToken: (text: string) => stream.send("token", { text }),
  onThinking: (text: string) => stream.send("thinking", { text }),
});
