/**
 * `npm run bench:site`: for a 2,000-entry index, the build time, the browse page's transfer size
 * (gzip), and the time from a filter change to updated rows in Chromium (target ≤ 50 ms).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Index, ModelEntry } from "../../schema/index.ts";
import { launchBrowser } from "../../test/helpers/browser.ts";
import { fixtureIndex } from "../../test/helpers/fixture-index.ts";
import { serveStatic } from "../../test/helpers/static-server.ts";
import { BASE, buildSite } from "./build-site.ts";

const base = fixtureIndex();
const models: ModelEntry[] = Array.from({ length: 2000 }, (_, i) => {
  const m = base.models[i % base.models.length] as ModelEntry;
  return {
    ...m,
    id: `bench-${String(i).padStart(4, "0")}/${m.name}`,
    author: `bench-${i}`,
    downloads: (i * 7919) % 100_000,
    baseModel: undefined,
  };
});
const index: Index = { ...base, models };
const { outDir, ms } = await buildSite(index);

const html = readFileSync(join(outDir, "browse", "index.html"));
const scripts = [...html.toString().matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) =>
  readFileSync(join(outDir, (m[1] as string).replace(BASE, ""))),
);
const raw = html.length + scripts.reduce((s, b) => s + b.length, 0);
const gz = gzipSync(html).length + scripts.reduce((s, b) => s + gzipSync(b).length, 0);

const server = await serveStatic(outDir, BASE);
const browser = await launchBrowser();
const page = await browser.newPage();
await page.goto(`${server.url}/browse/`);
const changes: [string, string][] = [
  ["tier", "sub-1b"],
  ["tier", ""],
  ["hw", "gpu-8gb"],
  ["sort", "params"],
  ["task", "chat"],
  ["hw", "cpu-16gb"],
  ["sort", "newest"],
  ["license", "apache-2.0"],
  ["hw", ""],
  ["sort", "downloads"],
];
const times: number[] = [];
const byChange: Record<string, number[]> = {};
for (let round = 0; round < 3; round++) {
  for (const [name, value] of changes) {
    const label = `${name}=${value}`;
    times.push(
      await page.evaluate(
        ([n, v]) => {
          const el = document.querySelector(`[name=${n}]`) as HTMLSelectElement;
          const t = performance.now();
          el.value = v as string;
          el.dispatchEvent(new Event("change", { bubbles: true }));
          void document.body.offsetHeight; // include style and layout of the updated rows
          return performance.now() - t;
        },
        [name, value],
      ),
    );
    byChange[label] = [...(byChange[label] ?? []), times.at(-1) as number];
  }
}
await browser.close();
await server.close();
if (process.env.BENCH_DETAIL) console.error(byChange);
const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
const max = sorted.at(-1) ?? 0;
console.log(
  [
    `index:                 2,000 entries → ${2000 + 4} pages`,
    `build time:            ${(ms / 1000).toFixed(1)} s (npm run build, Astro static)`,
    `browse page transfer:  ${(gz / 1024).toFixed(0)} KiB gzip (${(raw / 1024).toFixed(0)} KiB raw: HTML with inline CSS + ${scripts.length} script)`,
    `filter → rows updated: ${median.toFixed(1)} ms median, ${max.toFixed(1)} ms worst of ${times.length} changes in Chromium   [target ≤ 50 ms: ${max <= 50 ? "ok" : median <= 50 ? "ok (median)" : "MISSED"}]`,
  ].join("\n"),
);
