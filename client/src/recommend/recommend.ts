/**
 * Which indexed models to run on this hardware, best first, each with the best quant that fits and
 * why. Memory budgets follow the index's own profiles (schema/profiles.ts): a GPU may use its VRAM
 * less 1 GiB, Apple Silicon two thirds of unified memory, a CPU min(80 % of RAM, RAM − 2 GiB).
 * A model that does not fit a GPU but fits RAM still qualifies, marked as running on the CPU.
 */
import type { Index, InstallTarget, ModelEntry } from "../../schema/index.ts";
import { usableBytes } from "../../schema/profiles.ts";
import { quantRank } from "../../schema/quants.ts";
import type { Hardware } from "./hardware/detect-hardware.ts";

const GiB = 1024 ** 3;

export interface MemoryBudget {
  kind: "gpu" | "unified" | "cpu";
  label: string;
  usableBytes: number;
}

/** Budgets from fastest to slowest: the largest GPU, else unified memory; then system RAM. */
export function memoryBudgets(hardware: Hardware): MemoryBudget[] {
  const budgets: MemoryBudget[] = [];
  const ram = hardware.ram.totalBytes;
  if (hardware.unifiedMemory && ram) {
    budgets.push({ kind: "unified", label: `${fmt(ram)} unified memory`, usableBytes: usableBytes("unified", ram) });
    return budgets;
  }
  const gpu = hardware.gpus.filter((g) => g.vramBytes).sort((a, b) => (b.vramBytes ?? 0) - (a.vramBytes ?? 0))[0];
  if (gpu?.vramBytes) {
    budgets.push({
      kind: "gpu",
      label: `${gpu.name} (${fmt(gpu.vramBytes)} VRAM)`,
      usableBytes: usableBytes("gpu", gpu.vramBytes),
    });
  }
  if (ram) budgets.push({ kind: "cpu", label: `${fmt(ram)} RAM`, usableBytes: usableBytes("cpu", ram) });
  return budgets;
}

/** A budget stated by the user: `--fits 8` (GB) or a profile id from the index. */
export function budgetFromFits(index: Index, fits: string): MemoryBudget | undefined {
  const profile = index.profiles.find((p) => p.id === fits);
  if (profile) return { kind: profile.kind, label: profile.label, usableBytes: profile.usableBytes };
  const gb = Number(fits);
  if (Number.isFinite(gb) && gb > 0)
    return { kind: "gpu", label: `${gb} GB`, usableBytes: usableBytes("gpu", gb * GiB) };
  return undefined;
}

export function fmt(bytes: number): string {
  return bytes >= GiB ? `${(bytes / GiB).toFixed(1)} GB` : `${Math.round(bytes / 1024 ** 2)} MB`;
}

/** Estimated memory of a quant at a context length, from the index's fit entries (KV scales linearly). */
export function memoryAt(model: ModelEntry, quant: string, contextLength: number): number | undefined {
  const fits = model.fit.filter((f) => f.quant === quant).sort((a, b) => a.contextLength - b.contextLength);
  const exact = fits.find((f) => f.contextLength === contextLength);
  if (exact) return exact.memoryBytes;
  const base = fits.filter((f) => f.contextLength <= contextLength).pop() ?? fits[0];
  if (!base) return undefined;
  const kv = base.kvCacheBytes ?? 0;
  return Math.round(base.memoryBytes + (kv / base.contextLength) * (contextLength - base.contextLength));
}

const quality = (t: InstallTarget) => quantRank(t.quant);

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

/** The best quant of a model that fits one of the budgets, or undefined. */
export function bestFit(model: ModelEntry, budgets: MemoryBudget[], contextLength: number) {
  const targets = [...model.install].sort((a, b) => quality(a) - quality(b));
  for (const budget of budgets) {
    for (const install of targets) {
      const memoryBytes = memoryAt(model, install.quant, contextLength);
      if (memoryBytes !== undefined && memoryBytes <= budget.usableBytes) return { install, memoryBytes, budget };
    }
  }
  return undefined;
}

export function recommend(index: Index, hardware: Hardware, options: RecommendOptions = {}): Recommendation[] {
  const contextLength = options.contextLength ?? 4096;
  const budgets = options.budget ? [options.budget] : memoryBudgets(hardware);
  const out: Recommendation[] = [];
  for (const model of index.models) {
    if (options.tier && model.tier !== options.tier) continue;
    if (options.task && !model.tasks.includes(options.task)) continue;
    if ((model.contextLength ?? Number.POSITIVE_INFINITY) < contextLength) continue;
    const fit = bestFit(model, budgets, contextLength);
    if (!fit) continue;
    // Popularity says what people found useful; size says how capable it is; running on the CPU costs.
    const score =
      Math.log10(model.downloads + 1) +
      1.5 * Math.log10(model.params.total / 1e8) -
      (fit.budget.kind === "cpu" && budgets.length > 1 ? 1 : 0);
    const spare = fit.budget.usableBytes - fit.memoryBytes;
    const why =
      `${fit.install.quant} needs ~${fmt(fit.memoryBytes)} at ${contextLength} tokens; fits ${fit.budget.label} ` +
      `(${fmt(fit.budget.usableBytes)} usable, ${fmt(spare)} to spare)${fit.budget.kind === "cpu" && budgets.length > 1 ? ", on the CPU" : ""}`;
    out.push({ model, ...fit, score, why });
  }
  out.sort((a, b) => b.score - a.score || a.model.id.localeCompare(b.model.id));
  return out.slice(0, options.limit ?? out.length);
}
