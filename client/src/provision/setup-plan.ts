/**
 * What `setup` will pull, decided before anything is downloaded: the best chat model that answers at
 * a usable speed on this machine (recommend(), measured speeds first, this machine's constants
 * re-fitted from them), with its quant, download size, memory and expected speed. A pick above 2 GB
 * is asked for on a terminal; where nobody can be asked, the best pick of at most 2 GB stands in.
 */
import type { Index } from "../../../schema/index.ts";
import { roundSpeed } from "../../../schema/speed.ts";
import type { MeasuredHere } from "../agent/measured-runs.ts";
import { memoryBudgets } from "../core/budgets.ts";
import { chooseQuant } from "../core/choose-quant.ts";
import { DEFAULT_MIN_SPEED, type SpeedEstimate } from "../core/estimate-speed.ts";
import { bytes } from "../core/format.ts";
import type { Hardware } from "../hardware/detect-hardware.ts";
import { calibrateBudgets, measuredLookup } from "../recommend/calibrate.ts";
import { type Recommendation, recommend } from "../recommend/recommend.ts";
import type { ResolvedRef } from "../runtimes/resolve-target.ts";

/** Downloads above this are asked for first on a terminal, and never pulled unasked elsewhere. */
export const ASK_ABOVE_BYTES = 2e9;

export interface ModelPlan {
  /** The index id (or the ref, for a model the index does not know). */
  model: string;
  quant?: string;
  ref: string;
  /** The GGUF download; absent for a model the index does not know. */
  downloadBytes?: number;
  /** Memory it needs at 4,096 tokens of context. */
  memoryBytes?: number;
  /** Expected decode speed here, two significant digits. */
  tokensPerSecond?: number;
  /** Whether that speed was `measured` here or `estimated`. */
  source?: "measured" | "estimated";
  /** Seconds before the first token of a 2,000-token prompt. */
  firstTokenSeconds?: number;
  /** Reaches the speed floor. */
  usable: boolean;
  /** Above 2 GB: asked for first. */
  large: boolean;
  why: string;
}

export interface PlanInput {
  index: Index;
  hardware: Hardware;
  /** What was measured on this machine. */
  measured?: MeasuredHere | undefined;
  minSpeed?: number | undefined;
  /** Which refs the runtime has installed: a usable one of them is kept rather than another pulled. */
  installed?: ((ref: string) => boolean) | undefined;
}

export interface SetupModelPlan extends ModelPlan {
  /** When the pick is above 2 GB: the best pick of at most 2 GB, pulled instead where nobody can be asked. */
  smaller?: ModelPlan;
  /** When an installed model is kept: the best pick here, which `setup --model` would pull. */
  better?: ModelPlan;
}

function speedFields(speed: SpeedEstimate | undefined) {
  return speed
    ? {
        tokensPerSecond: roundSpeed(speed.tokensPerSecond),
        source: speed.source,
        firstTokenSeconds: Math.round(speed.firstTokenSeconds * 10) / 10,
      }
    : {};
}

const fromPick = (p: Recommendation): ModelPlan => ({
  model: p.model.id,
  quant: p.install.quant,
  ref: p.install.ref,
  downloadBytes: p.install.fileBytes,
  memoryBytes: p.memoryBytes,
  ...speedFields(p.speed),
  usable: p.usable,
  large: p.install.fileBytes > ASK_ABOVE_BYTES,
  why: p.why,
});

function context(input: PlanInput) {
  const budgets = memoryBudgets(input.hardware);
  const calibrated = input.measured ? calibrateBudgets(budgets, input.measured.runs, input.index).budgets : budgets;
  return { budgets: calibrated, measured: measuredLookup(input.measured?.speeds) };
}

/** The chat model setup picks here, or undefined when nothing in the index fits this machine. */
export function planModel(input: PlanInput): SetupModelPlan | undefined {
  const { budgets, measured } = context(input);
  const picks = recommend(input.index, input.hardware, {
    task: "chat",
    budgets,
    minSpeed: input.minSpeed ?? DEFAULT_MIN_SPEED,
    measured,
  });
  const [top] = picks;
  if (!top) return undefined;
  // A chat model already here that answers at a usable speed: setup keeps it, pulls nothing more.
  const installed = input.installed;
  const have = installed
    ? picks
        .filter((p) => p.usable)
        .map((p) => ({ p, ref: p.model.install.find((t) => installed(t.ref))?.ref }))
        .find((h) => h.ref !== undefined)
    : undefined;
  if (have?.ref) {
    const kept: SetupModelPlan = {
      ...fromPick(have.p),
      ref: have.ref,
      large: false,
      why: "already installed, usable here",
    };
    const quant = have.p.model.install.find((t) => t.ref === have.ref)?.quant;
    if (quant) kept.quant = quant;
    if (have.p !== top) kept.better = fromPick(top);
    return kept;
  }
  const plan: SetupModelPlan = fromPick(top);
  if (plan.large) {
    const small = picks.find((p) => p.install.fileBytes <= ASK_ABOVE_BYTES);
    if (small) plan.smaller = fromPick(small);
  }
  return plan;
}

/** The plan for a model the user named (`--model`): its size and speed here, when the index knows it. */
export function planNamed(input: PlanInput, resolved: ResolvedRef): ModelPlan {
  const { model: entry, target } = resolved;
  if (!entry || !target)
    return { model: resolved.ref, ref: resolved.ref, usable: true, large: false, why: "named with --model" };
  const { budgets, measured } = context(input);
  const floor = input.minSpeed ?? DEFAULT_MIN_SPEED;
  const only = { ...entry, install: [target] };
  const pick = chooseQuant(only, budgets, { contextLength: 4096, minSpeed: floor, measured });
  return {
    model: entry.id,
    quant: target.quant,
    ref: target.ref,
    downloadBytes: target.fileBytes,
    ...(pick ? { memoryBytes: pick.memoryBytes } : {}),
    ...speedFields(pick?.speed),
    usable: pick ? pick.usable : false,
    large: target.fileBytes > ASK_ABOVE_BYTES,
    why: pick ? "named with --model" : "named with --model; it does not fit this machine's memory",
  };
}

/** `1.2 GB download, ~9.4 tokens/s estimated, ~2.3 GB memory`. */
export function describePlan(p: ModelPlan): string {
  const parts = [`${bytes(p.downloadBytes)} download`];
  if (p.tokensPerSecond !== undefined)
    parts.push(
      p.source === "measured"
        ? `${p.tokensPerSecond} tokens/s measured here`
        : `~${p.tokensPerSecond} tokens/s estimated`,
    );
  if (p.memoryBytes !== undefined) parts.push(`~${bytes(p.memoryBytes)} memory`);
  return parts.join(", ");
}
