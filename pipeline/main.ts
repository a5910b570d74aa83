/**
 * `npm run pipeline -- [options]`: discover small LLMs on the Hub and publish the index.
 * Exit codes: 0 written or unchanged; 1 the run failed (Hub unreachable, …); 2 bad usage;
 * 3 guarded: the result failed validation or shrank too much, nothing was written.
 */
import { join, resolve, sep } from "node:path";
import { parseArgs } from "node:util";
import envPaths from "env-paths";
import { DEFAULT_HUB } from "./hub/client.ts";
import { PIPELINE_DEFAULTS as D, runPipeline } from "./run.ts";
import { formatReport } from "./run-report.ts";

const HELP = `Usage: npm run pipeline -- [options]

Discover small LLMs on the Hugging Face Hub and write the versioned index.

Options:
  --out DIR             where to write v1/… (default: data)
  --cache-dir DIR       per-repo cache keyed by repo sha (default: the user cache dir)
  --hub URL             Hub endpoint (default: $HF_ENDPOINT or ${DEFAULT_HUB})
  --min-downloads N     popularity floor, downloads in the last 30 days (default: ${D.minDownloads})
  --max-per-tier N      keep at most N entries per tier, most downloaded first (default: ${D.maxPerTier})
  --concurrency N       Hub requests in flight (default: 8)
  --retries N           retries per request on 408/429/5xx and network errors (default: 5)
  --timeout MS          per-request timeout in milliseconds (default: 30000)
  --page-size N         list page size (default: ${D.pageSize})
  --max-pages N         pages per discovery route (default: ${D.maxPages})
  --lineage-bases N     bases whose fine-tunes are looked up (default: ${D.lineageBases})
  --search TERM         a search term for models without parameter metadata (repeatable;
                        default: ${D.searchTerms.join(" ")})
  --min-keep RATIO      refuse to publish below this share of the current entries (default: 0.7)
  --fixture             mark the index as built from fixture data
  --report FILE         write every candidate's decision (entry / folded into X / dropped, why)
                        as JSON lines, to answer "why is model X not listed?"
  --json                print the run summary as JSON on stdout
  --quiet               no progress or summary on stderr (a refusal to publish is still explained)
  -h, --help            this help

Environment: HF_ENDPOINT (Hub URL), HF_TOKEN (sent to the Hub, never printed),
SOURCE_DATE_EPOCH (fix generatedAt for reproducible output).
Exit codes: 0 written or unchanged, 1 failed, 2 bad usage, 3 guarded (nothing written).`;

/** A usage error: one line on stderr (what was wrong and where to look), exit 2, before anything runs. */
function fail(message: string): never {
  console.error(`pipeline: ${message} (--help lists the options)`);
  process.exit(2);
}

const int = (name: string, value: string | undefined, fallback: number) => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) fail(`--${name} needs a whole number, got "${value}"`);
  return n;
};

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      out: { type: "string" },
      "cache-dir": { type: "string" },
      hub: { type: "string" },
      "min-downloads": { type: "string" },
      "max-per-tier": { type: "string" },
      concurrency: { type: "string" },
      retries: { type: "string" },
      timeout: { type: "string" },
      "page-size": { type: "string" },
      "max-pages": { type: "string" },
      "lineage-bases": { type: "string" },
      search: { type: "string", multiple: true },
      "min-keep": { type: "string" },
      fixture: { type: "boolean" },
      report: { type: "string" },
      json: { type: "boolean" },
      quiet: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
}
try {
  args = parse();
} catch (error) {
  fail((error as Error).message);
}
const v = args.values;
if (v.help) {
  console.log(HELP);
  process.exit(0);
}
const hubUrl = v.hub ?? process.env.HF_ENDPOINT ?? DEFAULT_HUB;
// A URL that cannot work (no scheme, `htp://`, no host) fails here, in one line, as a refused port or
// an unknown host fails at the first request — not after a run's worth of retries.
let hubProtocol: string | undefined;
let hubHost = "";
try {
  ({ protocol: hubProtocol, host: hubHost } = new URL(hubUrl));
} catch {
  hubProtocol = undefined;
}
if ((hubProtocol !== "http:" && hubProtocol !== "https:") || !hubHost)
  fail(
    `the Hub URL "${hubUrl}" (from ${v.hub ? "--hub" : "HF_ENDPOINT"}) is not an http:// or https:// URL, e.g. https://huggingface.co`,
  );
const minKeep = v["min-keep"] === undefined ? 0.7 : Number(v["min-keep"]);
if (!(minKeep >= 0 && minKeep <= 1)) fail(`--min-keep needs a ratio between 0 and 1, got "${v["min-keep"]}"`);
const epoch = process.env.SOURCE_DATE_EPOCH;
if (epoch !== undefined && !/^\d+$/.test(epoch)) fail(`SOURCE_DATE_EPOCH must be whole seconds, got "${epoch}"`);

const outDir = resolve(v.out ?? "data");
const cacheDir = resolve(v["cache-dir"] ?? join(envPaths("small-llm-index", { suffix: "" }).cache, "pipeline"));
if (cacheDir === outDir || cacheDir.startsWith(`${outDir}${sep}`)) {
  fail(
    `--cache-dir ${cacheDir} is inside the output directory ${outDir}; the cache must never be published with the data`,
  );
}

const log = v.quiet ? undefined : (line: string) => console.error(`pipeline: ${line}`);
try {
  const report = await runPipeline({
    outDir,
    cacheDir,
    hub: {
      endpoint: hubUrl,
      token: process.env.HF_TOKEN || undefined,
      concurrency: Math.max(1, int("concurrency", v.concurrency, 8)),
      retries: int("retries", v.retries, 5),
      timeoutMs: Math.max(1, int("timeout", v.timeout, 30_000)),
    },
    minDownloads: int("min-downloads", v["min-downloads"], D.minDownloads),
    maxPerTier: int("max-per-tier", v["max-per-tier"], D.maxPerTier),
    pageSize: Math.min(1000, Math.max(1, int("page-size", v["page-size"], D.pageSize))),
    maxPages: int("max-pages", v["max-pages"], D.maxPages),
    lineageBases: int("lineage-bases", v["lineage-bases"], D.lineageBases),
    searchTerms: v.search ?? D.searchTerms,
    fixture: Boolean(v.fixture),
    minKeepRatio: minKeep,
    ...(epoch !== undefined ? { now: new Date(Number(epoch) * 1000) } : {}),
    ...(v.report ? { reportFile: resolve(v.report) } : {}),
    ...(log ? { log } : {}),
  });
  if (v.json) console.log(JSON.stringify(report, null, 2));
  if (!v.quiet) console.error(formatReport(report));
  else if (report.status === "guarded") console.error(`pipeline: nothing was written — ${report.message}`);
  process.exit(report.status === "guarded" ? 3 : 0);
} catch (error) {
  console.error(`pipeline: failed, nothing was written — ${(error as Error).message}`);
  process.exit(1);
}
