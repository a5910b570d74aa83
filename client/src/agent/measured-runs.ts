/**
 * Tokens/s measured on this machine: `small-llm bench` results for this hardware (bench.jsonl), and
 * the local runs and delegated calls in the usage metrics (usage.jsonl), which carry the runtime's own
 * tokens/s. Measured beats estimated: recommendations and chains use these figures, and two or more
 * measured models re-fit this machine's speed constants (recommend/calibrate.ts).
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import type { Hardware } from "../hardware/detect-hardware.ts";
import { normalizeRef } from "../runtimes/ollama/refs.ts";
import { type BenchResult, benchFile, hardwareFingerprint } from "./bench.ts";
import { metricsFile, type UsageRecord } from "./metrics.ts";

export interface MeasuredRun {
  /** The ref as the runtime names it. */
  model: string;
  tokensPerSecond: number;
  /** Mean tokens in the context while generating: the prompt and half the answer. */
  depth: number;
  /** Share of the model in VRAM when the runtime said (`/api/ps`): 1 all on the GPU, 0 all on the CPU. */
  vramShare?: number;
  from: "bench" | "metrics";
}

export interface MeasuredHere {
  /** Tokens/s by normalised ref (normalizeRef): a bench result beats the metrics' median. */
  speeds: Map<string, number>;
  /** One run per model, for re-fitting the machine's constants. */
  runs: MeasuredRun[];
}

/** Answers shorter than this time too little decoding for a speed worth trusting. */
const MIN_OUTPUT_TOKENS = 16;
/** The newest part of the metrics file is enough (and reading it stays quick however large the file grows). */
const METRICS_TAIL_BYTES = 1024 ** 2;
/** Per model, the median of at most this many recent calls. */
const METRICS_RUNS = 20;

/** About four characters a token: bench records its prompt's length in characters. */
const CHARS_PER_TOKEN = 4;

function readText(file: string, tailBytes?: number): string {
  try {
    if (!tailBytes) return readFileSync(file, "utf8");
    const size = statSync(file).size;
    const start = Math.max(0, size - tailBytes);
    const fd = openSync(file, "r");
    try {
      const buffer = Buffer.alloc(size - start);
      readSync(fd, buffer, 0, buffer.length, start);
      const text = buffer.toString("utf8");
      return start > 0 ? text.slice(text.indexOf("\n") + 1) : text; // drop the cut first line
    } finally {
      closeSync(fd);
    }
  } catch {
    return "";
  }
}

/** The latest complete bench result per model on this hardware. */
export function benchRuns(hardware: Hardware, file: string = benchFile()): MeasuredRun[] {
  const { fingerprint } = hardwareFingerprint(hardware);
  const latest = new Map<string, MeasuredRun>();
  for (const line of readText(file).split("\n")) {
    let r: BenchResult;
    try {
      r = JSON.parse(line) as BenchResult;
    } catch {
      continue; // a torn or foreign line
    }
    const tps = r.tokensPerSecond?.median;
    if (r.hardware?.fingerprint !== fingerprint || typeof tps !== "number" || !(tps > 0)) continue;
    const run: MeasuredRun = {
      model: r.model,
      tokensPerSecond: tps,
      depth: Math.round((r.promptChars ?? 0) / CHARS_PER_TOKEN + (r.numPredict ?? 0) / 2),
      from: "bench",
    };
    if (r.memory && r.memory.sizeBytes > 0) run.vramShare = Math.min(1, r.memory.vramBytes / r.memory.sizeBytes);
    latest.set(normalizeRef(r.model), run);
  }
  return [...latest.values()];
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/**
 * Local calls that answered, per model: the median tokens/s of the latest few. Metrics carry no
 * hardware fingerprint; the state dir is this machine's, so they are taken as measured here.
 */
export function metricsRuns(file: string = metricsFile()): MeasuredRun[] {
  const byModel = new Map<string, { model: string; tps: number[]; depth: number[] }>();
  for (const line of readText(file, METRICS_TAIL_BYTES).split("\n")) {
    let r: UsageRecord;
    try {
      r = JSON.parse(line) as UsageRecord;
    } catch {
      continue;
    }
    if (!r.success || r.side !== "local" || r.kind === "bench" || typeof r.model !== "string") continue;
    if (!(typeof r.tokensPerSecond === "number" && r.tokensPerSecond > 0)) continue;
    if ((r.outputTokens ?? 0) < MIN_OUTPUT_TOKENS) continue;
    const key = normalizeRef(r.model);
    const entry = byModel.get(key) ?? { model: r.model, tps: [], depth: [] };
    entry.tps.push(r.tokensPerSecond);
    entry.depth.push((r.promptTokens ?? 0) + (r.outputTokens ?? 0) / 2);
    byModel.set(key, entry);
  }
  return [...byModel.values()].map((e) => ({
    model: e.model,
    tokensPerSecond: median(e.tps.slice(-METRICS_RUNS)),
    depth: Math.round(median(e.depth.slice(-METRICS_RUNS))),
    from: "metrics" as const,
  }));
}

/** Both, one run per model; bench (a controlled measurement) wins over everyday calls. */
export function measuredHere(hardware: Hardware, files: { bench?: string; metrics?: string } = {}): MeasuredHere {
  const runs = new Map<string, MeasuredRun>();
  for (const r of metricsRuns(files.metrics)) runs.set(normalizeRef(r.model), r);
  for (const r of benchRuns(hardware, files.bench)) runs.set(normalizeRef(r.model), r);
  return {
    speeds: new Map([...runs].map(([key, r]) => [key, r.tokensPerSecond])),
    runs: [...runs.values()],
  };
}

/** What changes the answer: the two files' sizes and times (a Router re-reads them only then). */
export function measuredKey(files: { bench?: string; metrics?: string } = {}): string {
  return [files.bench ?? benchFile(), files.metrics ?? metricsFile()]
    .map((f) => {
      try {
        const s = statSync(f);
        return `${f}|${s.mtimeMs}|${s.size}`;
      } catch {
        return `${f}|none`;
      }
    })
    .join(";");
}
