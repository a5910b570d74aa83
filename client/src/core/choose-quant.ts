/**
 * Which quant of a model to run on a machine, the way llama.cpp users choose: the 4-bit K-quant
 * (Q4_K_M) is the baseline — it keeps nearly all the quality at about 60 % of Q8_0's bytes — and a
 * better quant replaces it only when it costs little: it leaves room in memory and still answers
 * comfortably. Below 4 bits quality falls off fast, so those quants are taken only when nothing
 * better fits at all, and such a squeeze never counts as usable: it is listed with the models below
 * the speed floor. Without speed figures (an index older than 1.2) the quant is `bestFit`'s: the best
 * quality that fits.
 */
import { quantRank } from "../../../schema/quants.ts";
import { type BestFit, bestFit, memoryAt } from "./best-fit.ts";
import type { MemoryBudget } from "./budgets.ts";
import { DEFAULT_MIN_SPEED, estimateSpeed, type Speedable, type SpeedEstimate } from "./estimate-speed.ts";

/** A better quant must leave a fifth of the usable memory free: room for a longer context and the user's apps. */
export const UPGRADE_MAX_SHARE = 0.8;
/** …and keep two thirds of the baseline's speed (Q6_K does, at ~0.75; Q8_0, at ~0.6, does not)… */
export const UPGRADE_MIN_RATIO = 2 / 3;
/** …at a comfortable speed above the floor, or at a speed where a faster answer no longer shows (speed.md §6). */
export const COMFORT_OVER_FLOOR = 1.25;
export const FAST_ENOUGH = 40;

const WORST_SENSIBLE = quantRank("Q4_0");
/** Q4 or better, not full precision (which QUANT_QUALITY ranks last on purpose). */
export const isSensible = (quant: string) => quantRank(quant) <= WORST_SENSIBLE;
const isFourBit = (quant: string) => /^(?:UD-)?I?Q4_/.test(quant);

export interface QuantChoice<T extends Speedable["install"][number] = Speedable["install"][number]> extends BestFit<T> {
  /** Undefined when the budget's bandwidth is unknown. */
  speed?: SpeedEstimate;
  /** The fastest any quant that fits would answer (tokens/s): how near to usable a model below the floor is. */
  bestTokensPerSecond?: number;
  /** 4-bit or better, and reaches the speed floor (or nothing is known of its speed). */
  usable: boolean;
  /** Why this quant: `baseline`, `upgrade` (a better one that costs little), `fastest` (none reaches the floor), `only-fit`. */
  basis: "baseline" | "upgrade" | "fastest" | "only-fit" | "best-fit";
}

export interface ChooseOptions {
  contextLength: number;
  /** Tokens/s a usable model must reach (default 8). */
  minSpeed?: number | undefined;
  measured?: ((ref: string) => number | undefined) | undefined;
}

type Option<T extends Speedable["install"][number]> = BestFit<T> & { speed?: SpeedEstimate };

const better = (a: { install: { quant: string } }, b: { install: { quant: string } }) =>
  quantRank(a.install.quant) - quantRank(b.install.quant);
const tps = (o: { speed?: SpeedEstimate }) => o.speed?.tokensPerSecond ?? 0;

/** The quant to run on these budgets (fastest first), with its speed; undefined when none fits. */
export function chooseQuant<M extends Speedable>(
  model: M,
  budgets: readonly MemoryBudget[],
  options: ChooseOptions,
): QuantChoice<M["install"][number]> | undefined {
  const floor = options.minSpeed ?? DEFAULT_MIN_SPEED;
  const { contextLength } = options;
  // Each quant on the fastest budget that holds it.
  const fitting: Option<M["install"][number]>[] = [];
  for (const install of model.install) {
    const memoryBytes = memoryAt(model, install.quant, contextLength);
    const budget = memoryBytes === undefined ? undefined : budgets.find((b) => memoryBytes <= b.usableBytes);
    if (!budget || memoryBytes === undefined) continue;
    const speed = estimateSpeed({
      model,
      quant: install.quant,
      contextLength,
      budget,
      budgets,
      measured: options.measured,
    });
    fitting.push({ install, memoryBytes, budget, ...(speed ? { speed } : {}) });
  }
  if (fitting.length === 0) return undefined;
  if (fitting.some((o) => !o.speed)) {
    const fit = bestFit(model, budgets, contextLength) as BestFit<M["install"][number]>;
    return { ...fit, usable: isSensible(fit.install.quant), basis: "best-fit" };
  }
  const bestTokensPerSecond = Math.max(...fitting.map(tps));
  const choice = (o: Option<M["install"][number]>, basis: QuantChoice["basis"]) => ({
    ...o,
    bestTokensPerSecond,
    usable: basis !== "only-fit" && tps(o) >= floor,
    basis,
  });
  const sensible = fitting.filter((o) => isSensible(o.install.quant));
  if (sensible.length === 0) return choice([...fitting].sort(better)[0] as Option<M["install"][number]>, "only-fit");
  const fast = sensible.filter((o) => tps(o) >= floor);
  if (fast.length === 0) return choice([...sensible].sort((a, b) => tps(b) - tps(a))[0] as (typeof fast)[0], "fastest");
  const fourBit = fast.filter((o) => isFourBit(o.install.quant)).sort(better)[0];
  const baseline = fourBit ?? ([...fast].sort((a, b) => tps(b) - tps(a))[0] as (typeof fast)[0]);
  const comfortable = floor * COMFORT_OVER_FLOOR;
  const upgrade = fast
    .filter(
      (o) =>
        better(o, baseline) < 0 &&
        o.memoryBytes <= UPGRADE_MAX_SHARE * o.budget.usableBytes &&
        (tps(o) >= FAST_ENOUGH || (tps(o) >= comfortable && tps(o) >= UPGRADE_MIN_RATIO * tps(baseline))),
    )
    .sort(better)[0];
  return upgrade ? choice(upgrade, "upgrade") : choice(baseline, "baseline");
}
