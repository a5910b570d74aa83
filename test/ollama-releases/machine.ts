/**
 * A pretend machine for end-to-end tests of `small-llm setup`: its own HOME, XDG dirs, PATH (no
 * ollama on it), OLLAMA_HOST on a free port and OLLAMA_MODELS; the CLI runs inside it (in process;
 * Ctrl-C tests spawn the built CLI), and `cleanup` stops any server it left running.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cliInProcess } from "../helpers/cli-in-process.ts";
import type { CommandResult } from "../helpers/run-command.ts";

const CLI = new URL("../../client/dist/cli.js", import.meta.url).pathname;

/** A port nothing listens on right now (bound and released by the OS, not picked at random). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

export interface Machine {
  home: string;
  data: string;
  state: string;
  port: number;
  env: Record<string, string>;
  cli(args: string[], extraEnv?: Record<string, string>): Promise<CommandResult>;
  /** Start the CLI, send Ctrl-C once stderr matches `when`, and collect what it printed. */
  interrupt(
    args: string[],
    when: RegExp,
    extraEnv?: Record<string, string>,
  ): Promise<CommandResult & { sawCue: boolean }>;
  cleanup(): Promise<void>;
}

export async function createMachine(env: Record<string, string>): Promise<Machine> {
  const home = mkdtempSync(join(tmpdir(), "sli-home-"));
  const bin = join(home, "empty-bin");
  mkdirSync(bin);
  const port = await freePort();
  const machine: Machine = {
    home,
    data: join(home, ".local", "share", "small-llm"),
    state: join(home, ".local", "state", "small-llm"),
    port,
    env: {
      HOME: home,
      XDG_DATA_HOME: join(home, ".local", "share"),
      XDG_STATE_HOME: join(home, ".local", "state"),
      XDG_CACHE_HOME: join(home, ".cache"),
      XDG_CONFIG_HOME: join(home, ".config"),
      SMALL_LLM_STATE_DIR: "",
      SMALL_LLM_CACHE_DIR: "",
      SMALL_LLM_CONFIG_DIR: "",
      // No ollama anywhere on it; /usr/bin and /bin for sh, zip and ps.
      PATH: `${bin}:/usr/bin:/bin`,
      OLLAMA_HOST: `127.0.0.1:${port}`,
      OLLAMA_MODELS: join(home, ".ollama", "models"),
      ...env,
    },
    // In this process, through main(): the same CLI without a Node start per call.
    cli: (args, extraEnv = {}) => cliInProcess(args, { env: { ...machine.env, ...extraEnv } }),
    interrupt: (args, when, extraEnv = {}) =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, ...args], {
          env: { ...process.env, ...machine.env, ...extraEnv },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        let sawCue = false;
        child.stdout.on("data", (d) => {
          stdout += d;
        });
        child.stderr.on("data", (d) => {
          stderr += d;
          if (!sawCue && when.test(stderr)) {
            sawCue = true;
            child.kill("SIGINT");
          }
        });
        const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
        child.on("error", reject);
        child.on("close", (code) => {
          clearTimeout(timer);
          resolve({ code, stdout, stderr, sawCue });
        });
      }),
    cleanup: async () => {
      try {
        const pid = Number(readFileSync(join(machine.state, "ollama.pid"), "utf8").split("\n")[0]);
        if (pid > 1) process.kill(-pid, "SIGKILL");
      } catch {}
      rmSync(home, { recursive: true, force: true });
    },
  };
  return machine;
}
