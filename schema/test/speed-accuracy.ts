/**
 * How far estimates land from the published measurements: ours, and llmfit's formula for comparison.
 * `npx tsx schema/test/speed-accuracy.ts` prints every row and the summary the README quotes.
 */
import { decodeTokensPerSecond } from "../speed.ts";
import { HELD_OUT, MEASUREMENTS, type Measurement } from "./speed-measurements.ts";

export function ourEstimate(m: Measurement): number {
  return decodeTokensPerSecond({
    model: m.traffic,
    depth: m.depth,
    device: { kind: m.kind, bandwidthGBs: m.bandwidthGBs },
  });
}

/**
 * llmfit's estimate for a GPU whose bandwidth it knows (llmfit-core/src/fit.rs `estimate_tps`, speed.md §2.1):
 * bandwidth ÷ (parameters in billions × nominal bytes per parameter) × 0.55, run-mode factor 1 (all on the GPU).
 * For a CPU it never uses bandwidth, so it is compared on the GPU and Apple rows only.
 */
const LLMFIT_BYTES_PER_PARAM = { Q4_0: 0.5, Q4_K_M: 0.5, Q8_0: 1.0, F16: 2.0 } as const;
export function llmfitEstimate(m: Measurement): number {
  return (m.bandwidthGBs / ((m.params / 1e9) * LLMFIT_BYTES_PER_PARAM[m.quant])) * 0.55;
}

export interface ErrorSummary {
  count: number;
  /** Median of |estimate ÷ measured − 1|. */
  median: number;
  /** 90th percentile (nearest rank) of the same. */
  p90: number;
  max: number;
  /** Share of rows within ±25 %. */
  within25: number;
}

export function relativeError(estimate: number, measured: number): number {
  return estimate / measured - 1;
}

export function summarize(errors: readonly number[]): ErrorSummary {
  const a = errors.map(Math.abs).sort((x, y) => x - y);
  const n = a.length;
  const at = (i: number) => a[Math.min(n - 1, Math.max(0, i))] ?? Number.NaN;
  return {
    count: n,
    median: (at(Math.floor((n - 1) / 2)) + at(Math.floor(n / 2))) / 2,
    p90: at(Math.ceil(0.9 * n) - 1),
    max: at(n - 1),
    within25: a.filter((e) => e <= 0.25).length / n,
  };
}

export function accuracy(rows: readonly Measurement[], estimate: (m: Measurement) => number): ErrorSummary {
  return summarize(rows.map((m) => relativeError(estimate(m), m.tokensPerSecond)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const pct = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(0)} %`;
  const line = (m: Measurement) => {
    const ours = ourEstimate(m);
    const theirs = llmfitEstimate(m);
    return `${m.source}  ${m.device.padEnd(38)} ${`${m.model} ${m.quant}`.padEnd(20)} ${m.tokensPerSecond.toFixed(1).padStart(7)}  ${ours.toFixed(1).padStart(7)} ${pct(relativeError(ours, m.tokensPerSecond)).padStart(6)}  ${theirs.toFixed(1).padStart(7)} ${pct(relativeError(theirs, m.tokensPerSecond)).padStart(6)}`;
  };
  const show = (s: ErrorSummary) =>
    `median ${(s.median * 100).toFixed(1)} %, p90 ${(s.p90 * 100).toFixed(1)} %, max ${(s.max * 100).toFixed(0)} %, ${(s.within25 * 100).toFixed(0)} % within ±25 % (${s.count} rows)`;
  console.log("src device                                 model                measured    ours          llmfit");
  for (const m of MEASUREMENTS) console.log(line(m));
  console.log("held out:");
  for (const m of HELD_OUT) console.log(line(m));
  const gpuRows = MEASUREMENTS.filter((m) => m.kind !== "cpu");
  console.log(`\nours, all rows:        ${show(accuracy(MEASUREMENTS, ourEstimate))}`);
  console.log(`ours, GPU/Apple rows:   ${show(accuracy(gpuRows, ourEstimate))}`);
  console.log(`llmfit, GPU/Apple rows: ${show(accuracy(gpuRows, llmfitEstimate))}`);
  console.log(`ours, held out:         ${show(accuracy(HELD_OUT, ourEstimate))}`);
}
