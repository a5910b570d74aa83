/** How the client and the website rank the models that fit a machine. */
import { quantRank } from "../../../schema/quants.ts";

const Q3 = quantRank("Q3_K_L");
const Q2 = quantRank("Q2_K");

/**
 * What squeezing a model below 4 bits costs it in the ranking, in the score's units (a decade of
 * downloads): a 3-bit quant loses noticeably more than a 4-bit one, a 2-bit quant much more, so a
 * 4B model squeezed to Q3 ranks below a 3B model at Q4_K_M. Only a model that fits no other way is
 * run that low (choose-quant.ts).
 */
export function quantPenalty(quant: string | undefined): number {
  if (quant === undefined) return 0;
  const rank = quantRank(quant);
  return rank >= Q2 && rank < quantRank("BF16") ? 1 : rank >= Q3 && rank < Q2 ? 0.5 : 0;
}

/**
 * How strongly to recommend a model that fits: popularity says what people found useful, size says
 * how capable it is, running on the CPU costs, and so does a quant below 4 bits. The website ranks its
 * "what fits" lists with it too.
 */
export function recommendScore(
  model: { downloads: number; params: { total: number } },
  onCpu = false,
  quant?: string,
): number {
  return (
    Math.log10(model.downloads + 1) + 1.5 * Math.log10(model.params.total / 1e8) - (onCpu ? 1 : 0) - quantPenalty(quant)
  );
}

/** What the ranking reads of a pick. */
export interface Rankable {
  id: string;
  score: number;
  /** Reaches the speed floor (or nothing is known of its speed). */
  usable: boolean;
  /** Decode tokens/s, unrounded; undefined when unknown. */
  tokensPerSecond?: number | undefined;
}

/**
 * The order a user would pick in: models that answer at a usable speed first, by score (larger and
 * more used first); then those below the speed floor, fastest first — the nearest to usable — so a
 * model too slow to use is never first unless nothing here is fast enough.
 */
export function compareRecommendations(a: Rankable, b: Rankable): number {
  if (a.usable !== b.usable) return a.usable ? -1 : 1;
  const bySpeed = a.usable ? 0 : (b.tokensPerSecond ?? 0) - (a.tokensPerSecond ?? 0);
  return bySpeed || b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
