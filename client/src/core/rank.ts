/** How the client and the website rank the models that fit a machine. */

/**
 * How strongly to recommend a model that fits: popularity says what people found useful, size says
 * how capable it is, running on the CPU costs. The website ranks its "what fits" lists with it too.
 */
export function recommendScore(model: { downloads: number; params: { total: number } }, onCpu = false): number {
  return Math.log10(model.downloads + 1) + 1.5 * Math.log10(model.params.total / 1e8) - (onCpu ? 1 : 0);
}

/** What the ranking reads of a pick. */
export interface Rankable {
  id: string;
  score: number;
  /** 4-bit or better and reaches the speed floor (or nothing is known of its speed). */
  usable: boolean;
  /** The fastest it could answer here (tokens/s, unrounded; any quant that fits); undefined when unknown. */
  tokensPerSecond?: number | undefined;
}

/**
 * The order a user would pick in: models that answer at a usable speed first, by score (larger and
 * more used first); then the others — below the speed floor, or fitting only below 4 bits — fastest
 * first, the nearest to usable, so a model too slow to use is never first unless nothing here is.
 */
export function compareRecommendations(a: Rankable, b: Rankable): number {
  if (a.usable !== b.usable) return a.usable ? -1 : 1;
  const bySpeed = a.usable ? 0 : (b.tokensPerSecond ?? 0) - (a.tokensPerSecond ?? 0);
  return bySpeed || b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
