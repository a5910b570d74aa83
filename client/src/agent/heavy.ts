/**
 * The `heavy` task: the largest model that is still fast enough here. Speed is what `small-llm
 * bench` measured on this machine, else what the index estimates for the quant on the profile
 * closest to this machine (same kind of memory, the largest that this machine's budget covers).
 * Fast enough is 10 tokens/s unless config.json says otherwise (`tasks.heavy.minTokensPerSecond`):
 * about reading speed. Models too slow are kept, last, so a call still gets an answer.
 */
import type { Index, ModelEntry } from "../../../schema/index.ts";
import type { MemoryBudget } from "../core/budgets.ts";

export const HEAVY_MIN_TOKENS_PER_SECOND = 10;

/** The index's estimate of this quant's decode speed on the index profile that stands for this machine. */
export function estimatedSpeed(
  entry: ModelEntry | undefined,
  quant: string | undefined,
  budgets: readonly MemoryBudget[],
  profiles: Index["profiles"] | undefined,
): number | undefined {
  if (!entry || !quant || !profiles?.length) return undefined;
  const fit =
    entry.fit.find((f) => f.quant === quant && f.contextLength === 4096) ?? entry.fit.find((f) => f.quant === quant);
  const speeds = fit?.tokensPerSecond;
  if (!speeds) return undefined;
  // The fastest budget first (GPU, unified), then RAM: the first whose profile has a figure.
  for (const budget of budgets) {
    const profile = profiles
      .filter((p) => p.kind === budget.kind && p.usableBytes <= budget.usableBytes && speeds[p.id] !== undefined)
      .sort((a, b) => b.usableBytes - a.usableBytes)[0];
    if (profile) return speeds[profile.id];
  }
  return undefined;
}

export interface SpeedRanked<C> {
  candidate: C;
  /** Measured, else estimated; undefined when neither is known. */
  speed?: number;
  measured: boolean;
}

/**
 * Order for `heavy`: fast enough (largest first), then speed unknown (largest first), then too
 * slow (fastest first). `size` reads a candidate's parameter count.
 */
export function heavyOrder<C>(ranked: SpeedRanked<C>[], min: number, size: (c: C) => number): SpeedRanked<C>[] {
  const fast = ranked.filter((r) => r.speed !== undefined && r.speed >= min);
  const unknown = ranked.filter((r) => r.speed === undefined);
  const slow = ranked.filter((r) => r.speed !== undefined && r.speed < min);
  const bySize = (a: SpeedRanked<C>, b: SpeedRanked<C>) => size(b.candidate) - size(a.candidate);
  return [...fast.sort(bySize), ...unknown.sort(bySize), ...slow.sort((a, b) => (b.speed ?? 0) - (a.speed ?? 0))];
}
