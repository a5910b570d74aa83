#!/usr/bin/env node
/** The `small-llm` process: real streams, Ctrl-C as a cancel, and `main`'s answer as the exit status. */
import * as nodeModule from "node:module";
import { join } from "node:path";
import { paths } from "../paths.ts";

// Said before anything newer is loaded: on an old Node the rest would fail with a linker error.
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `small-llm: needs Node.js 22.12 or newer, and this is ${process.version}. Install the current LTS (https://nodejs.org, or \`nvm install --lts\`).\n`,
  );
  process.exit(1);
}
// V8 keeps the compiled CLI in the cache directory, so a warm start skips compiling it again.
nodeModule.enableCompileCache?.(join(paths().cache, "compile-cache"));
const [{ main }, { CancelledError }, { InterruptChannel }] = await Promise.all([
  import("./main.ts"),
  import("../errors/index.ts"),
  import("./io.ts"),
]);

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
// The command is over, but keep-alive sockets and timers may still hold the event loop: exit, once
// everything written has reached the pipe (process.exit drops what a pipe has not taken yet).
const drained = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write("", () => resolve()));
await Promise.all([drained(process.stdout), drained(process.stderr)]);
process.exit(code);
