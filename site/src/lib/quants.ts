/**
 * A model page's quants: the default one first, then every GGUF repo the index lists with its
 * quants, and the memory each needs at the contexts the model supports (never past its maximum).
 */
import { type InstallTarget, type ModelEntry, memoryAt, type Profile, quantRank } from "small-llm/core";

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
export function fitSummary(profiles: readonly Profile[], memoryBytes: number | undefined): string {
  if (memoryBytes === undefined) return "–";
  const parts = (["gpu", "unified", "cpu"] as const).flatMap((kind) => {
    const smallest = profiles
      .filter((p) => p.kind === kind && p.usableBytes >= memoryBytes)
      .sort((a, b) => a.memoryBytes - b.memoryBytes)[0];
    return smallest ? [`${KIND_LABEL[kind]} ${Math.round(smallest.memoryBytes / 1024 ** 3)} GB`] : [];
  });
  return parts.length ? parts.join(" · ") : "none of the profiles";
}
