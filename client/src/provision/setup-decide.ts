/**
 * What setup pulls, decided before anything is downloaded: the model named with `--model`, or the
 * best chat model at a usable speed here (setup-plan.ts). A pick above 2 GB needs a yes — `--yes`, or
 * an answer on a terminal (`confirm`); where nobody can be asked, the best pick of at most 2 GB is
 * pulled instead. `planSetup()` is `setup --dry-run`: the same decision, and what would happen to
 * Ollama, with nothing downloaded, started or pulled.
 */
import type { Index } from "../../../schema/index.ts";
import { measuredHere } from "../agent/measured-runs.ts";
import { getIndex } from "../catalog/get-index.ts";
import { DEFAULT_MIN_SPEED } from "../core/estimate-speed.ts";
import { bytes } from "../core/format.ts";
import { detectHardware, type Hardware } from "../hardware/detect-hardware.ts";
import { OllamaDriver } from "../runtimes/ollama/driver.ts";
import { isLocal } from "../runtimes/ollama/host.ts";
import { probeOllama } from "../runtimes/ollama/probe.ts";
import { sameModel } from "../runtimes/ollama/refs.ts";
import { type ResolvedRef, resolveRef } from "../runtimes/resolve-target.ts";
import type { InstalledModel } from "../runtimes/runtime.ts";
import { findOllamaBinary } from "./ensure-server.ts";
import type { SetupOptions } from "./setup.ts";
import { ASK_ABOVE_BYTES, type ModelPlan, planModel, planNamed, type SetupModelPlan } from "./setup-plan.ts";

/**
 * The index, or undefined when none can be had. Never rejects: it is started early and awaited
 * later, and a setup that fails (or is cancelled) in between must not leave a rejection nobody hears.
 */
export async function loadIndex(option: SetupOptions["index"], signal?: AbortSignal): Promise<Index | undefined> {
  if (typeof option === "function") return option().catch(() => undefined);
  if (option) return option;
  return getIndex({ signal }).then(
    (r) => r.index,
    () => undefined,
  );
}

/** What setup decided to pull (before any download), and why. */
export interface Decision {
  plan?: SetupModelPlan | ModelPlan;
  resolved?: ResolvedRef;
  /** Already in Ollama's list. */
  installed: boolean;
  /** A pick above 2 GB that nobody said yes to yet. */
  ask: boolean;
  /** Named with --model: asked about on a terminal, pulled as named elsewhere (the name is the consent). */
  named?: boolean;
  notes: string[];
}

/** The model to set up: the one named, or the best chat model at a usable speed here. */
export async function decide(
  options: SetupOptions,
  index: Index | undefined,
  hardware: Promise<Hardware>,
  installed: InstalledModel[] | undefined,
): Promise<Decision> {
  const notes: string[] = [];
  const measure = (h: Hardware) => (options.measured ?? measuredHere)(h);
  const has = (ref: string) => Boolean(installed?.some((m) => sameModel(m.name, ref)));
  if (options.model) {
    const resolved = resolveRef(options.model, index);
    const hw = await hardware;
    const plan = index
      ? planNamed({ index, hardware: hw, measured: measure(hw), minSpeed: options.minSpeed }, resolved)
      : { model: resolved.ref, ref: resolved.ref, usable: true, large: false, why: "named with --model" };
    const floor = options.minSpeed ?? DEFAULT_MIN_SPEED;
    if (plan.tokensPerSecond !== undefined && !plan.usable)
      notes.push(`${plan.model} would answer at ~${plan.tokensPerSecond} tokens/s here, below ${floor} tokens/s`);
    const already = has(resolved.ref);
    // A large or slow model is asked about on a terminal even when named; a script's --model is its yes.
    const ask = !already && !options.yes && (plan.large || !plan.usable);
    return { plan, resolved, installed: already, ask, named: true, notes };
  }
  if (!index) return { installed: false, ask: false, notes: ["no index available to pick a model from; pass --model"] };
  const hw = await hardware;
  const plan = planModel({ index, hardware: hw, measured: measure(hw), minSpeed: options.minSpeed, installed: has });
  if (!plan)
    return { installed: false, ask: false, notes: ["no model in the index fits this machine; pick one with --model"] };
  if (plan.better)
    notes.push(
      `${plan.model} is installed and usable here, so nothing is pulled; the best pick here is ${plan.better.model} ${plan.better.quant} (${bytes(plan.better.downloadBytes)} download): small-llm setup --model ${plan.better.model}`,
    );
  if (!plan.usable)
    notes.push(`nothing in the index reaches the speed floor here; ${plan.model} is the fastest that fits`);
  const already = has(plan.ref);
  return {
    plan,
    resolved: resolveRef(plan.ref, index),
    installed: already,
    ask: plan.large && !already && !options.yes,
    notes,
  };
}

/**
 * A pick above 2 GB: asked on a terminal (`confirm`); elsewhere the best pick of at most 2 GB stands
 * in — setup never pulls more than 2 GB unasked. Undefined: pull nothing.
 */
export async function settle(decision: Decision, options: SetupOptions, index: Index | undefined): Promise<Decision> {
  const plan = decision.plan as SetupModelPlan;
  if (!decision.ask) return decision;
  if (decision.named && !options.confirm) return { ...decision, ask: false };
  const size = (p: ModelPlan) => `${p.model}${p.quant ? ` ${p.quant}` : ""} (${bytes(p.downloadBytes)} download)`;
  if (options.confirm) {
    if (await options.confirm(plan)) return { ...decision, ask: false };
    const instead = plan.smaller ? `; a smaller pick: small-llm setup --model ${plan.smaller.model}` : "";
    return { installed: false, ask: false, notes: [...decision.notes, `did not pull ${size(plan)}${instead}`] };
  }
  const unasked = `${size(plan)} is the best pick here, but a download above ${bytes(ASK_ABOVE_BYTES)} needs a yes (\`small-llm setup --yes\`)`;
  if (!plan.smaller) return { installed: false, ask: false, notes: [...decision.notes, `${unasked}; nothing pulled`] };
  return {
    plan: plan.smaller,
    resolved: resolveRef(plan.smaller.ref, index),
    installed: false,
    ask: false,
    notes: [...decision.notes, `${unasked}; pulling ${size(plan.smaller)} instead`],
  };
}

/** What `setup --dry-run` reports: the model plan at the top level, and what would happen to Ollama. */
export interface SetupDryRun extends Partial<SetupModelPlan> {
  dryRun: true;
  ollama: { action: "reuse" | "start" | "download"; url: string; binary?: string };
  /** The model would be pulled (it is not installed yet). */
  pull: boolean;
  /** A download above 2 GB, asked for first on a terminal (unless --yes). */
  ask: boolean;
  notes: string[];
}

/**
 * What `setup()` would do with these options, doing nothing: no download, no server started, no pull.
 * `confirm` only says whether a run could ask (a terminal); it is never called here.
 */
export async function planSetup(options: SetupOptions = {}): Promise<SetupDryRun> {
  const driver = new OllamaDriver(options.host ? { host: options.host } : {});
  const url = driver.host;
  const binary = findOllamaBinary();
  const hardwareLoad = options.noModel
    ? undefined
    : options.hardware
      ? Promise.resolve(options.hardware)
      : detectHardware();
  const [index, probe] = await Promise.all([
    options.noModel ? undefined : loadIndex(options.index, options.signal),
    probeOllama(url, { timeoutMs: 2000 }),
  ]);
  const installed = probe.answered ? await driver.list({ signal: options.signal }) : undefined;
  const decided = hardwareLoad ? await decide(options, index, hardwareLoad, installed) : undefined;
  // Where nobody can be asked (no terminal), what the real run would settle on instead; a terminal's
  // question is never put by a dry run.
  const decision = decided && !options.confirm ? await settle(decided, options, index) : decided;
  const action = probe.answered ? "reuse" : binary ? "start" : "download";
  const notes = decision?.notes ?? [];
  if (!probe.answered && !isLocal(url))
    notes.push(`nothing answers at ${url}, which is on another machine: setup cannot install or start it here`);
  return {
    ...(decision?.plan ?? {}),
    dryRun: true,
    ollama: { action, url, ...(binary ? { binary } : {}) },
    pull: Boolean(decision?.plan && !decision.installed),
    ask: Boolean(decision?.ask),
    notes,
  };
}
