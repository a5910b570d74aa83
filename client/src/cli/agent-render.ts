/** Text output of `metrics` and `bench`. */
import type { BenchResult, Stat } from "../agent/bench.ts";
import type { MetricsSummary, Spread } from "../agent/metrics-summary.ts";
import { bytes } from "../core/format.ts";
import { table } from "./render.ts";

const ms = (v: number | undefined) =>
  v === undefined ? "–" : v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`;
const spread = (s: Spread, f: (v: number | undefined) => string) =>
  s.median === undefined ? "–" : `${f(s.median)} / ${f(s.p95)}`;
const rate = (v: number | undefined) => (v === undefined ? "–" : v.toFixed(1));
const usd = (v: number) => (v < 0.01 && v > 0 ? `$${v.toFixed(4)}` : `$${v.toFixed(2)}`);

export function renderMetrics(s: MetricsSummary): string {
  const lines: string[] = [];
  const period = s.since ? `since ${s.since.slice(0, 10)}` : "all time";
  lines.push(`${s.total.calls} call${s.total.calls === 1 ? "" : "s"} ${period} (${s.file})`);
  if (s.corrupt) lines.push(`skipped ${s.corrupt} corrupt line${s.corrupt === 1 ? "" : "s"} of ${s.lines}`);
  if (!s.total.calls) {
    lines.push(
      "nothing recorded yet — `small-llm ask` and `small-llm run` add a line per call (SMALL_LLM_METRICS=0 turns it off)",
    );
    return lines.join("\n");
  }
  lines.push("");
  lines.push(
    table(
      [
        s.by.toUpperCase(),
        "CALLS",
        "OK",
        "TOKENS IN",
        "TOKENS OUT",
        "LATENCY p50/p95",
        "TTFT p50/p95",
        "TOK/S p50",
        "LOCAL/CLOUD",
      ],
      s.groups.map((g) => [
        g.key,
        String(g.calls),
        `${Math.round(g.successRate * 100)} %`,
        String(g.promptTokens),
        String(g.outputTokens),
        spread(g.latencyMs, ms),
        spread(g.ttftMs, ms),
        rate(g.tokensPerSecond.median),
        `${g.local}/${g.cloud}`,
      ]),
    ),
  );
  const v = s.savings;
  lines.push("");
  lines.push(
    `Estimated savings (an estimate, not a bill): ${usd(v.usd)} — ${v.promptTokens} input + ${v.outputTokens} output tokens answered locally, priced as ${v.price.model} ($${v.price.inputUsdPerMTok}/M in, $${v.price.outputUsdPerMTok}/M out).`,
  );
  lines.push(
    `Price source: ${v.price.source}, as of ${v.price.asOf}. Set "pricing" in config.json to compare with another model.`,
  );
  return lines.join("\n");
}

const pm = (s: Stat | undefined, f: (v: number) => string) =>
  s ? `${f(s.mean)} ± ${f(s.sd)} (median ${f(s.median)})` : "–";

export function renderBench(results: BenchResult[]): string {
  const rows = results.map((r) => [
    r.model,
    r.coldLoadMs === undefined ? "–" : ms(r.coldLoadMs),
    pm(r.ttftMs, (v) => `${Math.round(v)}`),
    pm(r.promptTokensPerSecond, (v) => v.toFixed(0)),
    pm(r.tokensPerSecond, (v) => v.toFixed(1)),
    pm(r.totalMs, (v) => (v / 1000).toFixed(2)),
    r.memory
      ? `${bytes(r.memory.sizeBytes)} (${Math.round((r.memory.vramBytes / Math.max(1, r.memory.sizeBytes)) * 100)} % GPU)`
      : "–",
    r.complete ? String(r.runs) : `${r.runs} (stopped${r.error ? `: ${r.error.code}` : ""})`,
  ]);
  const first = results[0];
  return [
    table(["MODEL", "LOAD", "TTFT ms", "PROMPT tok/s", "GEN tok/s", "TOTAL s", "MEMORY", "RUNS"], rows),
    "",
    first
      ? `context ${first.context}, ${first.numPredict} tokens per run, on ${first.hardware.summary} (${first.hardware.fingerprint}); saved to bench.jsonl, ` +
        "so `recommend`, `setup` and `ask` use these speeds here (two models or more also re-fit the estimate for the rest)"
      : "",
  ].join("\n");
}
