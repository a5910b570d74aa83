/**
 * `small-llm metrics` and `summarizeMetrics()`: calls, success rate, tokens, median/p95 latency and
 * tokens/s per model (or task) over the last N days, and an estimate of what the local calls would
 * have cost on a cloud model. The file is read in chunks (constant memory whatever its size);
 * corrupt lines are skipped and counted, never fatal.
 */
import { createReadStream } from "node:fs";
import { metricsFile, type UsageRecord } from "./metrics.ts";

export interface Price {
  model: string;
  inputUsdPerMTok: number;
  outputUsdPerMTok: number;
  source: string;
  asOf: string;
}

/** The default comparison: Claude Sonnet 4.5 list price, a typical model agents delegate from. */
export const DEFAULT_PRICE: Price = {
  model: "claude-sonnet-4-5",
  inputUsdPerMTok: 3,
  outputUsdPerMTok: 15,
  source:
    "Anthropic list price as carried by LiteLLM's model_prices_and_context_window.json (input_cost_per_token 3e-06, output_cost_per_token 1.5e-05)",
  asOf: "2026-08",
};

export interface Spread {
  median?: number;
  p95?: number;
}

export interface MetricsGroup {
  key: string;
  calls: number;
  successes: number;
  successRate: number;
  promptTokens: number;
  outputTokens: number;
  latencyMs: Spread;
  ttftMs: Spread;
  tokensPerSecond: Spread;
  /** Calls answered locally vs by a cloud endpoint. */
  local: number;
  cloud: number;
}

export interface MetricsSummary {
  file: string;
  /** Only records at or after this time (ISO), when `days` was given. */
  since?: string;
  /** Lines read, and how many of them were corrupt (skipped). */
  lines: number;
  corrupt: number;
  total: Omit<MetricsGroup, "key">;
  by: "model" | "task";
  groups: MetricsGroup[];
  savings: {
    /** Always true: this is what the tokens would have cost, not money anyone was billed. */
    estimate: true;
    usd: number;
    promptTokens: number;
    outputTokens: number;
    price: Price;
    note: string;
  };
}

export interface SummarizeOptions {
  file?: string;
  days?: number | undefined;
  by?: "model" | "task" | undefined;
  price?: Price | undefined;
  now?: number;
}

function spread(values: number[]): Spread {
  if (!values.length) return {};
  // A typed array sorts numerically in native code: several times faster than a comparator on 100k values.
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const mid = Math.floor(n / 2);
  const median = n % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, p95: sorted[Math.min(n - 1, Math.ceil(0.95 * n) - 1)] as number };
}

interface Acc {
  calls: number;
  successes: number;
  promptTokens: number;
  outputTokens: number;
  latency: number[];
  ttft: number[];
  tps: number[];
  local: number;
  cloud: number;
}
const acc = (): Acc => ({
  calls: 0,
  successes: 0,
  promptTokens: 0,
  outputTokens: 0,
  latency: [],
  ttft: [],
  tps: [],
  local: 0,
  cloud: 0,
});

function add(a: Acc, r: UsageRecord) {
  a.calls++;
  if (r.success) a.successes++;
  a.promptTokens += r.promptTokens ?? 0;
  a.outputTokens += r.outputTokens ?? 0;
  if (typeof r.latencyMs === "number") a.latency.push(r.latencyMs);
  if (typeof r.ttftMs === "number") a.ttft.push(r.ttftMs);
  if (typeof r.tokensPerSecond === "number") a.tps.push(r.tokensPerSecond);
  if (r.side === "cloud") a.cloud++;
  else a.local++;
}

function finish(a: Acc): Omit<MetricsGroup, "key"> {
  return {
    calls: a.calls,
    successes: a.successes,
    successRate: a.calls ? a.successes / a.calls : 0,
    promptTokens: a.promptTokens,
    outputTokens: a.outputTokens,
    latencyMs: spread(a.latency),
    ttftMs: spread(a.ttft),
    tokensPerSecond: spread(a.tps),
    local: a.local,
    cloud: a.cloud,
  };
}

const valid = (r: unknown): r is UsageRecord =>
  typeof r === "object" &&
  r !== null &&
  typeof (r as UsageRecord).ts === "string" &&
  typeof (r as UsageRecord).model === "string" &&
  typeof (r as UsageRecord).success === "boolean";

const TS_PREFIX = '{"v":1,"ts":"';

/** Summarise the metrics file; a missing file is an empty summary. */
export async function summarizeMetrics(options: SummarizeOptions = {}): Promise<MetricsSummary> {
  const file = options.file ?? metricsFile();
  const by = options.by ?? "model";
  const price = options.price ?? DEFAULT_PRICE;
  const since =
    options.days !== undefined
      ? new Date((options.now ?? Date.now()) - options.days * 86_400_000).toISOString()
      : undefined;
  const total = acc();
  const groups = new Map<string, Acc>();
  let lines = 0;
  let corrupt = 0;
  let savedPrompt = 0;
  let savedOutput = 0;
  const take = (line: string) => {
    if (!line.trim()) return;
    lines++;
    // Records are written with `ts` first: an old one is skipped without parsing it.
    if (since && line.startsWith(TS_PREFIX) && line.slice(TS_PREFIX.length, TS_PREFIX.length + 24) < since) return;
    let r: unknown;
    try {
      r = JSON.parse(line);
    } catch {
      corrupt++;
      return;
    }
    if (!valid(r)) {
      corrupt++;
      return;
    }
    if (since && r.ts < since) return; // ISO timestamps in UTC compare as strings
    if (r.kind === "bench") return;
    add(total, r);
    const key =
      by === "task"
        ? (r.task ?? (r.kind === "run" || r.kind === "chat" || r.kind === "embed" ? `(${r.kind})` : "(none)"))
        : r.model;
    let g = groups.get(key);
    if (!g) {
      g = acc();
      groups.set(key, g);
    }
    add(g, r);
    if (r.success && r.side !== "cloud" && r.kind !== "embed") {
      savedPrompt += r.promptTokens ?? 0;
      savedOutput += r.outputTokens ?? 0;
    }
  };
  try {
    let rest = "";
    for await (const chunk of createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 20 })) {
      const text = rest + (chunk as string);
      let start = 0;
      let nl = text.indexOf("\n");
      while (nl !== -1) {
        take(text.slice(start, nl));
        start = nl + 1;
        nl = text.indexOf("\n", start);
      }
      rest = text.slice(start);
    }
    take(rest);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const usd = (savedPrompt * price.inputUsdPerMTok + savedOutput * price.outputUsdPerMTok) / 1e6;
  return {
    file,
    ...(since ? { since } : {}),
    lines,
    corrupt,
    total: finish(total),
    by,
    groups: [...groups.entries()]
      .map(([key, a]) => ({ key, ...finish(a) }))
      .sort((a, b) => b.calls - a.calls || a.key.localeCompare(b.key)),
    savings: {
      estimate: true,
      usd,
      promptTokens: savedPrompt,
      outputTokens: savedOutput,
      price,
      note:
        `An estimate: what the tokens of successful local calls would have cost on ${price.model} at ` +
        `$${price.inputUsdPerMTok}/M input and $${price.outputUsdPerMTok}/M output (${price.source}, as of ${price.asOf}). ` +
        "It ignores differences in quality and the tokens the calling agent spends to delegate; set `pricing` in config.json to compare with another model.",
    },
  };
}
