/**
 * The home page's answer to "what do you run on?": per tier, the models that fit a machine ranked as
 * the client ranks them (core's chooseQuant and compareRecommendations: what answers at a usable
 * speed first, larger and more used first; what is below the speed floor last, fastest first), each
 * with the quant to run and its estimated speed. The page cannot carry every entry's quants for a
 * browser to rank (2,000 entries are megabytes), so the build keeps only the candidates that can make
 * a tier's top list for *some* machine — exactly, not approximately: a model is left out only when
 * PICKS_PER_TIER better-scored models *cover* it: on each memory the picker can stand for (a profile's
 * bandwidth), each of its quants is matched by one of theirs that needs no more memory and answers at
 * least as fast, 4-bit or better where its own is — so on any machine where it fits they fit, are
 * usable where it is, are as fast where it is not, and rank before it. Browser-safe: the build
 * prepares, the page's script ranks.
 */
import {
  budgetFor,
  chooseQuant,
  compareRecommendations,
  estimateSpeed,
  isSensible,
  kvBytesPerToken,
  type MemoryBudget,
  type ModelEntry,
  memoryAt,
  type QuantChoice,
  recommendScore,
} from "small-llm/core";
import { FIT_CONTEXT, fitContext, type ProfileSpeed } from "./machine.ts";

export const PICKS_PER_TIER = 5;

/** What the home page needs of a candidate; `fit` holds memory at the context fit is judged at. */
export interface PickRow {
  id: string;
  name: string;
  tier: string;
  tasks: string[];
  gated: boolean;
  params: { total: number; active?: number };
  layers?: number;
  score: number;
  install: { quant: string; ref: string; fileBytes: number; default: boolean }[];
  /** One row per quant, labelled FIT_CONTEXT; `kvCacheBytes` gives the KV bytes per token read at half of it. */
  fit: { quant: string; contextLength: number; memoryBytes: number; kvCacheBytes: number; fits: string[] }[];
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
    const kvCacheBytes = Math.round(kvBytesPerToken(m, t.quant, context / 2) * FIT_CONTEXT);
    return memoryBytes === undefined
      ? []
      : [{ quant: t.quant, contextLength: FIT_CONTEXT, memoryBytes, kvCacheBytes, fits: [] }];
  });
  return {
    id: m.id,
    name: m.name,
    tier: m.tier,
    tasks: m.tasks,
    gated: m.gated,
    params: m.params.active ? { total: m.params.total, active: m.params.active } : { total: m.params.total },
    ...(m.layers ? { layers: m.layers } : {}),
    score: recommendScore(m),
    install: m.install.map((t) => ({ quant: t.quant, ref: t.ref, fileBytes: t.fileBytes, default: t.default })),
    fit,
  };
}

const smallestMemory = (row: PickRow) => Math.min(...row.fit.map((f) => f.memoryBytes));
const byScore = (a: PickRow, b: PickRow) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Every memory a chosen machine can be read at: one per kind and profile bandwidth (machine.ts). */
function devices(profiles: readonly ProfileSpeed[]): MemoryBudget[] {
  const seen = new Map<string, MemoryBudget>();
  for (const p of profiles) {
    const budget = budgetFor(p.kind, p.memoryBytes / 1024 ** 3, profiles);
    if (budget.device) seen.set(`${p.kind}|${budget.device.bandwidthGBs}`, { ...budget, usableBytes: Infinity });
  }
  return [...seen.values()];
}

/** Each quant's memory, its speed on each device, and whether it is 4-bit or better. */
function shape(row: PickRow, on: readonly MemoryBudget[]) {
  const quants = row.fit.map((f) => ({
    memory: f.memoryBytes,
    speeds: on.map(
      (budget) =>
        estimateSpeed({ model: row, quant: f.quant, contextLength: FIT_CONTEXT, budget })?.tokensPerSecond ?? 0,
    ),
    sensible: isSensible(f.quant),
  }));
  return { quants, sensible: quants.filter((q) => q.sensible) };
}
type Shape = ReturnType<typeof shape>;

/** Y covers X: each quant of X has, on every device, one in Y as small and as fast (4-bit or better if X's is). */
const covers = (y: Shape, x: Shape) =>
  x.quants.every((q) => {
    const pool = (q.sensible ? y.sensible : y.quants).filter((s) => s.memory <= q.memory);
    return pool.length > 0 && q.speeds.every((speed, d) => pool.some((s) => (s.speeds[d] as number) >= speed));
  });

/** At build time: the candidates of each tier (best score first) and its smallest-memory list. */
export function tierPicks(
  models: readonly ModelEntry[],
  tiers: readonly { id: string }[],
  profiles: readonly ProfileSpeed[] = [],
): TierPicks[] {
  const on = devices(profiles);
  return tiers.map(({ id }) => {
    const rows = models
      .filter((m) => m.tier === id && canChat(m))
      .map(pickRow)
      .filter((r) => r.fit.length > 0)
      .sort(byScore);
    const shapes = rows.map((r) => shape(r, on));
    const candidates = rows.filter((_, i) => {
      let covering = 0;
      for (let j = 0; j < i && covering < PICKS_PER_TIER; j++)
        if (covers(shapes[j] as Shape, shapes[i] as Shape)) covering++;
      return covering < PICKS_PER_TIER;
    });
    return { tier: id, candidates, smallest: rows.map(smallestMemory).sort((a, b) => a - b) };
  });
}

export interface Pick {
  row: PickRow;
  fit: QuantChoice<PickRow["install"][number]>;
}

/** In the browser: the top models of a tier on a machine, ranked as the client ranks them, and how many fit. */
export function picksFor(tier: TierPicks, budget: MemoryBudget): { picks: Pick[]; total: number } {
  const all: (Pick & { score: number })[] = [];
  for (const row of tier.candidates) {
    const fit = chooseQuant(row, [budget], { contextLength: FIT_CONTEXT });
    if (fit) all.push({ row, fit, score: row.score });
  }
  const rank = (p: Pick & { score: number }) => ({
    id: p.row.id,
    score: p.score,
    usable: p.fit.usable,
    tokensPerSecond: p.fit.bestTokensPerSecond,
  });
  all.sort((a, b) => compareRecommendations(rank(a), rank(b)));
  return {
    picks: all.slice(0, PICKS_PER_TIER).map(({ row, fit }) => ({ row, fit })),
    total: tier.smallest.filter((m) => m <= budget.usableBytes).length,
  };
}
