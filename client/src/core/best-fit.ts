/**
 * Which quant of a model fits a memory budget, and how much memory a quant needs at a context
 * length. Pure functions over index entries, shared by `recommend`, `queryModels` and the site.
 */
import type { Fit } from "../../../schema/index.ts";
import { quantRank } from "../../../schema/quants.ts";
import type { MemoryBudget } from "./budgets.ts";

/** What memory figures need from an entry; ModelEntry has it, and so do the site's lighter rows. */
export interface Sizable {
  install: readonly { quant: string }[];
  fit: readonly Pick<Fit, "quant" | "contextLength" | "memoryBytes" | "kvCacheBytes">[];
  contextLength?: number | undefined;
}

/**
 * Estimated memory of a quant at a context length, from the index's fit rows (the KV cache grows
 * linearly with context). Undefined past the model's own maximum context: it cannot run there.
 */
export function memoryAt(model: Sizable, quant: string, contextLength: number): number | undefined {
  if (model.contextLength && contextLength > model.contextLength) return undefined;
  const fits = model.fit.filter((f) => f.quant === quant).sort((a, b) => a.contextLength - b.contextLength);
  const exact = fits.find((f) => f.contextLength === contextLength);
  if (exact) return exact.memoryBytes;
  const base = fits.filter((f) => f.contextLength <= contextLength).pop() ?? fits[0];
  if (!base) return undefined;
  const kv = base.kvCacheBytes ?? 0;
  return Math.round(base.memoryBytes + (kv / base.contextLength) * (contextLength - base.contextLength));
}

export interface BestFit<T extends Sizable["install"][number] = Sizable["install"][number]> {
  install: T;
  memoryBytes: number;
  budget: MemoryBudget;
}

/** The best-quality quant that fits the first budget it can (budgets go fastest first), or undefined. */
export function bestFit<M extends Sizable>(
  model: M,
  budgets: readonly MemoryBudget[],
  contextLength: number,
): BestFit<M["install"][number]> | undefined {
  const targets = [...model.install].sort((a, b) => quantRank(a.quant) - quantRank(b.quant));
  for (const budget of budgets) {
    for (const install of targets) {
      const memoryBytes = memoryAt(model, install.quant, contextLength);
      if (memoryBytes !== undefined && memoryBytes <= budget.usableBytes) return { install, memoryBytes, budget };
    }
  }
  return undefined;
}
