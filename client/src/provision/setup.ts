/**
 * `setup()`: from nothing to a running Ollama with a model, reusing whatever is already there.
 * 1. a server answers at OLLAMA_HOST → reuse it; 2. an `ollama` binary is found → start it;
 * 3. else download this platform's release into `<data>/ollama/<version>/`, verify, unpack, switch
 * `current`; 4. start `ollama serve` detached; 5. pull the model asked for, or the top chat
 * recommendation for this machine, after the disk/memory pre-flight. On a ready machine it only
 * looks, which takes well under a second.
 */
import type { Writable } from "node:stream";
import type { Index } from "../../../schema/index.ts";
import { getIndex } from "../catalog/get-index.ts";
import { OllamaServerDownError } from "../errors/index.ts";
import { detectHardware, type Hardware } from "../hardware/detect-hardware.ts";
import { checkBeforePull } from "../operations/preflight.ts";
import { recommend } from "../recommend/recommend.ts";
import { OllamaDriver } from "../runtimes/ollama/driver.ts";
import { isLocal } from "../runtimes/ollama/host.ts";
import { probeOllama } from "../runtimes/ollama/probe.ts";
import { sameModel } from "../runtimes/ollama/refs.ts";
import { resolveRef } from "../runtimes/resolve-target.ts";
import type { InstalledModel, PullProgress } from "../runtimes/runtime.ts";
import type { DownloadProgress } from "./download.ts";
import { ensureServer, findOllamaBinary, managedOllamaBinary, serverFiles } from "./ensure-server.ts";
import { fetchRelease } from "./fetch-release.ts";
import { ollamaRoot, switchCurrent } from "./install-version.ts";
import { ownServer } from "./lifecycle.ts";

export interface SetupOptions {
  /** Ollama server address (default OLLAMA_HOST). */
  host?: string | undefined;
  /** An index id or Ollama ref to pull instead of the recommendation. */
  model?: string | undefined;
  /** Pull no model. */
  noModel?: boolean | undefined;
  /** Which Ollama release to download when one is needed (default: the latest). */
  version?: string | undefined;
  /** Pull even when the pre-flight says it will not fit. */
  force?: boolean | undefined;
  /** Releases API base (default SMALL_LLM_OLLAMA_RELEASES or GitHub's). */
  releasesUrl?: string | undefined;
  /** The index to recommend from and resolve ids with (default getIndex()). */
  index?: Index | (() => Promise<Index | undefined>) | undefined;
  hardware?: Hardware | undefined;
  platform?: string | undefined;
  arch?: string | undefined;
  /** How long to wait for a started server (default 30 s). */
  startTimeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  onStep?: ((text: string) => void) | undefined;
  onDownload?: ((p: DownloadProgress) => void) | undefined;
  onPull?: ((p: PullProgress) => void) | undefined;
  openWrite?: ((path: string, flags: "a" | "w") => Writable) | undefined;
}

export interface SetupResult {
  runtime: "ollama";
  /** What the server reports; absent when it does not say (a build without /api/version). */
  version?: string;
  url: string;
  /** How the server came to be running. */
  server: "reused" | "started" | "installed";
  /** The pid when this tool started the server (now or earlier). */
  pid?: number;
  logFile?: string;
  binary?: string;
  /** The model set up, and whether it was pulled now. */
  model?: { ref: string; id?: string; pulled: boolean };
  models: InstalledModel[];
  /** False when the machine was already set up and nothing was done. */
  changed: boolean;
  notes: string[];
}

/**
 * The index, or undefined when none can be had. Never rejects: it is started early and awaited
 * late, and a setup that fails (or is cancelled) in between must not leave a rejection nobody hears.
 */
async function loadIndex(option: SetupOptions["index"], signal?: AbortSignal): Promise<Index | undefined> {
  if (typeof option === "function") return option().catch(() => undefined);
  if (option) return option;
  return getIndex({ signal }).then(
    (r) => r.index,
    () => undefined,
  );
}

export async function setup(options: SetupOptions = {}): Promise<SetupResult> {
  const { signal } = options;
  const step = (text: string) => options.onStep?.(text);
  const driver = new OllamaDriver(options.host ? { host: options.host } : {});
  const url = driver.host;
  const notes: string[] = [];
  let server: SetupResult["server"] = "reused";
  let pid: number | undefined;
  let logFile: string | undefined;
  let binary = findOllamaBinary();
  // Started now, awaited at step 5: on a ready machine these overlap with the server checks.
  const indexLoad = options.noModel ? undefined : loadIndex(options.index, signal);
  const hardwareLoad = options.noModel
    ? undefined
    : options.hardware
      ? Promise.resolve(options.hardware)
      : detectHardware();

  if ((await probeOllama(url, { timeoutMs: 2000 })).answered) {
    // Something else on the port is a NotOllamaError (no model list at /api/tags), not a reuse.
    await driver.list({ signal });
    pid = (await ownServer())?.pid;
  } else {
    if (!isLocal(url))
      throw new OllamaServerDownError(url, "it is on another machine, so setup cannot install or start it here");
    if (!binary) {
      step("no Ollama found: downloading it (no root needed)");
      const fetched = await fetchRelease({
        version: options.version,
        releasesUrl: options.releasesUrl,
        platform: options.platform,
        arch: options.arch,
        signal,
        onProgress: options.onDownload,
        onStep: step,
        openWrite: options.openWrite,
      });
      switchCurrent(fetched.version, ollamaRoot());
      binary = managedOllamaBinary();
      server = "installed";
      notes.push(`installed Ollama ${fetched.tag} in ${fetched.dir}`);
    } else {
      server = "started";
      if (options.version) notes.push(`--version was not used: Ollama is already installed at ${binary}`);
    }
    step(`starting \`ollama serve\` (${binary})`);
    const started = await ensureServer({
      baseUrl: url,
      binary,
      signal,
      ...(options.startTimeoutMs ? { timeoutMs: options.startTimeoutMs } : {}),
    });
    pid = started.pid;
    logFile = started.logFile;
  }
  const version = await driver.version({ signal });

  let model: SetupResult["model"];
  let pulled = false;
  if (!options.noModel) {
    const index = await indexLoad;
    let ref: string | undefined;
    let resolved: ReturnType<typeof resolveRef> | undefined;
    let hardware: Hardware | undefined;
    if (options.model) {
      resolved = resolveRef(options.model, index);
      ref = resolved.ref;
    } else if (index) {
      hardware = (await hardwareLoad) ?? (await detectHardware());
      const [top] = recommend(index, hardware, { task: "chat", limit: 1 });
      if (top) {
        resolved = { ref: top.install.ref, model: top.model, target: top.install };
        ref = top.install.ref;
      } else notes.push("no model in the index fits this machine; pick one with --model");
    } else notes.push("no index available to pick a model from; pass --model");
    if (ref) {
      const installed = await driver.list({ signal });
      if (!installed.some((m) => sameModel(m.name, ref))) {
        if (!options.force && resolved?.model && resolved.target && isLocal(url)) {
          hardware ??= await hardwareLoad;
          if (hardware) checkBeforePull({ model: resolved.model, target: resolved.target, hardware, index });
        }
        step(`pulling ${ref}`);
        await driver.install(ref, { onProgress: options.onPull, signal });
        pulled = true;
      }
      model = { ref, ...(resolved?.model ? { id: resolved.model.id } : {}), pulled };
    }
  }
  const models = await driver.list({ signal });
  const result: SetupResult = {
    runtime: "ollama",
    ...(version ? { version } : {}),
    url,
    server,
    ...(pid ? { pid } : {}),
    ...(logFile || pid ? { logFile: logFile ?? serverFiles().log } : {}),
    ...(binary ? { binary } : {}),
    ...(model ? { model } : {}),
    models,
    changed: server !== "reused" || pulled,
    notes,
  };
  return result;
}
