/**
 * How much memory a model may take on a machine: the same rules as the index's hardware profiles
 * (schema/profiles.ts) — a GPU its VRAM less 1 GiB, Apple Silicon two thirds of unified memory, a CPU
 * min(80 % of RAM, RAM − 2 GiB). Pure functions: the site uses them in the browser too.
 */
import type { Index } from "../../../schema/index.ts";
import { usableBytes } from "../../../schema/profiles.ts";
import type { Hardware } from "../hardware/detect-hardware.ts";
import { bytes } from "./format.ts";

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
    budgets.push({ kind: "unified", label: `${bytes(ram)} unified memory`, usableBytes: usableBytes("unified", ram) });
    return budgets;
  }
  const gpu = hardware.gpus.filter((g) => g.vramBytes).sort((a, b) => (b.vramBytes ?? 0) - (a.vramBytes ?? 0))[0];
  if (gpu?.vramBytes) {
    budgets.push({
      kind: "gpu",
      label: `${gpu.name} (${bytes(gpu.vramBytes)} VRAM)`,
      usableBytes: usableBytes("gpu", gpu.vramBytes),
    });
  }
  if (ram) budgets.push({ kind: "cpu", label: `${bytes(ram)} RAM`, usableBytes: usableBytes("cpu", ram) });
  return budgets;
}

const GiB = 1024 ** 3;

/**
 * A budget stated by the user: a profile id from the index, or a number of GB of GPU memory
 * (`8` = an 8 GB card, counted in GiB as cards are sold). Undefined when it is neither.
 */
export function budgetFromFits(index: Pick<Index, "profiles">, fits: string): MemoryBudget | undefined {
  const profile = index.profiles.find((p) => p.id === fits);
  if (profile) return { kind: profile.kind, label: profile.label, usableBytes: profile.usableBytes };
  const gb = /^\d+(?:\.\d+)?$/.test(fits.trim()) ? Number(fits) : Number.NaN;
  if (Number.isFinite(gb) && gb > 0)
    return { kind: "gpu", label: `a ${gb} GB GPU`, usableBytes: usableBytes("gpu", gb * GiB) };
  return undefined;
}
