/**
 * Where a CLI run reads and writes: the process's streams when run as `small-llm`, or any streams
 * a caller hands `main()` (the tests run most commands in process this way).
 */
import type { Readable, Writable } from "node:stream";

export type Out = Writable & { isTTY?: boolean; columns?: number };

export interface CliIo {
  stdout: Out;
  stderr: Out;
  stdin: Readable & { isTTY?: boolean };
  /** Ctrl-C: cancels the command in flight. */
  signal: AbortSignal;
  /** Ctrl-C as an event a command may take over (chat: it stops the answer, not the session). */
  interrupt?: InterruptChannel;
}

/**
 * Where Ctrl-C goes. While a command holds it, a Ctrl-C calls the command's handler instead of
 * cancelling the command; `fire()` says whether someone took it.
 */
export class InterruptChannel {
  private handler: (() => void) | undefined;

  /** Take Ctrl-C over until the returned function is called. */
  take(handler: () => void): () => void {
    this.handler = handler;
    return () => {
      if (this.handler === handler) this.handler = undefined;
    };
  }

  fire(): boolean {
    if (!this.handler) return false;
    this.handler();
    return true;
  }
}

/** Everything piped on stdin, as text. */
export async function readAll(stream: CliIo["stdin"]): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}
