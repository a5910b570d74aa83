/**
 * Which indexed models to run on this hardware, best first, each with the quant to run and why — the
 * way a user would choose: what answers at a usable speed first (larger and more used first), what
 * is below the speed floor last; the quant chosen by core/choose-quant.ts. A model that does not fit
 * a GPU but fits RAM still qualifies, split between the two as Ollama runs it.
 */
import type { Index, InstallTarget, ModelEntry } from "../../../schema/index.ts";
import { type MemoryBudget, memoryBudgets } from "../core/budgets.ts";
import { chooseQuant, isSensible } from "../core/choose-quant.ts";
import { DEFAULT_MIN_SPEED, longFirstToken, PROMPT_TOKENS, type SpeedEstimate } from "../core/estimate-speed.ts";
import { bytes, spare } from "../core/format.ts";
import { compareRecommendations, recommendScore } from "../core/rank.ts";
import type { Hardware } from "../hardware/detect-hardware.ts";

export interface Recommendation {
  model: ModelEntry;
  install: InstallTarget;
  memoryBytes: number;
  budget: MemoryBudget;
  score: number;
  /** Decode speed here and the wait for the first token; undefined when the bandwidth is unknown. */
  speed?: SpeedEstimate;
  /** The fastest any quant that fits would answer here (what ranks the models below the floor). */
  bestTokensPerSecond?: number;
  /** 4-bit or better and reaches the speed floor (or its speed is unknown). */
  usable: boolean;
  why: string;
}

export interface RecommendOptions {
  tier?: string | undefined;
  task?: string | undefined;
  contextLength?: number | undefined;
  /** Use this budget instead of the detected hardware… */
  budget?: MemoryBudget | undefined;
  /** …or these (e.g. this machine's, re-fitted from measured runs). */
  budgets?: readonly MemoryBudget[] | undefined;
  limit?: number | undefined;
  /** Tokens/s a model must reach to be usable (default 8); slower ones go last. */
  minSpeed?: number | undefined;
  /** Tokens/s measured here, by ref: it replaces the estimate. */
  measured?: ((ref: string) => number | undefined) | undefined;
  /** Leave out what is below the speed floor instead of ranking it last. */
  hideSlow?: boolean | undefined;
}

/** `42`, `9.6`, `0.8`: two significant digits, as the index states speeds. */
export const speedText = (tps: number) => String(Number(tps.toPrecision(2)));
/** `35 s`, `2.5 min`. */
export const secondsText = (s: number) => (s < 100 ? `${Math.round(s)} s` : `${(s / 60).toFixed(1)} min`);

function speedWhy(speed: SpeedEstimate | undefined, usable: boolean, floor: number, squeezed: boolean): string {
  if (squeezed)
    return `; fits only below 4 bits, which costs noticeable quality${speed ? `, ~${speedText(speed.tokensPerSecond)} tokens/s` : ""}`;
  if (!speed) return "";
  const tps = speedText(speed.tokensPerSecond);
  const parts = [speed.source === "measured" ? `measured ${tps} tokens/s here` : `~${tps} tokens/s (estimated)`];
  if (speed.offload) parts.push(`${speed.offload.gpuLayers} of ${speed.offload.totalLayers} layers on the GPU`);
  if (longFirstToken(speed))
    parts.push(
      `first token after ~${secondsText(speed.firstTokenSeconds)} for a ${PROMPT_TOKENS.toLocaleString("en")}-token prompt`,
    );
  if (!usable) parts.push(`below the ${floor} tokens/s floor`);
  return `; ${parts.join(", ")}`;
}

export function recommend(index: Index, hardware: Hardware, options: RecommendOptions = {}): Recommendation[] {
  const contextLength = options.contextLength ?? 4096;
  const floor = options.minSpeed ?? DEFAULT_MIN_SPEED;
  const budgets = options.budgets ?? (options.budget ? [options.budget] : memoryBudgets(hardware));
  const out: Recommendation[] = [];
  for (const model of index.models) {
    if (options.tier && model.tier !== options.tier) continue;
    if (options.task && !model.tasks.includes(options.task)) continue;
    const pick = chooseQuant(model, budgets, { contextLength, minSpeed: floor, measured: options.measured });
    if (!pick || (options.hideSlow && !pick.usable)) continue;
    const onCpu = pick.budget.kind === "cpu" && budgets.length > 1;
    const score = recommendScore(model, onCpu);
    const why =
      `${pick.install.quant} needs ~${bytes(pick.memoryBytes)} of memory at ${contextLength} tokens; fits ${pick.budget.label} ` +
      `(${bytes(pick.budget.usableBytes)} usable, ${spare(pick.budget.usableBytes, pick.memoryBytes)})` +
      `${onCpu && !pick.speed?.offload ? ", on the CPU" : ""}${speedWhy(pick.speed, pick.usable, floor, !isSensible(pick.install.quant))}`;
    out.push({
      model,
      install: pick.install,
      memoryBytes: pick.memoryBytes,
      budget: pick.budget,
      score,
      ...(pick.speed ? { speed: pick.speed } : {}),
      ...(pick.bestTokensPerSecond !== undefined ? { bestTokensPerSecond: pick.bestTokensPerSecond } : {}),
      usable: pick.usable,
      why,
    });
  }
  out.sort((a, b) =>
    compareRecommendations(
      { id: a.model.id, score: a.score, usable: a.usable, tokensPerSecond: a.bestTokensPerSecond },
      { id: b.model.id, score: b.score, usable: b.usable, tokensPerSecond: b.bestTokensPerSecond },
    ),
  );
  return out.slice(0, options.limit ?? out.length);
}
