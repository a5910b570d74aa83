/**
 * The heavier agent parts for the package entry, loaded on first use so `import { getIndex } from
 * "small-llm"` stays light: the metrics reader and the benchmark run only when called.
 */
import type { BenchOptions, BenchResult } from "./bench.ts";
import type { MetricsSummary, SummarizeOptions } from "./metrics-summary.ts";

/** Summarise `<state>/metrics/usage.jsonl`: calls, success, tokens, latency and speed per model or task, and a savings estimate. */
export async function summarizeMetrics(options: SummarizeOptions = {}): Promise<MetricsSummary> {
  return (await import("./metrics-summary.ts")).summarizeMetrics(options);
}

/** Benchmark installed models one at a time; results are appended to `<state>/bench.jsonl`. */
export async function benchModels(options: BenchOptions): Promise<BenchResult[]> {
  return (await import("./bench.ts")).benchModels(options);
}
