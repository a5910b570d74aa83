/**
 * `setup()`: from nothing to a running Ollama with a model, reusing whatever is already there.
 * 0. decide the model first (setup-plan.ts: the best chat model at a usable speed here) and, for a
 * pick above 2 GB, ask (`confirm`) before anything is downloaded; 1. a server answers at OLLAMA_HOST
 * → reuse it; 2. an `ollama` binary is found → start it; 3. else download this platform's release
 * into `<data>/ollama/<version>/`, verify, unpack, switch `current`; 4. start `ollama serve`
 * detached; 5. pull the model, after the disk/memory pre-flight. On a ready machine it only looks,
 * which takes well under a second. `planSetup()` says what it would do, doing nothing.
 */
import type { Writable } from "node:stream";
import type { Index } from "../../../schema/index.ts";
import type { MeasuredHere } from "../agent/measured-runs.ts";
import { OllamaServerDownError } from "../errors/index.ts";
import { detectHardware, type Hardware } from "../hardware/detect-hardware.ts";
import { checkBeforePull } from "../operations/preflight.ts";
import { OllamaDriver } from "../runtimes/ollama/driver.ts";
import { isLocal } from "../runtimes/ollama/host.ts";
import { probeOllama } from "../runtimes/ollama/probe.ts";
import { sameModel } from "../runtimes/ollama/refs.ts";
import type { InstalledModel, PullProgress } from "../runtimes/runtime.ts";
import type { DownloadProgress } from "./download.ts";
import { ensureServer, findOllamaBinary, managedOllamaBinary, serverFiles } from "./ensure-server.ts";
import { fetchRelease } from "./fetch-release.ts";
import { ollamaRoot, switchCurrent } from "./install-version.ts";
import { ownServer } from "./lifecycle.ts";
import { decide, loadIndex, settle } from "./setup-decide.ts";
import { describePlan, type ModelPlan, type SetupModelPlan } from "./setup-plan.ts";

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
  /** Pull the pick without asking, whatever its size. */
  yes?: boolean | undefined;
  /**
   * Asked before the pick is pulled when it downloads more than 2 GB (a terminal answers it). Without
   * it — and without `yes` — the best pick of at most 2 GB is pulled instead: never more unasked.
   */
  confirm?: ((plan: SetupModelPlan) => Promise<boolean>) | undefined;
  /** Tokens/s the pick must reach (default 8). */
  minSpeed?: number | undefined;
  /** What was measured on this machine (default: read from bench.jsonl and the metrics). */
  measured?: ((hardware: Hardware) => MeasuredHere) | undefined;
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
  /** What was planned for the model: its size and speed here. */
  plan?: ModelPlan;
  models: InstalledModel[];
  /** False when the machine was already set up and nothing was done. */
  changed: boolean;
  notes: string[];
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
  // Started now: on a ready machine these overlap with the server checks.
  const indexLoad = options.noModel ? undefined : loadIndex(options.index, signal);
  const hardwareLoad = options.noModel
    ? undefined
    : options.hardware
      ? Promise.resolve(options.hardware)
      : detectHardware();

  const answered = (await probeOllama(url, { timeoutMs: 2000 })).answered;
  // Something else on the port is a NotOllamaError (no model list at /api/tags), not a reuse.
  const before = answered ? await driver.list({ signal }) : undefined;
  // The model is decided, and a large one asked for, before anything is downloaded.
  const index = await indexLoad;
  const decision = hardwareLoad
    ? await settle(await decide(options, index, hardwareLoad, before), options, index)
    : undefined;
  notes.push(...(decision?.notes ?? []));
  if (answered) {
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
  const plan = decision?.plan;
  const resolved = decision?.resolved;
  if (plan && resolved) {
    const ref = resolved.ref;
    const installed = await driver.list({ signal });
    if (!installed.some((m) => sameModel(m.name, ref))) {
      if (!options.force && resolved.model && resolved.target && isLocal(url) && hardwareLoad)
        checkBeforePull({ model: resolved.model, target: resolved.target, hardware: await hardwareLoad, index });
      step(`pulling ${ref}${plan.downloadBytes ? ` (${describePlan(plan)})` : ""}`);
      await driver.install(ref, { onProgress: options.onPull, signal });
      pulled = true;
    }
    model = { ref, ...(resolved.model ? { id: resolved.model.id } : {}), pulled };
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
    ...(model && plan ? { plan: withoutSmaller(plan) } : {}),
    models,
    changed: server !== "reused" || pulled,
    notes,
  };
  return result;
}

const withoutSmaller = (plan: ModelPlan): ModelPlan => {
  const { smaller: _, ...rest } = plan as SetupModelPlan;
  return rest;
};
