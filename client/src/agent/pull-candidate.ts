/**
 * What a task pulls when nothing installed can do it: the index model it prefers that fits this
 * machine at the context the call needs, by the task's order, then popularity — for `heavy`, the
 * largest whose estimated speed here is fast enough.
 */
import type { ModelEntry } from "../../../schema/index.ts";
import { bestFit, memoryAt } from "../core/best-fit.ts";
import type { MemoryBudget } from "../core/budgets.ts";
import { bytes, params as formatParams } from "../core/format.ts";
import { estimatedSpeed, HEAVY_MIN_TOKENS_PER_SECOND } from "./heavy.ts";
import type { Candidate, DeriveInput, TaskSpec } from "./tasks.ts";

/** The index's default quant (the download most people take) when it fits here. */
function defaultFit(m: ModelEntry, budgets: readonly MemoryBudget[], contextTokens: number) {
  const install = m.install.find((t) => t.default);
  if (!install) return undefined;
  const memoryBytes = memoryAt(m, install.quant, contextTokens);
  const budget = memoryBytes === undefined ? undefined : budgets.find((b) => memoryBytes <= b.usableBytes);
  return budget && memoryBytes !== undefined ? { install, memoryBytes, budget } : undefined;
}

/** The index model the task would pull first: preferred tag, fits here at the context, by the task's order, then popularity. */
export function pullCandidate(input: DeriveInput, spec: TaskSpec): Candidate | undefined {
  const ollama = input.installed.find((r) => r.runtime.kind === "ollama" && r.runtime.capabilities.install)?.runtime;
  if (!ollama || !input.index) return undefined;
  const ranked = input.index.models
    .filter((m) => m.install.length > 0 && !m.gated && m.tasks.includes("chat"))
    .map((m) => ({
      m,
      fit: defaultFit(m, input.budgets, input.contextTokens) ?? bestFit(m, input.budgets, input.contextTokens),
    }))
    .filter((x) => x.fit !== undefined);
  const group = (m: ModelEntry) => (spec.prefer.some((t) => m.tasks.includes(t)) ? 0 : spec.only ? 2 : 1);
  ranked.sort(
    (a, b) =>
      group(a.m) - group(b.m) ||
      (spec.order === "smallest" ? a.m.params.total - b.m.params.total : b.m.params.total - a.m.params.total) ||
      b.m.downloads - a.m.downloads,
  );
  const min = input.minTokensPerSecond ?? HEAVY_MIN_TOKENS_PER_SECOND;
  const fastEnough = (x: (typeof ranked)[number]) => {
    if (!spec.speed || !x.fit) return true;
    const speed = estimatedSpeed(x.m, x.fit.install.quant, input.budgets, input.index?.profiles);
    return speed === undefined || speed >= min;
  };
  const best = ranked.find((x) => group(x.m) < 2 && fastEnough(x)) ?? ranked.find((x) => group(x.m) < 2);
  if (!best?.fit) return undefined;
  return {
    runtime: ollama,
    ref: best.fit.install.ref,
    side: "local",
    installed: false,
    indexId: best.m.id,
    entry: best.m,
    install: best.fit.install,
    paramsTotal: best.m.params.total,
    why: `not installed; the task's first pick from the index (${formatParams(best.m.params.total)}, ${best.fit.install.quant} needs ~${bytes(best.fit.memoryBytes)})`,
  };
}
