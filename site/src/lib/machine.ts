/**
 * "What do you run on?": the machine a visitor picks on the home page and in Browse, how it is
 * written in the URL (`?kind=gpu&gb=8`), and the memory budget it gives. Browser-safe and pure, so
 * the pages' scripts and the build share it. Sizes are in GB as cards and Macs are sold (GiB), and
 * the budget follows the same rules as the index's hardware profiles (schema/profiles.ts).
 */
import { budgetFor, type MemoryBudget, type Profile } from "small-llm/core";

export type MachineKind = MemoryBudget["kind"];

export interface Machine {
  kind: MachineKind;
  gb: number;
}

export interface MachineKindOption {
  kind: MachineKind;
  /** What the picker's button says. */
  label: string;
  /** How a chosen size reads: `8 GB GPU VRAM`. */
  noun: string;
  /** The sizes people have most often, one tap away. */
  sizes: readonly number[];
  /** The size picked when someone chooses the kind without a size. */
  defaultGb: number;
}

export const MACHINE_KINDS: readonly MachineKindOption[] = [
  { kind: "gpu", label: "GPU VRAM", noun: "GPU VRAM", sizes: [4, 6, 8, 12, 16, 24], defaultGb: 8 },
  {
    kind: "unified",
    label: "Apple unified memory",
    noun: "Apple unified memory",
    sizes: [8, 16, 24, 32, 36, 48],
    defaultGb: 16,
  },
  { kind: "cpu", label: "CPU RAM", noun: "RAM (CPU only)", sizes: [8, 16, 32, 64], defaultGb: 16 },
];

const GiB = 1024 ** 3;
const MAX_GB = 1024;

const isKind = (value: string | null): value is MachineKind => MACHINE_KINDS.some((k) => k.kind === value);

/** A size as typed: a positive number of GB up to 1 TB, else undefined. */
export function parseGb(value: string | null | undefined): number | undefined {
  if (!value || !/^\d+(?:\.\d+)?$/.test(value.trim())) return undefined;
  const gb = Number(value);
  return gb > 0 && gb <= MAX_GB ? gb : undefined;
}

/**
 * The machine a URL names: `kind` + `gb`, or (links made before the picker) `hw=<profile id>`
 * from the index's profiles. Anything else names no machine.
 */
export function machineFromParams(
  params: URLSearchParams,
  profiles: readonly { id: string; kind: string; memoryBytes: number }[] = [],
): Machine | undefined {
  const kind = params.get("kind");
  const gb = parseGb(params.get("gb"));
  if (isKind(kind) && gb !== undefined) return { kind, gb };
  const profile = profiles.find((p) => p.id === params.get("hw"));
  if (profile && isKind(profile.kind)) return { kind: profile.kind, gb: profile.memoryBytes / GiB };
  return undefined;
}

/** Writes the machine into URL parameters (or removes it), leaving the others alone. */
export function machineToParams(machine: Machine | undefined, params: URLSearchParams): URLSearchParams {
  params.delete("hw");
  if (machine) {
    params.set("kind", machine.kind);
    params.set("gb", String(machine.gb));
  } else {
    params.delete("kind");
    params.delete("gb");
  }
  return params;
}

export function machineLabel(machine: Machine): string {
  const option = MACHINE_KINDS.find((k) => k.kind === machine.kind);
  return `${machine.gb} GB ${option?.noun ?? machine.kind}`;
}

/** What the pages need of the index's profiles to say how fast a machine reads its memory. */
export type ProfileSpeed = Pick<Profile, "id" | "kind" | "memoryBytes" | "bandwidthGBs">;

/**
 * The memory a model may take on this machine — the index profiles' rule for its kind — and how fast
 * it is read: the bandwidth of the profile of that kind nearest in size (the client's `--fits` rule).
 */
export function machineBudget(machine: Machine, profiles: readonly ProfileSpeed[] = []): MemoryBudget {
  return budgetFor(machine.kind, machine.gb, profiles, machineLabel(machine));
}

/** The context length fit is judged at: Ollama's default 4096 tokens, or the model's maximum when it is shorter. */
export const FIT_CONTEXT = 4096;
export const fitContext = (contextLength: number | undefined) =>
  contextLength && contextLength < FIT_CONTEXT ? contextLength : FIT_CONTEXT;
