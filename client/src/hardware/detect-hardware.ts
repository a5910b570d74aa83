/**
 * What this machine can hold and how fast it reads it: RAM, GPUs with their VRAM (nvidia-smi,
 * rocm-smi), Apple Silicon unified memory, and the memory bandwidth of each (bandwidth.ts). Never
 * throws: anything unknown is null. Tools run without a shell, with a timeout.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import { defaultBandwidth } from "../core/budgets.ts";
import { type BandwidthOptions, gpuBandwidthOf, ramBandwidth, statedBandwidth } from "./bandwidth.ts";
import { appleBandwidth } from "./bandwidth-table.ts";

/** A memory's bandwidth, and where the figure comes from. */
export interface Bandwidth {
  /** GB/s: the spec sheet's, or what a copy benchmark reached when `source` is `measured`. */
  gbs: number;
  /**
   * `table`: known by the chip's name; `measured`: a short in-process copy benchmark; `stated`: the user
   * said so (SMALL_LLM_MEMORY_BANDWIDTH); `default`: nothing better known, an index profile's figure.
   */
  source: "table" | "measured" | "stated" | "default";
  /** What the figure stands for: `Apple M2 Pro`, `RTX 4060`, `copy benchmark, 2 threads`. */
  basis: string;
}

export interface Gpu {
  vendor: "nvidia" | "amd" | "apple";
  name: string;
  vramBytes: number | null;
  freeBytes: number | null;
  /** How fast its memory is read (absent from hardware described by hand). */
  bandwidth?: Bandwidth;
}

export interface Hardware {
  platform: NodeJS.Platform;
  arch: string;
  cpu: { model: string | null; cores: number | null };
  /** `bandwidth`: the system RAM's (absent from hardware described by hand). */
  ram: { totalBytes: number | null; availableBytes: number | null; bandwidth?: Bandwidth };
  gpus: Gpu[];
  /** Apple Silicon: CPU and GPU share `ram.totalBytes`. */
  unifiedMemory: boolean;
}

export type Exec = (file: string, args: string[]) => Promise<string | undefined>;

const MiB = 1024 ** 2;

export const execTool: Exec = (file, args) =>
  new Promise((resolve) => {
    execFile(file, args, { timeout: 3000, windowsHide: true }, (error, stdout) => resolve(error ? undefined : stdout));
  });

function availableRam(): number | null {
  try {
    const m = /^MemAvailable:\s+(\d+) kB$/m.exec(readFileSync("/proc/meminfo", "utf8"));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // Not Linux: fall back to what Node reports.
  }
  return os.freemem() || null;
}

export function parseNvidiaSmi(csv: string): Gpu[] {
  return csv
    .trim()
    .split("\n")
    .map((line) => line.split(",").map((s) => s.trim()))
    .filter((cols) => cols.length >= 3 && cols[0])
    .map(([name, total, free]) => ({
      vendor: "nvidia" as const,
      name: name as string,
      vramBytes: Number.isFinite(Number(total)) ? Number(total) * MiB : null,
      freeBytes: Number.isFinite(Number(free)) ? Number(free) * MiB : null,
    }));
}

export function parseRocmSmi(json: string): Gpu[] {
  try {
    const data = JSON.parse(json) as Record<string, Record<string, string>>;
    return Object.entries(data)
      .filter(([key]) => key.startsWith("card"))
      .map(([key, v]) => {
        const total = Number(v["VRAM Total Memory (B)"]);
        const used = Number(v["VRAM Total Used Memory (B)"]);
        return {
          vendor: "amd" as const,
          name: v["Card series"] ?? v["Card model"] ?? key,
          vramBytes: Number.isFinite(total) ? total : null,
          freeBytes: Number.isFinite(total) && Number.isFinite(used) ? total - used : null,
        };
      });
  } catch {
    return [];
  }
}

/** Options of detectHardware() beyond the tools it runs, for tests and callers that know better. */
export type DetectHardwareOptions = BandwidthOptions;

export async function detectHardware(exec: Exec = execTool, options: DetectHardwareOptions = {}): Promise<Hardware> {
  const cpus = os.cpus();
  const hardware: Hardware = {
    platform: process.platform,
    arch: process.arch,
    cpu: { model: cpus[0]?.model?.trim() || null, cores: cpus.length || null },
    ram: { totalBytes: os.totalmem() || null, availableBytes: availableRam() },
    gpus: [],
    unifiedMemory: false,
  };
  try {
    if (process.platform === "darwin" && process.arch === "arm64") {
      hardware.unifiedMemory = true;
      const brand = (await exec("sysctl", ["-n", "machdep.cpu.brand_string"]))?.trim();
      const hit = appleBandwidth(brand, await appleGpuCores(exec, brand));
      hardware.gpus.push({
        vendor: "apple",
        name: brand || "Apple Silicon",
        vramBytes: hardware.ram.totalBytes,
        freeBytes: null,
        bandwidth:
          statedBandwidth(options.env) ??
          (hit ? { ...hit, source: "table" } : defaultBandwidth("unified", hardware.ram.totalBytes ?? 0)),
      });
      return hardware;
    }
    const nvidia = await exec("nvidia-smi", [
      "--query-gpu=name,memory.total,memory.free",
      "--format=csv,noheader,nounits",
    ]);
    if (nvidia) hardware.gpus.push(...parseNvidiaSmi(nvidia));
    const amd = await exec("rocm-smi", ["--showmeminfo", "vram", "--showproductname", "--json"]);
    if (amd) hardware.gpus.push(...parseRocmSmi(amd));
    for (const g of hardware.gpus) g.bandwidth = gpuBandwidthOf(g);
  } catch {
    // Detection is best effort: what was found so far stands.
  }
  hardware.ram.bandwidth = await ramBandwidth(hardware, options);
  return hardware;
}

/**
 * GPU cores, which tell a binned M3/M4/M5 Max apart (300 vs 400 GB/s on an M3 Max); asked only of
 * those chips, from the IORegistry (quicker than system_profiler).
 */
async function appleGpuCores(exec: Exec, brand: string | undefined): Promise<number | undefined> {
  if (!/\bM\d+ Max\b/.test(brand ?? "")) return undefined;
  const out = await exec("ioreg", ["-rc", "AGXAccelerator", "-d", "1"]);
  const m = /"gpu-core-count"\s*=\s*(\d+)/.exec(out ?? "");
  return m ? Number(m[1]) : undefined;
}
