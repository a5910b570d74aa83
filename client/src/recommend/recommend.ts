/**
 * Which indexed models to run on this hardware, best first, each with the best quant that fits and
 * why. A model that does not fit a GPU but fits RAM still qualifies, marked as running on the CPU.
 */
import type { Index, InstallTarget, ModelEntry } from "../../../schema/index.ts";
import { bestFit } from "../core/best-fit.ts";
import { type MemoryBudget, memoryBudgets } from "../core/budgets.ts";
import { bytes, spare } from "../core/format.ts";
import { recommendScore } from "../core/rank.ts";
import type { Hardware } from "../hardware/detect-hardware.ts";

export interface Recommendation {
  model: ModelEntry;
  install: InstallTarget;
  memoryBytes: number;
  budget: MemoryBudget;
  score: number;
  why: string;
}

export interface RecommendOptions {
  tier?: string | undefined;
  task?: string | undefined;
  contextLength?: number | undefined;
  /** Use this budget instead of the detected hardware. */
  budget?: MemoryBudget | undefined;
  limit?: number | undefined;
}

export function recommend(index: Index, hardware: Hardware, options: RecommendOptions = {}): Recommendation[] {
  const contextLength = options.contextLength ?? 4096;
  const budgets = options.budget ? [options.budget] : memoryBudgets(hardware);
  const out: Recommendation[] = [];
  for (const model of index.models) {
    if (options.tier && model.tier !== options.tier) continue;
    if (options.task && !model.tasks.includes(options.task)) continue;
    const fit = bestFit(model, budgets, contextLength);
    if (!fit) continue;
    const onCpu = fit.budget.kind === "cpu" && budgets.length > 1;
    const score = recommendScore(model, onCpu);
    const why =
      `${fit.install.quant} needs ~${bytes(fit.memoryBytes)} of memory at ${contextLength} tokens; fits ${fit.budget.label} ` +
      `(${bytes(fit.budget.usableBytes)} usable, ${spare(fit.budget.usableBytes, fit.memoryBytes)})${onCpu ? ", on the CPU" : ""}`;
    out.push({ model, ...fit, score, why });
  }
  out.sort((a, b) => b.score - a.score || a.model.id.localeCompare(b.model.id));
  return out.slice(0, options.limit ?? out.length);
}
