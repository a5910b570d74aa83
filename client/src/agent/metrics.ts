/**
 * Usage metrics: one JSON line per `run` or `delegate` call in `<state>/metrics/usage.jsonl` —
 * when, which task, model and runtime, latency, time to first token, tokens in and out, speed,
 * success or the error code, and the attempts (simonw/llm's `logs` and claude-saver's JSONL hold
 * the same). Never the prompt or the answer unless the user opts in (`metrics.logContent` in the
 * config, or SMALL_LLM_METRICS_CONTENT=1). `SMALL_LLM_METRICS=0` turns it off.
 *
 * Safe under concurrent processes without a lock: each record is one `write(2)` on a file opened
 * with O_APPEND, which the kernel places at the end atomically, and records are kept well under
 * the size where a local file system could split a write. Reading skips (and counts) torn or
 * corrupt lines, so a crash mid-write never makes the file unreadable.
 */
import { appendFileSync } from "node:fs";
import { appendFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { ensureDir } from "../fs-dirs.ts";
import { DIR_LABELS, paths } from "../paths.ts";
import type { RuntimeKind } from "../runtimes/runtime.ts";

export interface Attempt {
  model: string;
  runtime?: RuntimeKind;
  /** A cloud endpoint of the config, or a local runtime (default). */
  side?: "local" | "cloud";
  /** `ok`, an error code (`busy`, `model-not-installed`, `bad-answer`…), `cooling-down` or `skipped`. */
  outcome: string;
  ms: number;
  /** What went wrong, for people (not written to metrics). */
  detail?: string;
}

export interface UsageRecord {
  v: 1;
  ts: string;
  /** `embed`: the gateway's /v1/embeddings (its tokens are not priced as chat in the savings estimate). */
  kind: "delegate" | "run" | "chat" | "bench" | "embed";
  task?: string;
  model: string;
  runtime: string;
  /** Which side answered: a local runtime, or a cloud endpoint from the config. */
  side: "local" | "cloud";
  latencyMs: number;
  ttftMs?: number;
  promptTokens?: number;
  outputTokens?: number;
  tokensPerSecond?: number;
  success: boolean;
  error?: string;
  attempts: { model: string; outcome: string; ms: number }[];
  prompt?: unknown;
  answer?: string;
}

/** The metrics file, under the state dir (SMALL_LLM_STATE_DIR). */
export const metricsFile = (env: NodeJS.ProcessEnv = process.env) => join(paths(env).state, "metrics", "usage.jsonl");

export const metricsEnabled = (env: NodeJS.ProcessEnv = process.env, configured?: boolean) =>
  env.SMALL_LLM_METRICS !== "0" && env.SMALL_LLM_METRICS !== "false" && configured !== false;

export const contentLogging = (env: NodeJS.ProcessEnv = process.env, configured?: boolean) =>
  env.SMALL_LLM_METRICS_CONTENT === "1" || configured === true;

/** Keep one record to one small write: long opted-in content is cut, attempts capped. */
const MAX_LINE = 3500;

export function serializeRecord(record: UsageRecord): string {
  let line = JSON.stringify(record);
  if (line.length > MAX_LINE) {
    const slim = { ...record, attempts: record.attempts.slice(0, 10) };
    if (typeof slim.answer === "string") slim.answer = `${slim.answer.slice(0, 1000)}…`;
    if (slim.prompt !== undefined) slim.prompt = `${JSON.stringify(slim.prompt).slice(0, 1000)}…`;
    line = JSON.stringify(slim);
  }
  return `${line}\n`;
}

export interface AppendOptions {
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** `metrics.enabled` from the config. */
  enabled?: boolean | undefined;
  /** Told why a record could not be written (it never throws). */
  onError?: ((error: Error) => void) | undefined;
}

/** Append one record; never throws (metrics must not break the call they measure). Resolves to the file, or undefined when off or failed. */
export async function appendUsage(record: UsageRecord, options: AppendOptions = {}): Promise<string | undefined> {
  const env = options.env ?? process.env;
  if (!metricsEnabled(env, options.enabled)) return undefined;
  const file = options.file ?? metricsFile(env);
  try {
    ensureDir(dirname(file), DIR_LABELS.state);
    await appendFile(file, serializeRecord(record), { flag: "a" });
    return file;
  } catch (error) {
    options.onError?.(error as Error);
    return undefined;
  }
}

/** The same, synchronously (for a CLI that is about to exit). */
export function appendUsageSync(record: UsageRecord, options: AppendOptions = {}): string | undefined {
  const env = options.env ?? process.env;
  if (!metricsEnabled(env, options.enabled)) return undefined;
  const file = options.file ?? metricsFile(env);
  try {
    ensureDir(dirname(file), DIR_LABELS.state);
    appendFileSync(file, serializeRecord(record), { flag: "a" });
    return file;
  } catch {
    return undefined;
  }
}
