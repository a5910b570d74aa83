/**
 * `setup --runtime embedded`: the no-daemon choice. Nothing to download or start but the model:
 * llama.cpp runs in this process through node-llama-cpp (an optional package; without it this
 * says how to add it). The model is decided exactly as for Ollama — the best chat model at a
 * usable speed here, asked for above 2 GB — and its GGUF file downloaded into the models
 * directory, checked against the index's sha256.
 */
import { detectHardware } from "../hardware/detect-hardware.ts";
import { checkBeforePull } from "../operations/preflight.ts";
import type { EmbeddedRuntime, EmbeddedStatus } from "../runtimes/embedded/runtime.ts";
import type { InstalledModel } from "../runtimes/runtime.ts";
import type { SetupOptions } from "./setup.ts";
import { decide, loadIndex, settle } from "./setup-decide.ts";
import { describePlan, type ModelPlan, type SetupModelPlan } from "./setup-plan.ts";

export interface EmbeddedSetupResult {
  runtime: "embedded";
  /** The engine: node-llama-cpp's version, its llama.cpp build, the GPU it found. */
  binary?: string;
  modelsDir: string;
  model?: { ref: string; id?: string; pulled: boolean };
  plan?: ModelPlan;
  models: InstalledModel[];
  changed: boolean;
  notes: string[];
}

export interface EmbeddedDryRun extends Partial<SetupModelPlan> {
  dryRun: true;
  embedded: { available: boolean; binary?: string; reason?: string; modelsDir: string };
  pull: boolean;
  ask: boolean;
  notes: string[];
}

const hardwareOf = (options: SetupOptions) =>
  options.noModel ? undefined : options.hardware ? Promise.resolve(options.hardware) : detectHardware();

/** The GGUF to download for a decision: the entry's exact file, and its sha256 when the index has it. */
function fileOf(resolved: NonNullable<Awaited<ReturnType<typeof decide>>["resolved"]>) {
  const t = resolved.target;
  return t?.repo && t.file
    ? { ref: `hf.co/${t.repo}:${t.file}`, ...(t.sha256 ? { sha256: t.sha256 } : {}) }
    : { ref: resolved.ref };
}

export async function setupEmbedded(
  runtime: EmbeddedRuntime,
  options: SetupOptions = {},
): Promise<EmbeddedSetupResult> {
  const { signal } = options;
  const step = (text: string) => options.onStep?.(text);
  await runtime.ensureRunning(); // node-llama-cpp and its binary, or the error that says how to add them
  const status = (await runtime.status()) as EmbeddedStatus;
  const hardwareLoad = hardwareOf(options);
  const index = options.noModel ? undefined : await loadIndex(options.index, signal);
  const installed = await runtime.list();
  const decision = hardwareLoad
    ? await settle(await decide(options, index, hardwareLoad, installed), options, index)
    : undefined;
  const notes = [...(decision?.notes ?? [])];
  let model: EmbeddedSetupResult["model"];
  const plan = decision?.plan;
  if (plan && decision?.resolved) {
    const { ref, sha256 } = fileOf(decision.resolved);
    const { model: entry, target } = decision.resolved;
    if (!decision.installed) {
      if (!options.force && entry && target && hardwareLoad)
        checkBeforePull({ model: entry, target, hardware: await hardwareLoad, index, modelsDir: runtime.store.dir });
      step(`downloading ${ref}${plan.downloadBytes ? ` (${describePlan(plan)})` : ""}`);
    }
    const done = decision.installed
      ? undefined
      : await runtime.install(ref, { onProgress: options.onPull, signal, ...(sha256 ? { sha256 } : {}) });
    model = {
      ref: done?.name ?? decision.resolved.ref,
      ...(entry ? { id: entry.id } : {}),
      pulled: !decision.installed,
    };
  }
  const { smaller: _, ...shown } = (plan ?? {}) as SetupModelPlan;
  return {
    runtime: "embedded",
    ...(status.binary ? { binary: status.binary } : {}),
    modelsDir: runtime.store.dir,
    ...(model ? { model } : {}),
    ...(plan ? { plan: shown as ModelPlan } : {}),
    models: await runtime.list(),
    changed: Boolean(model?.pulled),
    notes,
  };
}

/** What `setup --runtime embedded` would do, doing nothing. */
export async function planEmbeddedSetup(runtime: EmbeddedRuntime, options: SetupOptions = {}): Promise<EmbeddedDryRun> {
  const status = (await runtime.status()) as EmbeddedStatus;
  const hardwareLoad = hardwareOf(options);
  const index = options.noModel ? undefined : await loadIndex(options.index, options.signal);
  const decided = hardwareLoad ? await decide(options, index, hardwareLoad, await runtime.list()) : undefined;
  // As planSetup: without a terminal, what the run would settle on; `confirm` is never called here.
  const decision = decided && !options.confirm ? await settle(decided, options, index) : decided;
  const notes = [...(decision?.notes ?? [])];
  if (!status.engine.available) notes.push(status.engine.reason ?? "the embedded runtime is not available here");
  return {
    ...(decision?.plan ?? {}),
    dryRun: true,
    embedded: {
      available: status.engine.available,
      ...(status.binary ? { binary: status.binary } : {}),
      ...(status.engine.reason ? { reason: status.engine.reason } : {}),
      modelsDir: runtime.store.dir,
    },
    pull: Boolean(decision?.plan && !decision.installed),
    ask: Boolean(decision?.ask),
    notes,
  };
}
