/**
 * The pipeline, stage by stage: discover → classify → resolve parameters → lineage → tier →
 * install targets → hardware fit → publish. Each stage is its own module; this file only wires
 * them together and keeps the run report.
 */

import type { InstallTarget, ModelEntry, Params } from "../schema/index.ts";
import { ModelEntrySchema } from "../schema/index.ts";
import { PROFILES } from "../schema/profiles.ts";
import { tierFor } from "../schema/tiers.ts";
import { buildEntry } from "./build-entry.ts";
import { compareText } from "./canonical-json.ts";
import { type Classified, classify } from "./classify.ts";
import { DEFAULT_SEARCH_TERMS, discover } from "./discover.ts";
import { hardwareFit } from "./hardware-fit.ts";
import { createHubClient, type HubClientOptions } from "./hub/client.ts";
import { fetchConfig, listRepoFiles } from "./hub/repo-files.ts";
import type { RepoFile } from "./hub/types.ts";
import { installTargets, rankGgufRepos } from "./install-targets.ts";
import { type Group, groupLineage } from "./lineage.ts";
import type { ModelConfig } from "./model-config/dims.ts";
import { PublishGuardError, publish } from "./publish.ts";
import { RepoCache } from "./repo-cache.ts";
import { paramsFromConfig, paramsFromMetadata, paramsFromNameHint, withActive } from "./resolve-params.ts";
import { countDrop, newReport, type RunReport } from "./run-report.ts";

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

type Resolved = Classified & { params?: Params | undefined };

export async function runPipeline(options: PipelineOptions): Promise<RunReport> {
  const started = Date.now();
  const report = newReport(options.outDir);
  const log = options.log ?? (() => {});
  const client = createHubClient({
    ...options.hub,
    onRetry: (info) => log(`retry ${info.attempt} in ${Math.round(info.delayMs)} ms: ${info.reason} — ${info.url}`),
  });
  const cache = new RepoCache(options.cacheDir);
  const authorized = Boolean(options.hub.token);
  const skip = (id: string, what: string, error: unknown) => {
    const reason = (error as { reason?: string }).reason ?? "error";
    report.skipped.push({ id, what, reason });
  };
  const finish = () => {
    report.requests = {
      ...client.stats.requests,
      total: client.stats.requests.api + client.stats.requests.resolvers,
      retries: client.stats.retries,
    };
    report.cache = { hits: cache.hits, misses: cache.misses };
    report.durationMs = Date.now() - started;
    return report;
  };

  // 1. Discover
  log("discover: listing the Hub…");
  const found = await discover(
    client,
    { ...options, onInvalid: (_raw, reason) => countDrop(report, `invalid-hub-item (${reason.split(":")[0]})`) },
    (m) => {
      const c = classify(m);
      return typeof c !== "string" && c.bases.length === 0 && c.format === "safetensors";
    },
  );
  report.candidates = found.models.size;
  report.routes = found.routes;
  log(`discover: ${found.models.size} candidates (${client.stats.requests.api} list calls)`);

  // 3. Keep text-generation LLMs
  const kept: Classified[] = [];
  for (const model of found.models.values()) {
    const c = classify(model);
    if (typeof c === "string") countDrop(report, c);
    else kept.push(c);
  }
  report.classified = kept.length;

  /**
   * A per-repo request: fetched at `main` (what the Hub's own clients ask for), cached under the
   * sha the list reported, so a re-run asks again only when the repo changed. Without a sha there
   * is nothing to key on, so it is not cached.
   */
  const cached = <T>(kind: string, id: string, sha: string | undefined, fetch: () => Promise<T>): Promise<T> =>
    sha ? cache.through(kind, id, sha, authorized, fetch) : fetch();

  // config.json, fetched once per repo, only when needed; gated repos only with a token.
  const configs = new Map<string, Promise<ModelConfig | undefined>>();
  const configOf = (c: Classified, repo = c.model.id) => {
    const k = `${repo}@${c.model.sha}`;
    let pending = configs.get(k);
    if (!pending) {
      pending =
        c.model.gated && !authorized
          ? Promise.resolve(undefined)
          : cached("config", repo, c.model.sha, () => fetchConfig(client, repo)).catch((error) => {
              skip(repo, "config.json", error);
              return undefined;
            });
      configs.set(k, pending);
    }
    return pending;
  };
  /**
   * The config.json that describes an entry's weights: its own; for a GGUF-only entry, its declared
   * base's; and when those are gated (no token) or missing, the same file from a re-upload or
   * conversion of the same weights (unsloth's mirrors of gated Llama and Gemma repos, MLX copies).
   */
  const configForGroup = async (group: Group<Resolved>): Promise<ModelConfig | undefined> => {
    const c = group.entry;
    const sources: [Classified, string][] = [];
    if (c.format !== "gguf") sources.push([c, c.model.id]);
    else if (group.baseModel) sources.push([c, group.baseModel]);
    const order = { reupload: 0, converted: 1, quantized: 2 };
    const copies = group.variants
      .filter((v) => v.repo.format !== "gguf" && !v.repo.model.gated)
      .sort((a, b) => order[a.relation] - order[b.relation]);
    for (const v of copies) sources.push([v.repo, v.repo.model.id]);
    for (const [owner, repo] of sources) {
      const config = await configOf(owner, repo);
      if (config) return config;
    }
    return undefined;
  };
  const filesOf = (id: string, sha: string | undefined): Promise<RepoFile[]> =>
    cached("tree", id, sha, () => listRepoFiles(client, id));
  /** The indexed revision; a Hub whose list did not carry the sha is asked for it, entry by entry. */
  const revisionOf = async (c: Classified): Promise<string | undefined> => {
    if (c.model.sha) return c.model.sha;
    try {
      const { data } = await client.getJson<{ sha?: unknown }>(`/api/models/${c.model.id}?expand[]=sha`);
      return typeof data.sha === "string" ? data.sha : undefined;
    } catch (error) {
      skip(c.model.id, "revision", error);
      return undefined;
    }
  };

  // 2. Resolve parameters: metadata first; config.json only for entries that have none.
  log(`resolve: parameters of ${kept.length} repos`);
  const resolved: Resolved[] = await Promise.all(
    kept.map(async (c) => {
      const meta = paramsFromMetadata(c.model, c.format);
      if (meta || c.format === "gguf" || c.bases.some((b) => b.relation === "quantized")) return { ...c, params: meta };
      const params = paramsFromConfig(await configOf(c)) ?? paramsFromNameHint(c.model);
      return { ...c, params };
    }),
  );

  // 5. Lineage: fold variants and re-uploads.
  const weightShas = async (r: Resolved) => {
    const files = await filesOf(r.model.id, r.model.sha);
    return files
      .filter((f) => /\.(safetensors|bin|pt|gguf)$/.test(f.path) && f.sha256)
      .map((f) => f.sha256)
      .sort()
      .join(",");
  };
  const { groups, dropped } = await groupLineage(resolved, async (a, b) => {
    try {
      const [x, y] = await Promise.all([weightShas(a), weightShas(b)]);
      return x !== "" && x === y;
    } catch (error) {
      skip(b.model.id, "re-upload check", error);
      return false;
    }
  });
  for (const d of dropped) countDrop(report, d.reason);
  log(`lineage: ${groups.length} entries from ${resolved.length} repos`);

  // 4. Tier, then the per-tier cap (most downloaded first).
  const tiered = new Map<string, { group: Group<Resolved>; params: Params }[]>();
  for (const group of groups) {
    const params = group.entry.params;
    if (!params) {
      countDrop(report, "no-parameter-count");
      continue;
    }
    const tier = tierFor(params.total);
    if (!tier) {
      countDrop(report, "out-of-tier");
      continue;
    }
    tiered.set(tier.id, [...(tiered.get(tier.id) ?? []), { group, params }]);
  }
  const selected: { group: Group<Resolved>; params: Params; tier: string }[] = [];
  for (const [tier, members] of tiered) {
    members.sort(
      (a, b) =>
        (b.group.entry.model.downloads ?? 0) - (a.group.entry.model.downloads ?? 0) ||
        compareText(a.group.entry.model.id, b.group.entry.model.id),
    );
    if (members.length > options.maxPerTier) countDrop(report, "over-tier-cap", members.length - options.maxPerTier);
    selected.push(...members.slice(0, options.maxPerTier).map((m) => ({ ...m, tier })));
  }

  // 6–7. Install targets and hardware fit, per entry.
  log(`install: GGUF files and configs for ${selected.length} entries`);
  const entries = await Promise.all(
    selected.map(async ({ group, params, tier }): Promise<ModelEntry | undefined> => {
      const c = group.entry;
      const revision = await revisionOf(c);
      if (!revision) {
        countDrop(report, "no-revision");
        return undefined;
      }
      c.model.sha = revision;
      const ggufs = [c, ...group.variants.map((v) => v.repo)].filter((r) => r.format === "gguf");
      const ranked = rankGgufRepos(
        c.model.author ?? c.model.id.split("/")[0] ?? "",
        ggufs.map((g) => ({
          id: g.model.id,
          author: g.model.author ?? g.model.id.split("/")[0] ?? "",
          downloads: g.model.downloads ?? 0,
          gated: Boolean(g.model.gated),
        })),
      );
      let install: InstallTarget[] = [];
      for (const repo of ranked.slice(0, 2)) {
        const g = ggufs.find((x) => x.model.id === repo.id);
        try {
          install = installTargets(repo.id, await filesOf(repo.id, g?.model.sha));
        } catch (error) {
          skip(repo.id, "file listing", error);
        }
        if (install.length) break;
      }
      const config = await configForGroup(group);
      const withMoe = withActive(params, config);
      const contextLength = buildEntry({ group, tier, params: withMoe, config, install: [], fit: [] }).contextLength;
      const fit = hardwareFit({ install, params: params.total, contextLength, config, profiles: PROFILES });
      const entry = buildEntry({ group, tier, params: withMoe, config, install, fit });
      const checked = ModelEntrySchema.safeParse(entry);
      if (!checked.success) {
        countDrop(report, "invalid-entry");
        report.skipped.push({
          id: c.model.id,
          what: "entry",
          reason: checked.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
        });
        return undefined;
      }
      return checked.data;
    }),
  );
  const models = entries.filter((e): e is ModelEntry => e !== undefined);
  report.entries = models.length;
  for (const m of models) report.byTier[m.tier] = (report.byTier[m.tier] ?? 0) + 1;
  report.skipped.sort((a, b) => compareText(a.id, b.id) || compareText(a.what, b.what));

  // 8. Publish
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
  return finish();
}
