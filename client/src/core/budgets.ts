/**
 * How much memory a model may take on a machine, and how fast that memory is read: the same rules as
 * the index's hardware profiles (schema/profiles.ts) — a GPU its VRAM less 1 GiB, Apple Silicon two
 * thirds of unified memory, a CPU min(80 % of RAM, RAM − 2 GiB). Pure functions: the site uses them
 * in the browser too.
 */
import type { Index, Profile } from "../../../schema/index.ts";
import { PROFILES, usableBytes } from "../../../schema/profiles.ts";
import type { DeviceConstants, DeviceKind } from "../../../schema/speed.ts";
import type { Bandwidth, Gpu, Hardware } from "../hardware/detect-hardware.ts";
import { bytes } from "./format.ts";

/**
 * Where a bandwidth figure comes from: a table by chip name, an in-process measurement, a figure the
 * user stated (SMALL_LLM_MEMORY_BANDWIDTH), a hardware profile of the index, or a default.
 */
export type BandwidthSource = Bandwidth["source"] | "profile";

/** The memory a budget's model is read from, for speed estimates (schema/speed.ts). */
export interface BudgetDevice {
  kind: DeviceKind;
  /** GB/s: spec-sheet, or — when `source` is `measured` — what a multi-thread copy reached. */
  bandwidthGBs: number;
  source: BandwidthSource;
  /** What the figure stands for, for people: `GeForce RTX 4060`, `copy benchmark, 2 threads`. */
  basis: string;
  /** This machine's constants once re-fitted from measured runs; the kind's defaults otherwise. */
  constants?: DeviceConstants | undefined;
  /** Several GPUs of one kind: the usable bytes of each (Ollama spreads the layers over them). */
  gpuUsableBytes?: number[] | undefined;
  /** CPU cores that process the prompt. */
  cores?: number | undefined;
}

export interface MemoryBudget {
  kind: "gpu" | "unified" | "cpu";
  label: string;
  usableBytes: number;
  /** How fast it is read; absent when nothing is known (an index older than 1.2). */
  device?: BudgetDevice | undefined;
}

const GiB = 1024 ** 3;
const DEVICE_KIND = { gpu: "gpu", unified: "apple", cpu: "cpu" } as const;
const PROFILE_KIND = { gpu: "gpu", unified: "unified", apple: "unified", cpu: "cpu" } as const;

type Sized = Pick<Profile, "id" | "kind" | "memoryBytes"> & { bandwidthGBs?: number | undefined; label?: string };

/** The profile of a kind whose memory is nearest `memoryBytes` (the smaller on a tie), with a bandwidth. */
function nearestProfile(profiles: readonly Sized[], kind: MemoryBudget["kind"], memoryBytes: number) {
  let best: Sized | undefined;
  for (const p of profiles) {
    if (p.kind !== kind || !p.bandwidthGBs) continue;
    const d = Math.abs(p.memoryBytes - memoryBytes);
    const bestD = best ? Math.abs(best.memoryBytes - memoryBytes) : Number.POSITIVE_INFINITY;
    if (d < bestD || (d === bestD && best && p.memoryBytes < best.memoryBytes)) best = p;
  }
  return best;
}

/**
 * Fewer than 4 cores cannot read dual-channel RAM at full speed: one core streams about a quarter of it
 * (17–32 GB/s single-thread copies against 37–63 GB/s all-core ones, speed.md §3.1, §4.5).
 */
const FULL_SPEED_CORES = 4;

/**
 * The stated default when neither a table nor a measurement knows this memory: the bandwidth of the
 * index profile of that kind nearest in size (dual-channel DDR4-3200 for RAM, the x60-class GeForce of
 * that VRAM, a base M2/M3 for Apple), the RAM's scaled down on machines with fewer than 4 cores.
 */
export function defaultBandwidth(
  kind: MemoryBudget["kind"],
  memoryBytes: number,
  cores?: number | null,
  profiles: readonly Sized[] = PROFILES,
): Bandwidth {
  const p = nearestProfile(profiles, kind, memoryBytes) ?? nearestProfile(PROFILES, kind, memoryBytes);
  const gbs = p?.bandwidthGBs ?? 51.2;
  if (kind === "cpu" && cores && cores < FULL_SPEED_CORES) {
    const scaled = Math.round(((gbs * cores) / FULL_SPEED_CORES) * 10) / 10;
    return { gbs: scaled, source: "default", basis: `${p?.id ?? "cpu"} profile's ${gbs} GB/s × ${cores}/4 cores` };
  }
  return { gbs, source: "default", basis: `as the ${p?.id ?? kind} profile` };
}

const device = (
  kind: MemoryBudget["kind"],
  bw: Bandwidth | { gbs: number; source: BandwidthSource; basis: string },
  extra: Partial<BudgetDevice> = {},
): BudgetDevice => ({ kind: DEVICE_KIND[kind], bandwidthGBs: bw.gbs, source: bw.source, basis: bw.basis, ...extra });

/** The GPUs a model can spread over: those of the vendor with the most usable VRAM in all. */
function gpuGroup(gpus: readonly Gpu[]): Gpu[] {
  const byVendor = new Map<string, Gpu[]>();
  for (const g of gpus) if (g.vramBytes) byVendor.set(g.vendor, [...(byVendor.get(g.vendor) ?? []), g]);
  const total = (group: Gpu[]) => group.reduce((s, g) => s + usableBytes("gpu", g.vramBytes ?? 0), 0);
  return [...byVendor.values()].sort((a, b) => total(b) - total(a))[0] ?? [];
}

/**
 * Budgets from fastest to slowest: the GPUs (several of one vendor add up), else unified memory; then
 * system RAM. Each says how fast it is read: what detection found, else the stated default.
 */
export function memoryBudgets(hardware: Hardware): MemoryBudget[] {
  const budgets: MemoryBudget[] = [];
  const ram = hardware.ram.totalBytes;
  const cores = hardware.cpu.cores;
  if (hardware.unifiedMemory && ram) {
    const bw = hardware.gpus[0]?.bandwidth ?? defaultBandwidth("unified", ram);
    budgets.push({
      kind: "unified",
      label: `${bytes(ram)} unified memory`,
      usableBytes: usableBytes("unified", ram),
      device: device("unified", bw),
    });
    return budgets;
  }
  const group = gpuGroup(hardware.gpus);
  if (group.length) {
    const usable = group.map((g) => usableBytes("gpu", g.vramBytes ?? 0));
    const total = usable.reduce((s, u) => s + u, 0);
    const bws = group.map((g) => g.bandwidth ?? defaultBandwidth("gpu", g.vramBytes ?? 0));
    // Layers spread in proportion to each card's room and run one after another: the bytes-weighted harmonic mean.
    const gbs = total / usable.reduce((s, u, i) => s + u / (bws[i] as Bandwidth).gbs, 0);
    const first = group[0] as Gpu;
    const vram = group.reduce((s, g) => s + (g.vramBytes ?? 0), 0);
    const names = group.every((g) => g.name === first.name) ? first.name : group.map((g) => g.name).join(" + ");
    budgets.push({
      kind: "gpu",
      label: `${group.length > 1 && names === first.name ? `${group.length}× ` : ""}${names} (${bytes(vram)} VRAM)`,
      usableBytes: total,
      device: device(
        "gpu",
        { ...(bws[0] as Bandwidth), gbs: Math.round(gbs * 10) / 10 },
        group.length > 1 ? { gpuUsableBytes: usable } : {},
      ),
    });
  }
  if (ram)
    budgets.push({
      kind: "cpu",
      label: `${bytes(ram)} RAM`,
      usableBytes: usableBytes("cpu", ram),
      device: device("cpu", hardware.ram.bandwidth ?? defaultBandwidth("cpu", ram, cores), {
        ...(cores ? { cores } : {}),
      }),
    });
  return budgets;
}

const KIND_LABEL = {
  gpu: (gb: number) => `GPU, ${gb} GB VRAM`,
  unified: (gb: number) => `Apple Silicon, ${gb} GB unified memory`,
  cpu: (gb: number) => `CPU only, ${gb} GB RAM`,
};

/**
 * A budget of `gb` GB (GiB, as memory is sold) of one kind, read at the speed of the nearest of these
 * profiles (an index's, or PROFILES); without a profile of that kind its speed is unknown.
 */
export function budgetFor(
  kind: MemoryBudget["kind"],
  gb: number,
  profiles: readonly Sized[],
  label = KIND_LABEL[kind](gb),
): MemoryBudget {
  const memoryBytes = Math.round(gb * GiB);
  const p = nearestProfile(profiles, kind, memoryBytes);
  return {
    kind,
    label,
    usableBytes: usableBytes(kind, memoryBytes),
    ...(p?.bandwidthGBs
      ? { device: device(kind, { gbs: p.bandwidthGBs, source: "profile", basis: `as the ${p.id} profile` }) }
      : {}),
  };
}

/**
 * A budget stated by the user: a profile id from the index (`gpu-8gb`), any size of any kind
 * (`gpu-10gb`, `apple-18gb`, `unified-18gb`, `cpu-12gb`), or a number of GB of GPU memory (`8` = an
 * 8 GB card, counted in GiB as cards are sold). Undefined when it is none of these.
 */
export function budgetFromFits(index: Pick<Index, "profiles">, fits: string): MemoryBudget | undefined {
  const text = fits.trim().toLowerCase();
  const profile = index.profiles.find((p) => p.id === text);
  if (profile) {
    const budget: MemoryBudget = { kind: profile.kind, label: profile.label, usableBytes: profile.usableBytes };
    if (profile.bandwidthGBs)
      budget.device = device(profile.kind, {
        gbs: profile.bandwidthGBs,
        source: "profile",
        basis: `the ${profile.id} profile`,
      });
    return budget;
  }
  const sized = /^(cpu|gpu|apple|unified)-(\d+(?:\.\d+)?)gb$/.exec(text);
  const gb = sized ? Number(sized[2]) : /^\d+(?:\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!(Number.isFinite(gb) && gb > 0 && gb <= 4096)) return undefined;
  if (sized) return budgetFor(PROFILE_KIND[sized[1] as keyof typeof PROFILE_KIND], gb, index.profiles);
  return budgetFor("gpu", gb, index.profiles, `a ${gb} GB GPU`);
}
