/**
 * `npm run bench:pipeline`: the pipeline against the Hub replay server with ~2,000 candidate repos
 * and 20 ms added to every request. Prints wall time, Hub requests per indexed entry by rate-limit
 * bucket, and what a warm re-run asks. Targets (issue #3): cold ≤ 2.2 requests per entry, of which
 * API ≤ 1.2; warm re-run makes list calls only; cold run ≤ 30 s.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildCatalogue } from "../../test/hub-replay/catalogue.ts";
import { startHubReplay } from "../../test/hub-replay/server.ts";
import { PIPELINE_DEFAULTS, runPipeline } from "../run.ts";

const catalogue = buildCatalogue({ extra: 1270 });
const hub = await startHubReplay({ catalogue, latencyMs: 20 });
const outDir = mkdtempSync(join(tmpdir(), "sli-bench-out-"));
const cacheDir = mkdtempSync(join(tmpdir(), "sli-bench-cache-"));
const options = {
  outDir,
  cacheDir,
  hub: { endpoint: hub.url },
  ...PIPELINE_DEFAULTS,
  maxPerTier: 10_000,
  fixture: true,
};

const t0 = performance.now();
const cold = await runPipeline(options);
const coldMs = performance.now() - t0;
const coldRequests = hub.requests.length;
const t1 = performance.now();
const warm = await runPipeline(options);
const warmMs = performance.now() - t1;
const warmRequests = hub.requests.slice(coldRequests);
await hub.close();

const per = (n: number) => (n / cold.entries).toFixed(2);
const ok = (pass: boolean) => (pass ? "ok" : "MISSED");
const lines = [
  `catalogue:           ${catalogue.repos.length} repos on the replay Hub, 20 ms per request, concurrency 8`,
  `cold run:            ${(coldMs / 1000).toFixed(1)} s wall, ${cold.candidates} candidates → ${cold.entries} entries (${cold.status})   [target ≤ 30 s: ${ok(coldMs <= 30_000)}]`,
  `cold requests:       ${cold.requests.total} = api ${cold.requests.api} + resolvers ${cold.requests.resolvers}`,
  `per indexed entry:   ${per(cold.requests.total)} total, api ${per(cold.requests.api)}, resolvers ${per(cold.requests.resolvers)}   [targets ≤ 2.2 / api ≤ 1.2: ${ok(cold.requests.total / cold.entries <= 2.2 && cold.requests.api / cold.entries <= 1.2)}]`,
  `warm re-run:         ${(warmMs / 1000).toFixed(1)} s wall, ${warmRequests.length} requests, ${warmRequests.filter((r) => r.path.startsWith("/api/models?")).length} of them list calls (${warm.status})   [list calls only: ${ok(warmRequests.every((r) => r.path.startsWith("/api/models?")))}]`,
  `peak RSS:            ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
];
console.log(lines.join("\n"));
