/**
 * Before a pull: is there disk for the file (plus a margin for Ollama's partial files and
 * manifests) where Ollama keeps models, and memory to run it at the planned context? Refuses with
 * what is needed, what is free and what smaller quant or model would fit. Only for what the index
 * knows sizes of, and only for a server on this machine (a remote server's disk is not ours to see).
 */
import { statfsSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import type { Index, InstallTarget, ModelEntry } from "../../../schema/index.ts";
import { bestFit, memoryAt } from "../core/best-fit.ts";
import { memoryBudgets } from "../core/budgets.ts";
import { bytes } from "../core/format.ts";
import { PreflightError } from "../errors/index.ts";
import type { Hardware } from "../hardware/detect-hardware.ts";
import { recommend } from "../recommend/recommend.ts";

export const DISK_MARGIN_BYTES = 500e6;
const margin = (fileBytes: number) => Math.max(DISK_MARGIN_BYTES, Math.round(fileBytes * 0.1));

/** Where Ollama keeps models: OLLAMA_MODELS, else ~/.ollama/models. */
export const ollamaModelsDir = (env: NodeJS.ProcessEnv = process.env) =>
  env.OLLAMA_MODELS || join(homedir(), ".ollama", "models");

/** Free bytes for an unprivileged user on the disk holding `dir` (or its nearest existing parent). */
export function freeDiskBytes(dir: string): number | undefined {
  for (let d = dir; ; d = dirname(d)) {
    try {
      const s = statfsSync(d);
      return Number(s.bavail) * Number(s.bsize);
    } catch {
      if (dirname(d) === d) return undefined;
    }
  }
}

export interface PreflightInput {
  model: ModelEntry;
  target: InstallTarget;
  hardware: Hardware;
  index?: Index | undefined;
  modelsDir?: string;
  contextLength?: number;
  /** Free bytes at modelsDir (default: statfs). */
  freeBytes?: number | undefined;
}

export interface PreflightReport {
  diskNeededBytes: number;
  diskFreeBytes?: number;
  memoryNeededBytes?: number;
  memoryUsableBytes?: number;
}

/** Throws PreflightError when the pull would not fit; returns the figures otherwise. */
export function checkBeforePull(input: PreflightInput): PreflightReport {
  const { model, target, hardware } = input;
  const contextLength = input.contextLength ?? 4096;
  const dir = input.modelsDir ?? ollamaModelsDir();
  const free = input.freeBytes ?? freeDiskBytes(dir);
  const need = target.fileBytes + margin(target.fileBytes);
  const report: PreflightReport = { diskNeededBytes: need, ...(free !== undefined ? { diskFreeBytes: free } : {}) };
  if (free !== undefined && need > free) {
    const smaller = model.install
      .filter((t) => t.fileBytes + margin(t.fileBytes) <= free)
      .sort((a, b) => b.fileBytes - a.fileBytes)[0];
    const hint = smaller
      ? `A smaller quant fits: --quant ${smaller.quant} (${bytes(smaller.fileBytes)}).`
      : "No quant of it fits; free some space or set OLLAMA_MODELS to a bigger disk.";
    throw new PreflightError(
      "disk",
      `not enough disk space for ${target.ref}: it needs ${bytes(need)} (${bytes(target.fileBytes)} download + ` +
        `${bytes(need - target.fileBytes)} margin) in ${dir}, and ${bytes(free)} is free. ${hint}`,
    );
  }
  const needMemory = memoryAt(model, target.quant, contextLength);
  const budgets = memoryBudgets(hardware);
  if (needMemory === undefined || budgets.length === 0) return report;
  const usable = Math.max(...budgets.map((b) => b.usableBytes));
  Object.assign(report, { memoryNeededBytes: needMemory, memoryUsableBytes: usable });
  if (needMemory <= usable) return report;
  const quant = bestFit(model, budgets, contextLength);
  const other = quant
    ? undefined
    : input.index &&
      recommend(input.index, hardware, {
        contextLength,
        limit: 1,
        ...(model.tasks.includes("chat") ? { task: "chat" } : {}),
      })[0];
  const hint = quant
    ? `A smaller quant fits: --quant ${quant.install.quant} (~${bytes(quant.memoryBytes)}).`
    : other
      ? `A smaller model that fits: ${other.model.id} (${other.install.quant}, ~${bytes(other.memoryBytes)}).`
      : "Nothing smaller in the index fits either.";
  throw new PreflightError(
    "memory",
    `${target.ref} needs ~${bytes(needMemory)} of memory at ${contextLength} tokens, and this machine has ` +
      `${bytes(usable)} usable (${budgets.map((b) => b.label).join(", ")}). ${hint}`,
  );
}
