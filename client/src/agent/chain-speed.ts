/**
 * How fast each model of a chain answers here, by the estimate recommend uses (core/estimate-speed.ts)
 * or as measured here, and the orders the tasks want from it: `quick` the fastest of the usable
 * models, `coding`/`analysis` and the others the largest that still answers at a usable speed. A
 * model below the speed floor goes after every usable one of its group; a model the index does not
 * know has no estimate and is ordered by size, as before.
 */

import { memoryAt } from "../core/best-fit.ts";
import type { MemoryBudget } from "../core/budgets.ts";
import { DEFAULT_MIN_SPEED, estimateSpeed } from "../core/estimate-speed.ts";
import { speedText } from "../recommend/recommend.ts";
import { normalizeRef } from "../runtimes/ollama/refs.ts";
import type { Candidate } from "./tasks.ts";

export interface ChainSpeedInput {
  budgets: readonly MemoryBudget[];
  contextTokens: number;
  measured?: ReadonlyMap<string, number> | undefined;
  minSpeed?: number | undefined;
}

/** Measured tokens/s for a ref, whichever spelling the map uses. */
export const measuredFor = (measured: ReadonlyMap<string, number> | undefined, ref: string) =>
  measured?.get(ref) ?? measured?.get(normalizeRef(ref));

/** Sets `tokensPerSecond` and `speedSource` on a candidate that is measured or that the index knows. */
export function addSpeed(c: Candidate, input: ChainSpeedInput): void {
  const measured = measuredFor(input.measured, c.ref);
  if (measured !== undefined) {
    c.tokensPerSecond = measured;
    c.speedSource = "measured";
    return;
  }
  const quant = c.install?.quant;
  if (!c.entry || !quant) return;
  const memory = memoryAt(c.entry, quant, input.contextTokens);
  const budget = memory === undefined ? undefined : input.budgets.find((b) => memory <= b.usableBytes);
  if (!budget) return;
  const speed = estimateSpeed({
    model: c.entry,
    quant,
    contextLength: input.contextTokens,
    budget,
    budgets: input.budgets,
  });
  if (speed) {
    c.tokensPerSecond = speed.tokensPerSecond;
    c.speedSource = "estimated";
  }
}

/** Reaches the floor, or nothing is known of its speed. */
export const usable = (c: Candidate, floor = DEFAULT_MIN_SPEED) =>
  c.tokensPerSecond === undefined || c.tokensPerSecond >= floor;

/** `, ~42 tokens/s` / `, measured 38 tokens/s` / `, ~3.1 tokens/s: below the 8 tokens/s floor`. */
export function speedNote(c: Candidate, floor = DEFAULT_MIN_SPEED): string {
  if (c.tokensPerSecond === undefined) return "";
  const tps = speedText(c.tokensPerSecond);
  const text = c.speedSource === "measured" ? `measured ${tps} tokens/s` : `~${tps} tokens/s`;
  return `, ${text}${usable(c, floor) ? "" : `: below the ${floor} tokens/s floor`}`;
}

/** Usable first; then the task's order: fastest (quick) or largest (the rest), size where speed is unknown. */
export function chainOrder(order: "smallest" | "largest", floor = DEFAULT_MIN_SPEED) {
  return (a: Candidate, b: Candidate): number => {
    const ua = usable(a, floor);
    if (ua !== usable(b, floor)) return ua ? -1 : 1;
    if (!ua) return (b.tokensPerSecond ?? 0) - (a.tokensPerSecond ?? 0) || a.ref.localeCompare(b.ref);
    if (order === "smallest" && a.tokensPerSecond !== undefined && b.tokensPerSecond !== undefined) {
      const bySpeed = b.tokensPerSecond - a.tokensPerSecond;
      if (bySpeed) return bySpeed;
    }
    const pa = a.paramsTotal ?? (order === "smallest" ? Number.MAX_SAFE_INTEGER : 0);
    const pb = b.paramsTotal ?? (order === "smallest" ? Number.MAX_SAFE_INTEGER : 0);
    return (order === "smallest" ? pa - pb : pb - pa) || a.ref.localeCompare(b.ref);
  };
}
