/**
 * The server this tool starts, after it is running: status, start, stop and its log. `stop` acts
 * only on a server whose pid file names a live process running the binary this tool started (on
 * Linux /proc/<pid>/exe, the script an interpreter runs, or the very process spawned — same pid and
 * start time; elsewhere the command line from `ps`); a pid file naming a dead or reused pid is
 * stale and removed. Starting is ensure-server.ts.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, rmSync, statSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import { ServerNotManagedError } from "../errors/index.ts";
import { ollamaBaseUrl } from "../runtimes/ollama/host.ts";
import { probeOllama } from "../runtimes/ollama/probe.ts";
import { ensureServer, findOllamaBinary, managedOllamaBinary, serverFiles, tail } from "./ensure-server.ts";
import { isAlive, runs } from "./process-info.ts";

export interface PidRecord {
  pid: number;
  binary: string;
  /** Linux: the process's start time when it was spawned, to recognise it after a wrapper exec'd. */
  startTicks?: number;
}

/** The pid file, with the binary ensure-server recorded for that pid (else the managed one). */
export function readPidFile(files = serverFiles()): PidRecord | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(files.pid, "utf8").trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 1) return undefined;
  try {
    const started = JSON.parse(readFileSync(files.started, "utf8")) as {
      pid?: unknown;
      binary?: unknown;
      startTicks?: unknown;
    };
    if (started.pid === pid && typeof started.binary === "string")
      return {
        pid,
        binary: started.binary,
        ...(typeof started.startTicks === "number" ? { startTicks: started.startTicks } : {}),
      };
  } catch {}
  return { pid, binary: managedOllamaBinary() };
}

/** The pid of the server this tool started, when it is still that server; a stale pid file is removed. */
export async function ownServer(): Promise<PidRecord | undefined> {
  const files = serverFiles();
  const record = readPidFile(files);
  if (record && isAlive(record.pid) && (await runs(record.pid, record.binary, record.startTicks))) return record;
  forget(files);
  return undefined;
}

const forget = (files = serverFiles()) => {
  rmSync(files.pid, { force: true });
  rmSync(files.started, { force: true });
};

/** Who probably runs a server this tool did not start, and how to stop it. */
export function describeOwner(): string {
  if (
    process.platform === "linux" &&
    ["/etc/systemd/system/ollama.service", "/usr/lib/systemd/system/ollama.service"].some(existsSync)
  )
    return "probably the systemd service `ollama` from Ollama's installer; stop it with `sudo systemctl stop ollama`";
  if (process.platform === "darwin") return "probably the Ollama app; quit it from the menu bar";
  if (process.platform === "win32") return "probably the Ollama app; quit it from the system tray";
  return "it was started outside small-llm (`ollama serve` or another program); stop it where it was started";
}

export interface ServerState {
  url: string;
  running: boolean;
  version?: string;
  /** Set when the server is the one this tool started. */
  pid?: number;
  binary?: string;
  managedByUs: boolean;
  logFile: string;
  /** For a running server this tool did not start: who probably owns it. */
  owner?: string;
}

export interface LifecycleOptions {
  host?: string | undefined;
  signal?: AbortSignal | undefined;
}

export async function serverStatus(options: LifecycleOptions = {}): Promise<ServerState> {
  const url = ollamaBaseUrl(options.host);
  const logFile = serverFiles().log;
  const own = await ownServer();
  const probe = await probeOllama(url, { signal: options.signal });
  const running = probe.answered;
  const version = probe.version;
  const state: ServerState = { url, running, managedByUs: Boolean(own && running), logFile };
  if (version) state.version = version;
  if (own && running) Object.assign(state, { pid: own.pid, binary: own.binary });
  else if (running) state.owner = describeOwner();
  else {
    const binary = findOllamaBinary();
    if (binary) state.binary = binary;
  }
  return state;
}

export async function startServer(options: LifecycleOptions & { binary?: string; timeoutMs?: number } = {}) {
  const url = ollamaBaseUrl(options.host);
  return ensureServer({
    baseUrl: url,
    ...(options.binary ? { binary: options.binary } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    signal: options.signal,
  });
}

export interface StopResult {
  stopped: boolean;
  pid?: number;
  /** What happened, for people. */
  message: string;
}

/** Stop the server this tool started; refuse (ServerNotManagedError) for one it did not. */
export async function stopServer(options: LifecycleOptions & { timeoutMs?: number } = {}): Promise<StopResult> {
  const url = ollamaBaseUrl(options.host);
  const own = await ownServer();
  if (!own) {
    if ((await probeOllama(url, { timeoutMs: 2000 })).answered)
      throw new ServerNotManagedError(
        `the Ollama server at ${url} was not started by small-llm, so it was left running: ${describeOwner()}.`,
      );
    return { stopped: false, message: `no Ollama server is running at ${url}` };
  }
  const signalGroup = (sig: NodeJS.Signals) => {
    try {
      process.kill(-own.pid, sig); // its own process group: the server and anything it spawned
    } catch {
      try {
        process.kill(own.pid, sig);
      } catch {}
    }
  };
  signalGroup("SIGTERM");
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  while (isAlive(own.pid) && Date.now() < deadline) await delay(100);
  if (isAlive(own.pid)) signalGroup("SIGKILL");
  // Stopped means nothing answers any more: a child of the server (a runner, a wrapper's child) may
  // outlive its parent by a moment while it closes its socket.
  while (Date.now() < deadline && (await probeOllama(url, { timeoutMs: 500 })).answered) await delay(100);
  forget();
  return { stopped: true, pid: own.pid, message: `stopped the Ollama server at ${url} (pid ${own.pid})` };
}

/** The last lines of the server's log. */
export const logTail = (lines = 50) => tail(serverFiles().log, lines);

/** Follow the log: call `onData` with what is appended until the signal fires. */
export async function followLog(onData: (text: string) => void, signal: AbortSignal, pollMs = 500): Promise<void> {
  const file = serverFiles().log;
  let offset = (() => {
    try {
      return statSync(file).size;
    } catch {
      return 0;
    }
  })();
  while (!signal.aborted) {
    await delay(pollMs);
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      continue;
    }
    if (size < offset) offset = 0; // rotated or truncated
    if (size === offset) continue;
    const fd = openSync(file, "r");
    try {
      const buffer = Buffer.alloc(Math.min(size - offset, 1 << 20));
      const n = readSync(fd, buffer, 0, buffer.length, offset);
      offset += n;
      onData(buffer.subarray(0, n).toString("utf8"));
    } finally {
      closeSync(fd);
    }
  }
}
