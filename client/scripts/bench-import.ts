/**
 * `npm run bench:import`: what `import { getIndex } from "small-llm"` costs a program — wall time of
 * the import, memory it adds (RSS and V8 heap), and every module it loads — each measured in a fresh
 * Node process (median of 15). Fails when the import pulls in the HTTP server, the dashboard or the
 * MCP SDK: those belong to `small-llm serve` / `small-llm mcp` alone. Needs `npm run build:client`.
 * An argument (a built dist/index.js, e.g. of an older commit) measures that instead, for before/after.
 */
import { spawnSync } from "node:child_process";
import * as nodeModule from "node:module";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const RUNS = 15;
if (!("registerHooks" in nodeModule)) {
  console.error(
    `bench:import lists modules with module.registerHooks, which needs Node ≥ 22.15 (this is ${process.version}).`,
  );
  process.exit(2);
}
const root = fileURLToPath(new URL("../..", import.meta.url));
const target = process.argv[2] ? pathToFileURL(resolve(process.argv[2])).href : "small-llm";

// Runs in the child: count every module the import resolves (in-thread hooks, Node ≥ 22.15), then
// time the import and report memory before and after as one JSON line.
const probe = `
import { registerHooks } from "node:module";
const urls = new Set();
registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); urls.add(r.url); return r; } });
globalThis.gc?.();
const before = process.memoryUsage();
const t = performance.now();
const lib = await import(process.env.BENCH_IMPORT_TARGET);
const ms = performance.now() - t;
if (typeof lib.getIndex !== "function") throw new Error("no getIndex");
globalThis.gc?.();
const after = process.memoryUsage();
console.log(JSON.stringify({ ms, rss: after.rss - before.rss, heap: after.heapUsed - before.heapUsed, urls: [...urls] }));
`;

interface Sample {
  ms: number;
  rss: number;
  heap: number;
  urls: string[];
}

const samples: Sample[] = [];
for (let i = 0; i < RUNS; i++) {
  const run = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", probe], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, BENCH_IMPORT_TARGET: target },
  });
  if (run.status !== 0) throw new Error(run.stderr);
  samples.push(JSON.parse(run.stdout.trim().split("\n").pop() as string));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const urls = samples[0]?.urls ?? [];
const ours = urls.filter((u) => u.startsWith("file:") && !u.includes("/node_modules/"));
const deps = [
  ...new Set(
    urls.filter((u) => u.includes("/node_modules/")).map((u) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u)?.[1]),
  ),
];
const builtins = urls.filter((u) => u.startsWith("node:"));
// The server and MCP entries (dist/server.js, dist/mcp.js, the CLI's stdio chunk), their sources,
// the SDK, node-llama-cpp (the embedded runtime loads it on first use), and node:http, which only the server needs (the library fetches).
const heavy = urls.filter((u) =>
  /modelcontextprotocol|node-llama-cpp|\/dist\/(server|mcp)\.js|\/dist\/(api-server|stdio)-|\/src\/(server|mcp|dashboard)\/|^node:http$/.test(
    u,
  ),
);
const MiB = 1024 * 1024;
console.log(
  [
    `import { getIndex } from "${process.argv[2] ?? "small-llm"}" — fresh process, median of ${RUNS} (Node ${process.version})`,
    `  time:    ${median(samples.map((s) => s.ms)).toFixed(1)} ms`,
    `  memory:  +${(median(samples.map((s) => s.rss)) / MiB).toFixed(1)} MiB RSS, +${(median(samples.map((s) => s.heap)) / MiB).toFixed(1)} MiB heap (after gc)`,
    `  modules: ${urls.length} (${ours.length} of this package, ${builtins.length} node: builtins, dependencies: ${deps.join(", ") || "none"})`,
    `  server, dashboard or MCP modules loaded: ${heavy.length ? heavy.join(", ") : "none"}`,
  ].join("\n"),
);
if (heavy.length) process.exit(1);
