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
}

/** Everything piped on stdin, as text. */
export async function readAll(stream: CliIo["stdin"]): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}
