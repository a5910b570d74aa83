/**
 * Measured beats estimated, twice over: a model measured here is shown at its measured speed, and two
 * or more measured models re-fit this machine's two constants (efficiency, per-layer cost;
 * schema/speed-fit.ts), so the models not measured yet are estimated from how this machine behaves
 * (about ±10 % once calibrated, against ±25 % from a bandwidth table, speed.md §7.4).
 */
import type { Index, InstallTarget, ModelEntry } from "../../../schema/index.ts";
import { type MeasuredRun as FitRun, fitDeviceConstants } from "../../../schema/speed-fit.ts";
import type { MeasuredRun } from "../agent/measured-runs.ts";
import { memoryAt } from "../core/best-fit.ts";
import type { MemoryBudget } from "../core/budgets.ts";
import { trafficOf } from "../core/estimate-speed.ts";
import { normalizeRef } from "../runtimes/ollama/refs.ts";

export interface Calibration {
  /** The budget whose device was re-fitted (its label). */
  budget: string;
  /** Measured models the fit used. */
  runs: number;
  /** `both` constants, or only the `efficiency` when the runs were too alike in size. */
  fitted: "both" | "efficiency";
  efficiency: number;
  layerSeconds: number;
}

/** The index entry and install target behind each ref the index knows, by normalised ref. */
export function refIndex(index: Pick<Index, "models">): Map<string, { entry: ModelEntry; install: InstallTarget }> {
  const out = new Map<string, { entry: ModelEntry; install: InstallTarget }>();
  for (const entry of index.models)
    for (const install of entry.install) out.set(normalizeRef(install.ref), { entry, install });
  return out;
}

/** Where a measured run ran: all in VRAM → the GPU (or unified) budget, none → the RAM; else where it fits. */
function budgetOf(run: MeasuredRun, entry: ModelEntry, quant: string, budgets: readonly MemoryBudget[]) {
  const fast = budgets.find((b) => b.kind !== "cpu");
  const ram = budgets.find((b) => b.kind === "cpu");
  if (run.vramShare !== undefined) {
    if (run.vramShare >= 0.99) return fast;
    return run.vramShare === 0 ? ram : undefined; // split runs measure two devices at once
  }
  const memory = memoryAt(entry, quant, 4096);
  return memory === undefined ? undefined : budgets.find((b) => memory <= b.usableBytes);
}

/**
 * The budgets with their devices re-fitted from the runs measured on them (two or more models per
 * device), and what was fitted. Runs of models the index does not know cannot be placed and are skipped.
 */
export function calibrateBudgets(
  budgets: readonly MemoryBudget[],
  runs: readonly MeasuredRun[],
  index: Pick<Index, "models">,
): { budgets: MemoryBudget[]; calibrations: Calibration[] } {
  // A re-fit needs two measured models; most calls (every delegation asks) have fewer.
  if (runs.length < 2) return { budgets: [...budgets], calibrations: [] };
  const known = refIndex(index);
  const byBudget = new Map<MemoryBudget, FitRun[]>();
  for (const run of runs) {
    const hit = known.get(normalizeRef(run.model));
    if (!hit) continue;
    const budget = budgetOf(run, hit.entry, hit.install.quant, budgets);
    // Traffic at the run's own depth (a short bench prompt reads little KV cache).
    const traffic = trafficOf(hit.entry, hit.install.quant, Math.max(2, 2 * run.depth));
    if (!budget?.device || !traffic) continue;
    byBudget.set(budget, [
      ...(byBudget.get(budget) ?? []),
      { model: traffic, depth: run.depth, tokensPerSecond: run.tokensPerSecond },
    ]);
  }
  const calibrations: Calibration[] = [];
  const out = budgets.map((budget) => {
    const fitRuns = byBudget.get(budget) ?? [];
    if (fitRuns.length < 2 || !budget.device) return budget;
    const fit = fitDeviceConstants({ device: budget.device, runs: fitRuns });
    if (fit.fitted === "default") return budget;
    const constants = { efficiency: fit.efficiency, layerSeconds: fit.layerSeconds };
    calibrations.push({ budget: budget.label, runs: fit.runs, fitted: fit.fitted, ...constants });
    return { ...budget, device: { ...budget.device, constants } };
  });
  return { budgets: out, calibrations };
}

/** A lookup of measured tokens/s by any spelling of a ref. */
export const measuredLookup =
  (speeds: ReadonlyMap<string, number> | undefined) =>
  (ref: string): number | undefined =>
    speeds?.get(ref) ?? speeds?.get(normalizeRef(ref));
