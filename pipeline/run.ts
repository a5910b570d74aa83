/**
 * The pipeline, stage by stage, in the order the data flows:
 *   1 discover → 2 classify → 3 resolve parameters → 4 lineage → 5 tier → 6 install targets →
 *   7 hardware fit → 8 publish.
 * Each stage is its own module and a function over plain data with a typed context (Hub client,
 * per-repo reads, report, log); this file only builds the context and wires the stages together.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import writeFileAtomic from "write-file-atomic";
import { compareText } from "./canonical-json.ts";
import { classifyAll, inheritDrops, isBaseModel } from "./classify.ts";
import type { StageContext } from "./context.ts";
import { DEFAULT_SEARCH_TERMS, type Discovered, discover, discoverFineTunes } from "./discover.ts";
import { buildEntries } from "./entries.ts";
import { createHubClient, type HubClientOptions, type RetryBudget } from "./hub/client.ts";
import { createRepoReads } from "./hub/repo-reads.ts";
import { foldLineage } from "./lineage.ts";
import { PublishGuardError, publish } from "./publish.ts";
import { RepoCache } from "./repo-cache.ts";
import { resolveGroupParams, resolveParams } from "./resolve-params.ts";
import { countDrop, Decisions, newReport, type RunReport } from "./run-report.ts";
import { tierGroups } from "./tier.ts";

export interface PipelineOptions {
  outDir: string;
  cacheDir: string;
  hub: HubClientOptions;
  minDownloads: number;
  maxPerTier: number;
  pageSize: number;
  maxPages: number;
  searchTerms: string[];
  lineageBases: number;
  fixture: boolean;
  now?: Date;
  minKeepRatio?: number;
  /** Write every candidate's decision here, one JSON line each (`--report FILE`). */
  reportFile?: string;
  log?: (line: string) => void;
}

/** Defaults for the discovery options; the CLI documents them in its --help. */
export const PIPELINE_DEFAULTS = {
  minDownloads: 100,
  maxPerTier: 1500,
  pageSize: 1000,
  maxPages: 20,
  lineageBases: 25,
  searchTerms: DEFAULT_SEARCH_TERMS,
} satisfies Partial<PipelineOptions>;

function createContext(
  options: PipelineOptions,
  routesOf: (id: string) => string[],
): { ctx: StageContext; cache: RepoCache } {
  const log = options.log ?? (() => {});
  const hub = createHubClient({
    ...options.hub,
    onRetry: (info) => log(`retry ${info.attempt} in ${Math.round(info.delayMs)} ms: ${info.reason} — ${info.path}`),
  });
  const authorized = Boolean(options.hub.token);
  const cache = new RepoCache(options.cacheDir);
  const report = newReport(options.outDir);
  const ctx = {
    hub,
    repos: createRepoReads(hub, cache, authorized),
    report,
    decisions: new Decisions(report, routesOf),
    log,
    authorized,
  };
  return { ctx, cache };
}

/**
 * List pages decide what the whole run sees — one that fails ends the run with nothing published —
 * while a failed per-repo read only skips that repo. So a list page gets twice the attempts plus
 * two, with twice the backoff: 5 retries per read become 12 per page.
 */
export function listBudget(hub: HubClientOptions): RetryBudget {
  return { retries: 2 * (hub.retries ?? 5) + 2, retryBaseMs: 2 * (hub.retryBaseMs ?? 1000) };
}

function routeCounts(found: Discovered): RunReport["routes"] {
  const routes: RunReport["routes"] = {};
  for (const [name, listed] of Object.entries(found.listed).sort(([a], [b]) => compareText(a, b)))
    routes[name] = { listed, only: 0 };
  for (const set of found.routesOf.values()) {
    const [only] = set;
    if (set.size === 1 && only !== undefined && routes[only]) routes[only].only++;
  }
  return routes;
}

export async function runPipeline(options: PipelineOptions): Promise<RunReport> {
  const started = Date.now();
  let found: Discovered | undefined;
  const { ctx, cache } = createContext(options, (id) => [...(found?.routesOf.get(id) ?? [])].sort(compareText));
  const { report, hub } = ctx;
  const discovery = {
    ...options,
    onInvalid: (_raw: unknown, reason: string) => countDrop(report, `invalid-hub-item (${reason.split(":")[0]})`),
    listBudget: listBudget(options.hub),
  };

  // 1–2. Discover and classify; the fine-tunes of the kept bases are a second discovery round.
  ctx.log("discover: listing the Hub…");
  found = await discover(hub, discovery);
  const firstRound = await classifyAll(ctx, found.models.values());
  const bases = firstRound.filter(isBaseModel).map((c) => c.model);
  const fineTunes = await discoverFineTunes(hub, discovery, bases, found);
  // Repos that declare a dropped base share its fate (a GGUF of a TTS model is a TTS model).
  const kept = inheritDrops(ctx, [...firstRound, ...(await classifyAll(ctx, fineTunes))]);
  kept.sort((a, b) => compareText(a.model.id, b.model.id));
  report.candidates = found.models.size;
  report.routes = routeCounts(found);
  report.classified = kept.length;
  ctx.log(`discover: ${found.models.size} candidates (${hub.stats.requests.api} list calls), ${kept.length} LLMs`);

  // 3–5. Parameters, lineage, tiers.
  ctx.log(`resolve: parameters of ${kept.length} repos`);
  const resolved = await resolveParams(ctx, kept);
  const groups = await resolveGroupParams(ctx, await foldLineage(ctx, resolved));
  const selected = tierGroups(ctx, groups, options.maxPerTier);

  // 6–7. Install targets and hardware fit, per entry.
  const models = await buildEntries(ctx, selected);
  report.entries = models.length;
  for (const m of models) report.byTier[m.tier] = (report.byTier[m.tier] ?? 0) + 1;
  report.skipped.sort((a, b) => compareText(a.id, b.id) || compareText(a.what, b.what));
  if (options.reportFile) {
    mkdirSync(dirname(options.reportFile), { recursive: true });
    await writeFileAtomic(options.reportFile, ctx.decisions.toJsonl());
  }

  // 8. Publish, unless the guard refuses.
  try {
    const result = await publish({
      outDir: options.outDir,
      models,
      fixture: options.fixture,
      ...(options.now ? { now: options.now } : {}),
      ...(options.minKeepRatio !== undefined ? { minKeepRatio: options.minKeepRatio } : {}),
    });
    report.status = result.status;
    report.version = result.version;
    if (result.status === "unchanged")
      report.message = "nothing changed on the Hub since the current index; no file written";
  } catch (error) {
    if (!(error instanceof PublishGuardError)) throw error;
    report.status = "guarded";
    report.message = error.message;
  }
  report.requests = {
    ...hub.stats.requests,
    total: hub.stats.requests.api + hub.stats.requests.resolvers,
    retries: hub.stats.retries,
  };
  report.cache = { hits: cache.hits, misses: cache.misses, stale: cache.stale };
  report.durationMs = Date.now() - started;
  return report;
}
