/**
 * Start `ollama serve` when the binary is installed but its server is down: detached, its output in
 * a log file and its pid in a pid file in the cache dir, then poll `HEAD /` every 500 ms for up to 30 s
 * (the Ollama CLI's own readiness probe).
 */
import { spawn } from "node:child_process";
import { accessSync, constants, mkdirSync, openSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { OllamaNotInstalledError, OllamaServerDownError } from "../errors.ts";
import { isLocal } from "./host.ts";

/** The `ollama` executable on PATH, or undefined. */
export function findOllamaBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const names = process.platform === "win32" ? ["ollama.exe", "ollama.cmd"] : ["ollama"];
  for (const dir of (env.PATH ?? "").split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const file = join(dir, name);
      try {
        accessSync(file, constants.X_OK);
        return file;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/**
 * Is a server listening? Ollama answers `HEAD /` with 200; any HTTP answer at all means something is
 * up at that address, and the request that follows says more if it is not Ollama.
 */
export async function heartbeat(baseUrl: string, timeoutMs = 2000): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/`, { method: "HEAD", signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

export interface EnsureServerOptions {
  baseUrl: string;
  cacheDir: string;
  pollMs?: number;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/** Resolves once the server answers; `started` says whether we had to start it. */
export async function ensureServer(
  options: EnsureServerOptions,
): Promise<{ started: boolean; pid?: number; logFile?: string }> {
  const { baseUrl } = options;
  if (await heartbeat(baseUrl)) return { started: false };
  const env = options.env ?? process.env;
  const binary = findOllamaBinary(env);
  if (!binary) throw new OllamaNotInstalledError(baseUrl);
  if (!isLocal(baseUrl))
    throw new OllamaServerDownError(baseUrl, "it is on another machine, so it cannot be started from here");
  mkdirSync(options.cacheDir, { recursive: true });
  const logFile = join(options.cacheDir, "ollama-serve.log");
  const out = openSync(logFile, "a");
  const url = new URL(baseUrl);
  const child = spawn(binary, ["serve"], {
    detached: true,
    stdio: ["ignore", out, out],
    env: { ...env, OLLAMA_HOST: `${url.hostname}:${url.port}` },
  });
  child.unref();
  if (child.pid) writeFileSync(join(options.cacheDir, "ollama-serve.pid"), `${child.pid}\n`);
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, options.pollMs ?? 500));
    if (await heartbeat(baseUrl)) return { started: true, ...(child.pid ? { pid: child.pid } : {}), logFile };
  }
  throw new OllamaServerDownError(
    baseUrl,
    `started \`ollama serve\` but it did not answer within ${Math.round((options.timeoutMs ?? 30_000) / 1000)} s; see ${logFile}`,
  );
}
