/**
 * Stage 1, discover: candidates from several routes, merged and deduped by id; each route finds
 * models the others miss.
 *  - chat and text-generation pipeline lists (text-generation, image-text-to-text, any-to-any,
 *    audio-text-to-text, video-text-to-text) in parameter buckets wider than the tiers (the exact
 *    tier is decided on the resolved count);
 *  - GGUF repos in the same buckets with no pipeline tag (GGUF repos often have none);
 *  - `popular`: the text-generation list without a parameter filter, down to the popularity
 *    floor, for repos that carry no parameter metadata at all (opt-125m, gpt-j-6b): it needs no
 *    name to search for;
 *  - `popular-any`: the first pages of the buckets with no pipeline filter, for LLMs that have no
 *    pipeline tag or an odd one (the classifier decides from their config);
 *  - `popular-multimodal`: the first page of each multimodal chat list with no parameter filter, for
 *    vision and audio chat models with no parameter metadata (llava-v1.5-7b ships only .bin files);
 *  - search terms for small models without metadata that the popular list does not reach;
 *  - later, the fine-tunes of the most downloaded bases (the model tree), see `discoverFineTunes`.
 * Every list is sorted by downloads and stops at the popularity floor.
 */
import { compareText } from "./canonical-json.ts";
import type { HubClient, RetryBudget } from "./hub/client.ts";
import { type ListModelsParams, listModels } from "./hub/list-models.ts";
import type { HubModel } from "./hub/types.ts";

export const PARAM_BUCKETS = ["min:0,max:1B", "min:1B,max:9B"];
/** Pipeline tags whose models chat or generate text; the classifier decides per repo. */
export const LLM_PIPELINES = [
  "text-generation",
  "image-text-to-text",
  "any-to-any",
  "audio-text-to-text",
  "video-text-to-text",
];
/** Sizes and small-model families, for repos the parameter buckets miss (no metadata). */
export const DEFAULT_SEARCH_TERMS = [
  "135M",
  "360M",
  "0.5B",
  "1B",
  "1.5B",
  "3B",
  "7B",
  "8B",
  "tiny",
  "small",
  "mini",
  "SmolLM",
  "TinyLlama",
  "Qwen",
  "gemma",
  "Phi",
  "Llama",
];

export interface DiscoverOptions {
  /** Popularity floor: downloads over the last 30 days. */
  minDownloads: number;
  pageSize: number;
  /** Pages per route at most. */
  maxPages: number;
  searchTerms: string[];
  /** How many of the most downloaded bases get a fine-tune lookup. */
  lineageBases: number;
  onInvalid?: (raw: unknown, reason: string) => void;
  /** Retry budget of every list page (larger than a per-repo read's: see run.ts). */
  listBudget?: RetryBudget;
}

export interface Discovered {
  /** Candidates by id, in id order. */
  models: Map<string, HubModel>;
  /** The routes that listed each candidate. */
  routesOf: Map<string, Set<string>>;
  /** Repos each route listed (a repo listed by two routes counts in both). */
  listed: Record<string, number>;
}

export const emptyDiscovered = (): Discovered => ({ models: new Map(), routesOf: new Map(), listed: {} });

async function collect(client: HubClient, name: string, params: ListModelsParams, into: Discovered): Promise<void> {
  let n = 0;
  for await (const model of listModels(client, params)) {
    n++;
    if (!into.models.has(model.id)) into.models.set(model.id, model);
    const routes = into.routesOf.get(model.id) ?? new Set();
    routes.add(name);
    into.routesOf.set(model.id, routes);
  }
  into.listed[name] = (into.listed[name] ?? 0) + n;
}

const commonParams = (options: DiscoverOptions) => ({
  minDownloads: options.minDownloads,
  pageSize: options.pageSize,
  maxPages: options.maxPages,
  ...(options.onInvalid ? { onInvalid: options.onInvalid } : {}),
  ...(options.listBudget ? { budget: options.listBudget } : {}),
});

/** Deterministic order whatever order the routes answered in. */
function sortById(found: Discovered): void {
  found.models = new Map([...found.models.entries()].sort(([a], [b]) => compareText(a, b)));
}

export async function discover(client: HubClient, options: DiscoverOptions): Promise<Discovered> {
  const found = emptyDiscovered();
  const common = commonParams(options);
  const routes: Promise<void>[] = [];
  for (const bucket of PARAM_BUCKETS) {
    for (const pipelineTag of LLM_PIPELINES) {
      routes.push(collect(client, `pipeline:${pipelineTag}`, { ...common, pipelineTag, numParameters: bucket }, found));
    }
    routes.push(collect(client, "gguf", { ...common, filter: ["gguf"], numParameters: bucket }, found));
  }
  routes.push(collect(client, "popular", { ...common, pipelineTag: "text-generation" }, found));
  // The most downloaded repos in the buckets whatever their pipeline tag: LLMs with none
  // (chatglm3-6b) or an odd one; the classifier sorts them, a few pages are enough.
  for (const bucket of PARAM_BUCKETS) {
    routes.push(
      collect(
        client,
        "popular-any",
        { ...common, numParameters: bucket, maxPages: Math.min(3, options.maxPages) },
        found,
      ),
    );
  }
  for (const pipelineTag of LLM_PIPELINES.filter((p) => p !== "text-generation")) {
    routes.push(collect(client, "popular-multimodal", { ...common, pipelineTag, maxPages: 1 }, found));
  }
  for (const search of options.searchTerms) {
    routes.push(collect(client, "search", { ...common, search, maxPages: 1 }, found));
  }
  await Promise.all(routes);
  sortById(found);
  return found;
}

/** The fine-tunes of the given bases (most downloaded first), added to `found`; returns the new ones. */
export async function discoverFineTunes(
  client: HubClient,
  options: DiscoverOptions,
  bases: HubModel[],
  found: Discovered,
): Promise<HubModel[]> {
  const before = new Set(found.models.keys());
  const chosen = [...bases]
    .sort((a, b) => (b.downloads ?? 0) - (a.downloads ?? 0) || compareText(a.id, b.id))
    .slice(0, options.lineageBases);
  const common = commonParams(options);
  await Promise.all(
    chosen.map((base) =>
      collect(client, "lineage", { ...common, filter: [`base_model:finetune:${base.id}`], maxPages: 1 }, found),
    ),
  );
  sortById(found);
  return [...found.models.values()].filter((m) => !before.has(m.id));
}
