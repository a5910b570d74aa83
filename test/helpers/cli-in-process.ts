/**
 * Run `small-llm` in this process through `main(argv, io)`: the same parsing, operations and exit
 * codes as the built CLI, without a Node start per call. The environment is set for the call and
 * put back afterwards, so a test file's calls never leak into each other. Ctrl-C is `interruptWhen`.
 */
import { PassThrough, Readable } from "node:stream";
import { InterruptChannel } from "../../client/src/cli/io.ts";
import { main } from "../../client/src/cli/main.ts";
import type { CommandResult } from "./run-command.ts";

export interface InProcessOptions {
  env?: Record<string, string | undefined>;
  /** Piped to stdin; without it stdin is an empty pipe. */
  input?: string;
  /** Pretend stdout is a terminal (the answer streams). */
  tty?: boolean;
  /** The terminal's width, with `tty`. */
  columns?: number;
  /**
   * Press Ctrl-C the first time the output matches: as in the real process, a command that took
   * Ctrl-C over (chat) gets it, any other is cancelled.
   */
  interruptWhen?: RegExp;
  /** The working directory for the call (relative paths in the arguments). */
  cwd?: string;
}

export async function cliInProcess(args: string[], options: InProcessOptions = {}): Promise<CommandResult> {
  const saved: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(options.env ?? {})) {
    saved[key] = process.env[key];
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  const cwd = process.cwd();
  if (options.cwd) process.chdir(options.cwd);
  const controller = new AbortController();
  const interrupt = new InterruptChannel();
  let stdout = "";
  let stderr = "";
  let pressed = false;
  const watch = () => {
    if (pressed || !options.interruptWhen?.test(stdout + stderr)) return;
    pressed = true;
    if (!interrupt.fire()) controller.abort();
  };
  const out = Object.assign(new PassThrough(), { isTTY: options.tty, columns: options.columns });
  const err = new PassThrough();
  out.on("data", (d) => {
    stdout += d;
    watch();
  });
  err.on("data", (d) => {
    stderr += d;
    watch();
  });
  const stdin = Object.assign(Readable.from(options.input ? [Buffer.from(options.input)] : []), { isTTY: false });
  try {
    const code = await main(args, { stdout: out, stderr: err, stdin, signal: controller.signal, interrupt });
    await new Promise((r) => setImmediate(r)); // the last writes reach the collectors
    return { code, stdout, stderr };
  } finally {
    process.chdir(cwd);
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
