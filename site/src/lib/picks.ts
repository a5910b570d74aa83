/**
 * The home page's answer to "what do you run on?": per tier, the models that fit a machine, best
 * first (the client's recommend score), each with the best quant that fits. The page cannot carry
 * every entry's quants for a browser to rank (2,000 entries are megabytes), so the build keeps only
 * the candidates that can make a tier's top list for *some* machine — exact, not an approximation:
 * a model can be in the top N only if fewer than N better-scored models of its tier fit in as
 * little memory as its smallest quant needs. Counts of all that fit come from each tier's sorted
 * smallest-memory list. Browser-safe: the build prepares, the page's script ranks.
 */
import { type BestFit, bestFit, type MemoryBudget, type ModelEntry, memoryAt, recommendScore } from "small-llm/core";
import { FIT_CONTEXT, fitContext } from "./machine.ts";

export const PICKS_PER_TIER = 5;

/** What the home page needs of a candidate; `fit` holds memory at the context fit is judged at. */
export interface PickRow {
  id: string;
  name: string;
  tier: string;
  tasks: string[];
  gated: boolean;
  params: { total: number };
  score: number;
  install: { quant: string; ref: string; fileBytes: number; default: boolean }[];
  fit: { quant: string; contextLength: number; memoryBytes: number; fits: string[] }[];
}

export interface TierPicks {
  tier: string;
  candidates: PickRow[];
  /** The smallest memory each installable model of the tier needs, ascending: how many fit. */
  smallest: number[];
}

/** Base models continue text; the home page answers with models a person can talk to. */
const canChat = (m: ModelEntry) => m.tasks.includes("chat") || !m.tasks.includes("base");

function pickRow(m: ModelEntry): PickRow {
  const context = fitContext(m.contextLength);
  const fit = m.install.flatMap((t) => {
    const memoryBytes = memoryAt(m, t.quant, context);
    // Labelled FIT_CONTEXT so the shared bestFit finds it; for a shorter model it is the memory at its maximum.
    return memoryBytes === undefined ? [] : [{ quant: t.quant, contextLength: FIT_CONTEXT, memoryBytes, fits: [] }];
  });
  return {
    id: m.id,
    name: m.name,
    tier: m.tier,
    tasks: m.tasks,
    gated: m.gated,
    params: { total: m.params.total },
    score: recommendScore(m),
    install: m.install.map((t) => ({ quant: t.quant, ref: t.ref, fileBytes: t.fileBytes, default: t.default })),
    fit,
  };
}

const smallestMemory = (row: PickRow) => Math.min(...row.fit.map((f) => f.memoryBytes));
const byScore = (a: PickRow, b: PickRow) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** At build time: the candidates of each tier (best first) and its smallest-memory list. */
export function tierPicks(models: readonly ModelEntry[], tiers: readonly { id: string }[]): TierPicks[] {
  return tiers.map(({ id }) => {
    const rows = models
      .filter((m) => m.tier === id && canChat(m))
      .map(pickRow)
      .filter((r) => r.fit.length > 0)
      .sort(byScore);
    const candidates: PickRow[] = [];
    const better: number[] = [];
    for (const row of rows) {
      const need = smallestMemory(row);
      if (better.filter((m) => m <= need).length < PICKS_PER_TIER) candidates.push(row);
      better.push(need);
    }
    return { tier: id, candidates, smallest: rows.map(smallestMemory).sort((a, b) => a - b) };
  });
}

export interface Pick {
  row: PickRow;
  fit: BestFit<PickRow["install"][number]>;
}

/** In the browser: the top models of a tier that fit a budget, and how many fit in all. */
export function picksFor(tier: TierPicks, budget: MemoryBudget): { picks: Pick[]; total: number } {
  const picks: Pick[] = [];
  for (const row of tier.candidates) {
    if (picks.length === PICKS_PER_TIER) break;
    const fit = bestFit(row, [budget], FIT_CONTEXT);
    if (fit) picks.push({ row, fit });
  }
  return { picks, total: tier.smallest.filter((m) => m <= budget.usableBytes).length };
}
