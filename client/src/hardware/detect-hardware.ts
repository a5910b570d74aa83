/**
 * What this machine can hold: RAM, GPUs with their VRAM (nvidia-smi, rocm-smi), Apple Silicon
 * unified memory. Never throws: anything unknown is null. Tools run without a shell, with a timeout.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";

export interface Gpu {
  vendor: "nvidia" | "amd" | "apple";
  name: string;
  vramBytes: number | null;
  freeBytes: number | null;
}

export interface Hardware {
  platform: NodeJS.Platform;
  arch: string;
  cpu: { model: string | null; cores: number | null };
  ram: { totalBytes: number | null; availableBytes: number | null };
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

export async function detectHardware(exec: Exec = execTool): Promise<Hardware> {
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
      hardware.gpus.push({
        vendor: "apple",
        name: brand || "Apple Silicon",
        vramBytes: hardware.ram.totalBytes,
        freeBytes: null,
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
  } catch {
    // Detection is best effort: what was found so far stands.
  }
  return hardware;
}
