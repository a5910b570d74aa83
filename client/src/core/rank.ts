/** How the client and the website rank the models that fit a machine. */

/**
 * How strongly to recommend a model that fits: popularity says what people found useful, size says
 * how capable it is, running on the CPU costs. The website ranks its "what fits" lists with it too.
 */
export function recommendScore(model: { downloads: number; params: { total: number } }, onCpu = false): number {
  return Math.log10(model.downloads + 1) + 1.5 * Math.log10(model.params.total / 1e8) - (onCpu ? 1 : 0);
}
