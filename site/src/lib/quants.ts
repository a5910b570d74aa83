/**
 * A model page's quants: the default one first, then every GGUF repo the index lists with its
 * quants, and the memory each needs at the contexts the model supports (never past its maximum).
 */
import { type Fit, type InstallTarget, type ModelEntry, memoryAt, type Profile, quantRank } from "small-llm/core";

/** The GGUF repo of a target; indexes before schema 1.1 name it only inside the ref. */
export const targetRepo = (t: InstallTarget) => t.repo ?? t.ref.replace(/^hf\.co\//, "").replace(/:[^:]+$/, "");

/** The contexts memory is shown at: those the index estimated that the model can run, else its maximum. */
export function memoryContexts(m: ModelEntry): number[] {
  const all = [...new Set(m.fit.map((f) => f.contextLength))].sort((a, b) => a - b);
  const max = m.contextLength;
  if (!max) return all;
  const supported = all.filter((c) => c <= max);
  return supported.length > 0 ? supported : [max];
}

export interface QuantRow {
  target: InstallTarget;
  /** Memory needed per context of memoryContexts(); undefined where the index has no estimate. */
  memory: (number | undefined)[];
  heuristic: boolean;
}

export function quantRow(m: ModelEntry, target: InstallTarget, contexts: readonly number[]): QuantRow {
  return {
    target,
    memory: contexts.map((c) => memoryAt(m, target.quant, c)),
    heuristic: m.fit.some((f) => f.quant === target.quant && f.basis === "heuristic"),
  };
}

/** Every repo with its quants, best quality first; the repo of the default target first. */
export function quantsByRepo(m: ModelEntry, contexts: readonly number[]): { repo: string; rows: QuantRow[] }[] {
  const repos = new Map<string, QuantRow[]>();
  const def = m.install.find((t) => t.default);
  if (def) repos.set(targetRepo(def), []);
  for (const t of [...m.install].sort((a, b) => quantRank(a.quant) - quantRank(b.quant))) {
    const repo = targetRepo(t);
    repos.set(repo, [...(repos.get(repo) ?? []), quantRow(m, t, contexts)]);
  }
  return [...repos].map(([repo, rows]) => ({ repo, rows }));
}

/**
 * Which machines hold `memoryBytes`: the smallest profile of each kind says it all, since larger
 * ones of that kind hold it too. Judged on the profiles' usable memory, so it holds for a model
 * whose maximum context is shorter than the profiles' 4K as well.
 */
const KIND_LABEL = { gpu: "GPU", unified: "Mac", cpu: "CPU" } as const;
const profileLabel = (p: Pick<Profile, "kind" | "memoryBytes">) =>
  `${KIND_LABEL[p.kind]} ${Math.round(p.memoryBytes / 1024 ** 3)} GB`;
/** `~42 tok/s`: the index's estimate, two significant digits. */
const tps = (n: number) => `~${n} tok/s`;

/** The quant's fit row at 4K: its speed on each profile and the profiles that run it split. */
export const fitRowAt = (m: ModelEntry, quant: string, contextLength = 4096) =>
  m.fit.find((f) => f.quant === quant && f.contextLength === contextLength);

/** Each machine's smallest profile that holds it, and the speed the index estimates there. */
export function fitParts(
  profiles: readonly Profile[],
  memoryBytes: number | undefined,
  speeds: Readonly<Record<string, number>> = {},
): { label: string; speed?: number }[] {
  if (memoryBytes === undefined) return [];
  return (["gpu", "unified", "cpu"] as const).flatMap((kind) => {
    const smallest = profiles
      .filter((p) => p.kind === kind && p.usableBytes >= memoryBytes)
      .sort((a, b) => a.memoryBytes - b.memoryBytes)[0];
    if (!smallest) return [];
    const speed = speeds[smallest.id];
    return [{ label: profileLabel(smallest), ...(speed === undefined ? {} : { speed }) }];
  });
}

/** `GPU 8 GB ~41 tok/s · Mac 16 GB ~15 tok/s · CPU 8 GB ~5.4 tok/s`. */
export function fitSummary(
  profiles: readonly Profile[],
  memoryBytes: number | undefined,
  speeds: Readonly<Record<string, number>> = {},
): string {
  if (memoryBytes === undefined) return "–";
  const parts = fitParts(profiles, memoryBytes, speeds);
  if (!parts.length) return "none of the profiles";
  return parts.map((p) => `${p.label}${p.speed === undefined ? "" : ` ${tps(p.speed)}`}`).join(" · ");
}

/**
 * The speed the index estimates on every profile that runs the quant, in the profiles' order — whole
 * in memory, or split between a GPU and the RAM beside it (`24/32 layers on the GPU`).
 */
export function profileSpeeds(
  profiles: readonly Profile[],
  row: Pick<Fit, "tokensPerSecond" | "offload"> | undefined,
): { profile: string; label: string; text: string; split: boolean }[] {
  return profiles.flatMap((p) => {
    const speed = row?.tokensPerSecond?.[p.id];
    if (speed === undefined) return [];
    const split = row?.offload?.[p.id];
    return [
      {
        profile: p.id,
        label: profileLabel(p),
        text: `${tps(speed)}${split ? ` (${split.gpuLayers}/${split.totalLayers} layers on the GPU)` : ""}`,
        split: Boolean(split),
      },
    ];
  });
}
