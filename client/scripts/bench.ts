/**
 * `npm run bench:client`: over a 2,000-entry index, the whole-process wall time and peak RSS of
 * `small-llm models --json` from a warm cache (target ≤ 0.15 s and ≤ 80 MiB), beside the floor any
 * program pays for the same answer — plain node reading that cache file, parsing it and printing
 * the models — and a warm in-process getIndex() (target ≤ 5 ms). Needs the built package.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Index, ModelEntry } from "../../schema/index.ts";
import { startIndexServer } from "../../test/helpers/index-server.ts";
import { getIndex } from "../src/catalog/get-index.ts";

const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const base = JSON.parse(readFileSync(new URL("../../data/v1/index.json", import.meta.url), "utf8")) as Index;
const models: ModelEntry[] = Array.from({ length: 2000 }, (_, i) => {
  const m = base.models[i % base.models.length] as ModelEntry;
  return { ...m, id: `bench-${i}/${m.name}`, author: `bench-${i}` };
});
const index = { ...base, models };
const server = await startIndexServer(JSON.stringify(index));
const cacheDir = mkdtempSync(join(tmpdir(), "sli-bench-client-"));
const cold = await getIndex({ urls: [server.url], cacheDir });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const rssHook =
  "data:text/javascript,process.on('exit',()=>process.stderr.write('\\nmaxrss='+process.resourceUsage().maxRSS+'\\n'))";
const env = { ...process.env, SMALL_LLM_CACHE_DIR: cacheDir, SMALL_LLM_INDEX_URL: server.url };
const walls: number[] = [];
let rss = 0;
for (let i = 0; i < 11; i++) {
  const t = performance.now();
  const run = spawnSync(process.execPath, ["--import", rssHook, cli, "models", "--json"], {
    env,
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  walls.push(performance.now() - t);
  if (run.status !== 0) throw new Error(run.stderr);
  if (JSON.parse(run.stdout).length !== 2000) throw new Error("expected 2000 models");
  rss = Math.max(rss, Number(/maxrss=(\d+)/.exec(run.stderr)?.[1] ?? 0));
}
const baseline: number[] = [];
for (let i = 0; i < 11; i++) {
  const t = performance.now();
  spawnSync(process.execPath, ["-e", "0"]);
  baseline.push(performance.now() - t);
}
// The floor: read the cache file, parse the index, print its models — nothing else.
const floorScript = `const fs=require("fs");const t=fs.readFileSync(${JSON.stringify(join(cacheDir, "index-cache.json"))},"utf8");process.stdout.write(JSON.stringify(JSON.parse(t.slice(t.indexOf("\\n")+1)).models)+"\\n")`;
const floorWalls: number[] = [];
let floorRss = 0;
for (let i = 0; i < 11; i++) {
  const t = performance.now();
  const run = spawnSync(process.execPath, ["--import", rssHook, "-e", floorScript], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  floorWalls.push(performance.now() - t);
  if (run.status !== 0) throw new Error(run.stderr);
  floorRss = Math.max(floorRss, Number(/maxrss=(\d+)/.exec(run.stderr)?.[1] ?? 0));
}

await getIndex({ urls: [server.url], cacheDir }); // first warm read from disk
const t0 = performance.now();
const firstDisk = await getIndex({
  urls: [server.url],
  cacheDir: mkdtempSync(join(tmpdir(), "sli-x-")),
  offline: true,
});
const calls: number[] = [];
for (let i = 0; i < 200; i++) {
  const t = performance.now();
  const r = await getIndex({ urls: [server.url], cacheDir });
  calls.push(performance.now() - t);
  if (r.source !== "cache") throw new Error(r.source);
}
await server.close();
const size = Buffer.byteLength(JSON.stringify(index));
console.log(
  [
    `index:                        2,000 entries, ${(size / 1024 / 1024).toFixed(1)} MiB JSON (cold fetch + validate ${cold.source})`,
    `small-llm models --json warm: ${(median(walls) / 1000).toFixed(3)} s median wall of 11 runs   [target ≤ 0.15 s: ${median(walls) <= 150 ? "ok" : "MISSED"}]`,
    `peak RSS of that process:     ${(rss / 1024).toFixed(0)} MiB   [target ≤ 80 MiB: ${rss / 1024 <= 80 ? "ok" : "MISSED"}]`,
    `the floor (plain node: read, parse, print the same models): ${(median(floorWalls) / 1000).toFixed(3)} s, ${(floorRss / 1024).toFixed(0)} MiB; node -e 0 alone: ${(median(baseline) / 1000).toFixed(3)} s`,
    `getIndex() warm, in process:  ${median(calls).toFixed(3)} ms median of 200 calls   [target ≤ 5 ms: ${median(calls) <= 5 ? "ok" : "MISSED"}]`,
    `bundled fallback (offline):   ${(performance.now() - t0 - calls.reduce((a, b) => a + b, 0)).toFixed(1)} ms (${firstDisk.index.models.length} models)`,
  ].join("\n"),
);
