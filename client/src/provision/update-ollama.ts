/**
 * `update-ollama`: compare the installed Ollama with the latest release. An install this tool
 * manages is updated in place: download + verify + unpack the new version beside the old, switch
 * `current`, restart the server if this tool started it, and keep the old version until the new one
 * answers — rolling back to it if the new one does not. Any other install is only described.
 */
import { execFile } from "node:child_process";
import { realpathSync } from "node:fs";
import { promisify } from "node:util";
import { UpdateRolledBackError } from "../errors/index.ts";
import { ollamaBaseUrl } from "../runtimes/ollama/host.ts";
import { probeOllama } from "../runtimes/ollama/probe.ts";
import { olderThan } from "../runtimes/ollama/version.ts";
import type { DownloadProgress } from "./download.ts";
import { findOllamaBinary, managedOllamaBinary } from "./ensure-server.ts";
import { fetchRelease } from "./fetch-release.ts";
import { currentVersion, ollamaRoot, removeVersion, switchCurrent } from "./install-version.ts";
import { ownServer, startServer, stopServer } from "./lifecycle.ts";
import { lookupRelease } from "./releases.ts";
import { describeSystemInstall, type SystemInstall } from "./system-install.ts";

export interface UpdateOllamaOptions {
  host?: string | undefined;
  /** Only compare; change nothing. */
  check?: boolean | undefined;
  releasesUrl?: string | undefined;
  platform?: string | undefined;
  arch?: string | undefined;
  startTimeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  onStep?: ((text: string) => void) | undefined;
  onDownload?: ((p: DownloadProgress) => void) | undefined;
}

export interface UpdateOllamaResult {
  /** The version in use before (the managed install's, else the server's); undefined when none is found. */
  installed?: string;
  latest: string;
  updateAvailable: boolean;
  /** True when this call switched to the latest. */
  updated: boolean;
  managed: boolean;
  /** Whether the server was restarted on the new version. */
  restarted: boolean;
  /** For an install this tool does not manage: what manages it and how to update it. */
  system?: SystemInstall;
  /** A server answers but nothing is installed here (remote, container). */
  remote?: boolean;
}

const same = (a: string, b: string) => {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return a === b;
  }
};

/** Does the binary run at all (`ollama -v` exits 0)? For when no server of ours needs restarting. */
async function runsAtAll(binary: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    await promisify(execFile)(binary, ["-v"], { timeout: 15_000, ...(signal ? { signal } : {}) });
    return undefined;
  } catch (error) {
    return (error as Error).message.split("\n")[0];
  }
}

export async function updateOllama(options: UpdateOllamaOptions = {}): Promise<UpdateOllamaResult> {
  const url = ollamaBaseUrl(options.host);
  const root = ollamaRoot();
  const step = (t: string) => options.onStep?.(t);
  const release = await lookupRelease({
    ...(options.releasesUrl ? { baseUrl: options.releasesUrl } : {}),
    signal: options.signal,
  });
  const managedVersion = currentVersion(root);
  const binary = findOllamaBinary();
  const managed = managedVersion !== undefined && binary !== undefined && same(binary, managedOllamaBinary());
  const probe = await probeOllama(url);
  const running = probe.answered;
  const installed = managed ? managedVersion : probe.version;
  const updateAvailable = installed === undefined || olderThan(installed, release.version);
  const base = { latest: release.version, updateAvailable, managed, updated: false, restarted: false };
  const withInstalled = installed ? { installed } : {};
  if (!managed) {
    if (binary) return { ...base, ...withInstalled, system: describeSystemInstall(binary) };
    return { ...base, ...withInstalled, ...(running ? { remote: true } : {}) };
  }
  if (!updateAvailable || options.check) return { ...base, ...withInstalled };

  const previous = managedVersion;
  const fetched = await fetchRelease({
    release,
    platform: options.platform,
    arch: options.arch,
    signal: options.signal,
    onProgress: options.onDownload,
    onStep: step,
  });
  const ours = running ? await ownServer() : undefined;
  if (ours) {
    step(`stopping the server (pid ${ours.pid}) to restart it on ${fetched.tag}`);
    await stopServer({ host: url });
  }
  switchCurrent(fetched.version, root);
  // "Answers" means its server answers. With the port free, start it (for good if ours was running,
  // briefly otherwise); with the port held by a server not ours, the most we can check is that it runs.
  const portFree = Boolean(ours) || !running;
  let failure: string | undefined;
  if (portFree) {
    try {
      step(`starting Ollama ${fetched.tag} to check that it answers`);
      await startServer({ host: url, binary: managedOllamaBinary(), timeoutMs: options.startTimeoutMs ?? 30_000 });
      if (!(await probeOllama(url, { timeoutMs: 2000 })).answered) failure = "its server did not answer";
    } catch (error) {
      failure = (error as Error).message.split("\n")[0];
    }
  } else failure = await runsAtAll(managedOllamaBinary(), options.signal);
  if (failure) {
    switchCurrent(previous, root);
    if (portFree) await stopServer({ host: url }).catch(() => undefined);
    if (ours) await startServer({ host: url, binary: managedOllamaBinary() }).catch(() => undefined);
    removeVersion(fetched.version, root);
    throw new UpdateRolledBackError(fetched.version, previous, failure);
  }
  if (portFree && !ours) await stopServer({ host: url }); // it was not running before: leave it so
  removeVersion(previous, root); // the new one answers: the old one is no longer needed
  return { ...base, ...withInstalled, updated: true, restarted: Boolean(ours) };
}
