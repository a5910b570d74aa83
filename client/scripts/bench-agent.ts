/**
 * `npm run bench:agent`: the agent layer's own cost.
 * 1. Client overhead per `delegate()` against the Ollama emulator reporting its real durations:
 *    wall time of the call minus the runtime's reported `total_duration` (target ≤ 5 ms median).
 *    Includes planning the chain over the real index, the installed-list cache, the answer checks
 *    and the metrics append.
 * 2. `small-llm metrics` over 100,000 lines: in-process summarizeMetrics() and the whole CLI
 *    process (target ≤ 1 s).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readIndex } from "../../schema/index.ts";
import { ggufModel, startOllamaEmulator } from "../../test/ollama-emulator/server.ts";
import { delegate } from "../src/agent/delegate.ts";
import { summarizeMetrics } from "../src/agent/metrics-summary.ts";
import { OllamaDriver } from "../src/runtimes/ollama/driver.ts";

const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const file = fileURLToPath(new URL("../../data/v1/index.json", import.meta.url));
const { index } = readIndex(JSON.parse(readFileSync(file, "utf8")), file);
const refs = index.models.flatMap((m) => m.install.filter((t) => t.default).map((t) => t.ref)).slice(0, 4);
const emulator = await startOllamaEmulator({
  registry: refs.map((r) => ggufModel(r, 1_000_000)),
  lineDelayMs: 0,
  timing: "real",
});
const driver = new OllamaDriver({ host: emulator.url });
for (const ref of refs) await driver.install(ref);
process.env.SMALL_LLM_STATE_DIR = mkdtempSync(join(tmpdir(), "sli-bench-agent-"));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? 0;
const overheads: number[] = [];
const walls: number[] = [];
const CALLS = 300;
for (let i = 0; i < CALLS + 20; i++) {
  const t = performance.now();
  const r = await delegate(`Say something about the number ${i}.`, {
    task: i % 2 ? "quick" : "coding",
    runtimes: [driver],
    index,
    config: {},
  });
  const wall = performance.now() - t;
  if (!r.success || r.runtimeMs === undefined) throw new Error(`delegate failed: ${JSON.stringify(r.error)}`);
  if (i < 20) continue; // warm-up: JIT, the first list, hardware detection
  walls.push(wall);
  overheads.push(wall - r.runtimeMs);
}
await emulator.close();
console.log(
  `delegate() client overhead over ${CALLS} calls: median ${median(overheads).toFixed(2)} ms, p95 ${p95(overheads).toFixed(2)} ms ` +
    `(wall median ${median(walls).toFixed(2)} ms; target ≤ 5 ms median) — ${index.models.length}-model index, metrics on`,
);

// 100,000 metrics lines, a month of them, several models and tasks, a few corrupt.
const metrics = join(process.env.SMALL_LLM_STATE_DIR, "metrics", "usage.jsonl");
const tasks = ["quick", "coding", "analysis", "translation"];
const lines: string[] = [];
const now = Date.now();
for (let i = 0; i < 100_000; i++) {
  if (i % 10_000 === 9_999) {
    lines.push('{"torn":');
    continue;
  }
  lines.push(
    JSON.stringify({
      v: 1,
      ts: new Date(now - (i % 30) * 86_400_000 - i).toISOString(),
      kind: "delegate",
      task: tasks[i % tasks.length],
      model: refs[i % refs.length],
      runtime: "ollama",
      side: i % 50 ? "local" : "cloud",
      latencyMs: 200 + (i % 900),
      ttftMs: 40 + (i % 200),
      promptTokens: 100 + (i % 2000),
      outputTokens: 50 + (i % 500),
      tokensPerSecond: 20 + (i % 60),
      success: i % 20 !== 0,
      attempts: [{ model: refs[i % refs.length], outcome: "ok", ms: 200 + (i % 900) }],
    }),
  );
}
writeFileSync(metrics, `${lines.join("\n")}\n`);
async function timeSummary(days: number | undefined): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const s = await summarizeMetrics({ file: metrics, days });
    times.push(performance.now() - t);
    if (s.lines !== 100_000 || (days === undefined && s.corrupt !== 10))
      throw new Error(`read ${s.lines} lines, ${s.corrupt} corrupt`);
  }
  return median(times);
}
function timeCli(args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const run = spawnSync(process.execPath, [cli, "metrics", "--json", ...args], {
      env: process.env,
      encoding: "utf8",
      maxBuffer: 1 << 26,
    });
    times.push(performance.now() - t);
    if (run.status !== 0) throw new Error(run.stderr);
  }
  return median(times);
}
const allInProcess = await timeSummary(undefined);
const weekInProcess = await timeSummary(7);
const allCli = timeCli([]);
const weekCli = timeCli(["--days", "7"]);
console.log(
  `metrics over 100,000 lines (37 MB): summarizeMetrics() median ${allInProcess.toFixed(0)} ms (--days 7: ${weekInProcess.toFixed(0)} ms); ` +
    `\`small-llm metrics --json\` whole process median ${allCli.toFixed(0)} ms (--days 7: ${weekCli.toFixed(0)} ms); target ≤ 1000 ms`,
);
const cliWalls = [allCli];
console.log(
  `(load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")} on ${cpus().length} cores: figures on a busy machine run high)`,
);
const ok = median(overheads) <= 5 && median(cliWalls) <= 1000;
console.log(ok ? "bench:agent: targets met" : "bench:agent: a target was missed");
process.exitCode = ok ? 0 : 1;
