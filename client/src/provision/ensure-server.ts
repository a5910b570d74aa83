/**
 * Find the `ollama` executable and start `ollama serve` when it is installed but its server is
 * down: detached in its own process group (it outlives the CLI), output appended to
 * `<state>/logs/ollama.log`, pid in `<state>/ollama.pid`, then poll `HEAD /` (the Ollama CLI's own
 * readiness probe) every 500 ms for up to 30 s — and stop waiting the moment the child exits.
 */
import { spawn } from "node:child_process";
import { accessSync, constants, openSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { OllamaNotInstalledError, OllamaServerDownError } from "../errors/index.ts";
import { ensureDir } from "../fs-dirs.ts";
import { DIR_LABELS, paths } from "../paths.ts";
import { isLocal, ollamaBaseUrl } from "../runtimes/ollama/host.ts";
import { probeOllama } from "../runtimes/ollama/probe.ts";
import { processStartTicks } from "./process-info.ts";

const executable = (file: string) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The binary `small-llm setup` manages: `<data>/ollama/current/…`. */
export function managedOllamaBinary(dataDir = paths().data): string {
  return process.platform === "win32"
    ? join(dataDir, "ollama", "current", "ollama.exe")
    : process.platform === "darwin"
      ? join(dataDir, "ollama", "current", "ollama")
      : join(dataDir, "ollama", "current", "bin", "ollama");
}

/** Where Ollama's own installers put it, per platform. */
function platformPlaces(env: NodeJS.ProcessEnv): string[] {
  if (process.platform === "win32")
    return env.LOCALAPPDATA ? [join(env.LOCALAPPDATA, "Programs", "Ollama", "ollama.exe")] : [];
  if (process.platform === "darwin")
    return ["/Applications/Ollama.app/Contents/Resources/ollama", "/usr/local/bin/ollama", "/opt/homebrew/bin/ollama"];
  return ["/usr/local/bin/ollama", "/usr/bin/ollama"];
}

/** The `ollama` executable: on PATH, else this tool's own install, else the platform's usual places. */
export function findOllamaBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const names = process.platform === "win32" ? ["ollama.exe", "ollama.cmd"] : ["ollama"];
  const onPath = (env.PATH ?? "")
    .split(delimiter)
    .filter(Boolean)
    .flatMap((dir) => names.map((n) => join(dir, n)));
  return [...onPath, managedOllamaBinary(), ...platformPlaces(env)].find(executable);
}

export interface StartOptions {
  baseUrl: string;
  /** The binary to start (default: findOllamaBinary()). */
  binary?: string | undefined;
  pollMs?: number;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal | undefined;
}

export interface Started {
  started: boolean;
  pid?: number;
  logFile?: string;
}

export const serverFiles = () => ({
  log: join(paths().logs, "ollama.log"),
  pid: join(paths().state, "ollama.pid"),
  /** `{ pid, binary }` of the server this tool started last. */
  started: join(paths().state, "ollama.started.json"),
});

/** The last lines of a log, for an error message. */
export function tail(file: string, lines = 8): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

/**
 * What the started server listens on: the user's own OLLAMA_HOST when it names this server (so
 * `0.0.0.0` still serves the network, where the client connects over loopback), else the URL's
 * host and port (a URL's default port is implicit: `http://localhost` is port 80).
 */
export function bindAddress(baseUrl: string, userHost: string | undefined): string {
  if (userHost?.trim() && ollamaBaseUrl(userHost) === baseUrl) return userHost.trim();
  const url = new URL(baseUrl);
  return `${url.hostname}:${url.port || (url.protocol === "https:" ? "443" : "80")}`;
}

/** Resolves once the server answers; `started` says whether we had to start it. */
export async function ensureServer(options: StartOptions): Promise<Started> {
  const { baseUrl } = options;
  if ((await probeOllama(baseUrl, { timeoutMs: 2000 })).answered) return { started: false };
  const env = options.env ?? process.env;
  const binary = options.binary ?? findOllamaBinary(env);
  if (!binary) throw new OllamaNotInstalledError(baseUrl);
  if (!isLocal(baseUrl))
    throw new OllamaServerDownError(baseUrl, "it is on another machine, so it cannot be started from here");
  const files = serverFiles();
  ensureDir(paths().logs, DIR_LABELS.state);
  const out = openSync(files.log, "a");
  const child = spawn(binary, ["serve"], {
    detached: true,
    stdio: ["ignore", out, out],
    env: { ...env, OLLAMA_HOST: bindAddress(baseUrl, env.OLLAMA_HOST) },
  });
  let exited: string | undefined;
  child.on("error", (error) => {
    exited = error.message;
  });
  child.on("exit", (code, signal) => {
    exited = signal ? `killed by ${signal}` : `exit code ${code}`;
  });
  child.unref();
  if (child.pid) {
    writeFileSync(files.pid, `${child.pid}\n`);
    // Which binary that pid runs, so `server stop` can tell our server from a reused pid.
    const startTicks = processStartTicks(child.pid);
    writeFileSync(
      files.started,
      `${JSON.stringify({ pid: child.pid, binary, ...(startTicks ? { startTicks } : {}) })}\n`,
    );
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await delay(options.pollMs ?? 500);
    if (options.signal?.aborted) throw options.signal.reason;
    if ((await probeOllama(baseUrl, { timeoutMs: 2000 })).answered)
      return { started: true, ...(child.pid ? { pid: child.pid } : {}), logFile: files.log };
    if (exited !== undefined) break;
  }
  const last = tail(files.log);
  const why = exited
    ? `\`${binary} serve\` stopped at once (${exited})`
    : `started \`${binary} serve\` but it did not answer within ${Math.round(timeoutMs / 1000)} s`;
  throw new OllamaServerDownError(
    baseUrl,
    `${why}; its log ${files.log} ends with:\n${last ? last.replace(/^/gm, "    ") : "    (nothing)"}\n`,
  );
}
