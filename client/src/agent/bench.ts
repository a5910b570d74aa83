/**
 * `small-llm bench` and `benchModels()`: how fast each model really is here. One model at a time
 * (so runs are uncontended, as llm-checker's compare does): unload it, a cold run for the load
 * time, then N warm runs with a fixed prompt, `num_predict`, seed and temperature 0 — time to first
 * token (measured by the client while streaming), prompt and generation tokens/s
 * (`*_count / *_duration`), total — as mean ± sd and median, like llama-bench; plus the memory the
 * runtime reports for the loaded model (`/api/ps` size and size_vram). Each model's result is
 * appended to `<state>/bench.jsonl` with a fingerprint of the hardware, as soon as it is measured,
 * so Ctrl-C keeps everything measured so far (the interrupted model is saved as incomplete).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { appendFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { CancelledError } from "../errors/index.ts";
import { ensureDir } from "../fs-dirs.ts";
import type { Hardware } from "../hardware/detect-hardware.ts";
import { DIR_LABELS, paths } from "../paths.ts";
import type { RunResult, Runtime } from "../runtimes/runtime.ts";

/** llm-checker's standard benchmark prompt: short, the same for every model. */
export const BENCH_PROMPT =
  "Write a Python function to find the nth Fibonacci number using memoization. Include type hints.";

export interface Stat {
  n: number;
  mean: number;
  sd: number;
  median: number;
}

export interface BenchResult {
  v: 1;
  ts: string;
  model: string;
  runtime: string;
  runtimeVersion?: string;
  host: string;
  hardware: { fingerprint: string; summary: string };
  context: number;
  numPredict: number;
  promptChars: number;
  /** False when interrupted before every run finished. */
  complete: boolean;
  runs: number;
  coldLoadMs?: number;
  coldTotalMs?: number;
  ttftMs?: Stat;
  promptTokensPerSecond?: Stat;
  tokensPerSecond?: Stat;
  totalMs?: Stat;
  memory?: { sizeBytes: number; vramBytes: number };
  error?: { code: string; message: string };
}

export interface BenchProgress {
  model: string;
  run: number;
  of: number;
  cold: boolean;
  result: RunResult;
}

export interface BenchOptions {
  runtime: Runtime;
  /** Refs to measure (default: every installed model). */
  models?: string[];
  runs?: number;
  prompt?: string;
  context?: number;
  numPredict?: number;
  hardware: Hardware;
  signal?: AbortSignal;
  onRun?: (p: BenchProgress) => void;
  onModel?: (r: BenchResult) => void;
  /** Where results go (default `<state>/bench.jsonl`); false to keep them in memory only. */
  file?: string | false;
}

export const benchFile = (env: NodeJS.ProcessEnv = process.env) => join(paths(env).state, "bench.jsonl");

export function stat(values: number[]): Stat | undefined {
  if (!values.length) return undefined;
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(n / 2);
  const median = n % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { n, mean, sd, median };
}

/** The same machine gives the same fingerprint: platform, CPU, RAM and GPUs, rounded so free memory does not change it. */
export function hardwareFingerprint(h: Hardware): { fingerprint: string; summary: string } {
  const ramGb = h.ram.totalBytes ? Math.round(h.ram.totalBytes / 1e9) : null;
  const gpus = h.gpus.map((g) => `${g.name} ${g.vramBytes ? Math.round(g.vramBytes / 1e9) : "?"} GB`);
  const parts = [
    h.platform,
    h.arch,
    h.cpu.model ?? "cpu?",
    `${h.cpu.cores ?? "?"} cores`,
    `${ramGb ?? "?"} GB RAM`,
    ...gpus,
  ];
  return {
    fingerprint: createHash("sha256").update(parts.join("|")).digest("hex").slice(0, 16),
    summary: parts.join(", "),
  };
}

export async function benchModels(options: BenchOptions): Promise<BenchResult[]> {
  const { runtime, signal } = options;
  const runs = options.runs ?? 3;
  const prompt = options.prompt ?? BENCH_PROMPT;
  const context = options.context ?? 4096;
  const numPredict = options.numPredict ?? 128;
  const hardware = hardwareFingerprint(options.hardware);
  const status = await runtime.status({ signal });
  // A cloud model is not this machine's to measure.
  const models = options.models?.length ? options.models : status.models.filter((m) => !m.remote).map((m) => m.name);
  const file = options.file === undefined ? benchFile() : options.file;
  const results: BenchResult[] = [];
  const genOptions = { temperature: 0, seed: 42, num_predict: numPredict, num_ctx: context };
  for (const model of models) {
    const result: BenchResult = {
      v: 1,
      ts: new Date().toISOString(),
      model,
      runtime: runtime.kind,
      ...(status.version ? { runtimeVersion: status.version } : {}),
      host: runtime.host,
      hardware,
      context,
      numPredict,
      promptChars: prompt.length,
      complete: false,
      runs: 0,
    };
    const warm: RunResult[] = [];
    try {
      // Unload first, so the cold run really loads (Ollama: keep_alive 0, as `ollama stop` does). Never
      // by generating from an empty prompt: a runtime without keep_alive would write a whole answer.
      await runtime.unload?.(model, { signal }).catch((e) => {
        if (e instanceof CancelledError) throw e;
        return false;
      });
      const cold = await runtime.generate(model, prompt, { options: genOptions, signal });
      if (cold.loadMs !== undefined) result.coldLoadMs = cold.loadMs;
      result.coldTotalMs = cold.totalMs;
      options.onRun?.({ model, run: 0, of: runs, cold: true, result: cold });
      for (let i = 1; i <= runs; i++) {
        const r = await runtime.generate(model, prompt, { options: genOptions, signal });
        warm.push(r);
        result.runs = warm.length;
        options.onRun?.({ model, run: i, of: runs, cold: false, result: r });
      }
      const loaded = (await runtime.status({ signal })).running.find(
        (m) => m.name === model || m.name === `${model}:latest`,
      );
      if (loaded) result.memory = { sizeBytes: loaded.sizeBytes, vramBytes: loaded.vramBytes };
      result.complete = true;
    } catch (error) {
      const e = error as Error & { code?: string };
      result.error = { code: e.code ?? "error", message: e.message };
    }
    summarise(result, warm);
    results.push(result);
    options.onModel?.(result);
    if (file) {
      ensureDir(dirname(file), DIR_LABELS.state);
      await appendFile(file, `${JSON.stringify(result)}\n`);
    }
    if (signal?.aborted) break;
  }
  return results;
}

function summarise(result: BenchResult, warm: RunResult[]) {
  const pick = (f: (r: RunResult) => number | undefined) =>
    stat(warm.map(f).filter((v): v is number => typeof v === "number" && Number.isFinite(v)));
  const ttft = pick((r) => r.latencyMs);
  const pps = pick((r) => r.promptTokensPerSecond);
  const tps = pick((r) => r.tokensPerSecond);
  const total = pick((r) => r.totalMs);
  if (ttft) result.ttftMs = ttft;
  if (pps) result.promptTokensPerSecond = pps;
  if (tps) result.tokensPerSecond = tps;
  if (total) result.totalMs = total;
}

/** Median generation speed by model from `bench.jsonl`, latest result per model, on this hardware only. */
export function measuredSpeeds(hardware: Hardware, file: string = benchFile()): Map<string, number> {
  const speeds = new Map<string, number>();
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return speeds;
  }
  const { fingerprint } = hardwareFingerprint(hardware);
  for (const line of text.split("\n")) {
    try {
      const r = JSON.parse(line) as BenchResult;
      if (r.hardware?.fingerprint === fingerprint && typeof r.tokensPerSecond?.median === "number")
        speeds.set(r.model, r.tokensPerSecond.median);
    } catch {
      // a torn or foreign line: skip it
    }
  }
  return speeds;
}
