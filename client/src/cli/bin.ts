#!/usr/bin/env node
/** The `small-llm` process: real streams, Ctrl-C as a cancel, and `main`'s answer as the exit status. */
import { CancelledError } from "../errors/index.ts";
import { InterruptChannel } from "./io.ts";
import { main } from "./main.ts";

// A closed pipe (`small-llm models --json | head`) ends the output, quietly.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

const controller = new AbortController();
const interrupt = new InterruptChannel();
process.on("SIGINT", () => {
  if (interrupt.fire()) return; // a command took Ctrl-C over (chat stops the answer, not the session)
  if (controller.signal.aborted) process.exit(130); // a second Ctrl-C does not wait for clean-up
  controller.abort(new CancelledError("the command"));
});

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  signal: controller.signal,
  interrupt,
});
// Servers (serve, mcp) and streams may still hold the event loop: the command is over.
process.exit(code);
