/**
 * This machine's memory bandwidth, which decode speed follows (speed.md §1.1), in the order the issue
 * asks for: what the user stated; else a table by chip name (bandwidth-table.ts); else, for system RAM
 * on a machine without a GPU, a short in-process measurement; else a stated default (an index
 * profile's figure). Each answer says which it is. A machine with a GPU does not measure its RAM: the
 * model runs from VRAM, the RAM only takes the layers that do not fit, and detection stays fast.
 */
import { readFileSync } from "node:fs";
import { defaultBandwidth } from "../core/budgets.ts";
import { gpuBandwidth, systemRamBandwidth } from "./bandwidth-table.ts";
import type { Bandwidth, Gpu, Hardware } from "./detect-hardware.ts";
import { cachedBandwidth, type MeasuredBandwidth } from "./measure-bandwidth.ts";

export interface BandwidthOptions {
  env?: NodeJS.ProcessEnv;
  /** `false`: never measure (the default stands in); a function: measure with it (tests). */
  measure?: false | (() => Promise<MeasuredBandwidth | undefined>);
  /** Where a measurement is kept (default `<cache>/bandwidth.json`). */
  cacheFile?: string;
  /** The board's name (Linux: /proc/device-tree/model), which names a Raspberry Pi. */
  board?: string | null;
}

/** SMALL_LLM_MEMORY_BANDWIDTH: GB/s of the system (or Apple unified) memory, when the user knows better. */
export function statedBandwidth(env: NodeJS.ProcessEnv = process.env): Bandwidth | undefined {
  const text = env.SMALL_LLM_MEMORY_BANDWIDTH?.trim();
  const gbs = text && /^\d+(?:\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  return gbs > 0 ? { gbs, source: "stated", basis: "SMALL_LLM_MEMORY_BANDWIDTH" } : undefined;
}

/** A discrete GPU: by its name, else the index profile of its VRAM size stands in. */
export function gpuBandwidthOf(gpu: Pick<Gpu, "vendor" | "name" | "vramBytes">): Bandwidth {
  const hit = gpuBandwidth(gpu.vendor, gpu.name, gpu.vramBytes);
  if (hit) return { ...hit, source: "table" };
  const fallback = defaultBandwidth("gpu", gpu.vramBytes ?? 0);
  return { ...fallback, basis: `${gpu.name} is not in the table: ${fallback.basis}` };
}

function boardName(): string | null {
  try {
    return readFileSync("/proc/device-tree/model", "utf8").replace(/\0/g, "").trim() || null;
  } catch {
    return null;
  }
}

/** The system RAM's bandwidth. */
export async function ramBandwidth(
  hardware: Pick<Hardware, "cpu" | "ram" | "gpus">,
  options: BandwidthOptions = {},
): Promise<Bandwidth> {
  const stated = statedBandwidth(options.env);
  if (stated) return stated;
  const hit = systemRamBandwidth(hardware.cpu.model, options.board === undefined ? boardName() : options.board);
  if (hit) return { ...hit, source: "table" };
  const total = hardware.ram.totalBytes ?? 0;
  const fallback = defaultBandwidth("cpu", total, hardware.cpu.cores);
  if (options.measure === false || hardware.gpus.some((g) => g.vramBytes)) return fallback;
  const key = [hardware.cpu.model, hardware.cpu.cores, Math.round(total / 1e9)].join("|");
  const measured = await cachedBandwidth(key, {
    ...(options.cacheFile ? { file: options.cacheFile } : {}),
    ...(options.measure ? { measure: options.measure } : {}),
  });
  if (!measured) return fallback;
  return {
    gbs: measured.gbs,
    source: "measured",
    basis: `copy benchmark, ${measured.threads} thread${measured.threads === 1 ? "" : "s"}, ${measured.measuredAt.slice(0, 10)}`,
  };
}
