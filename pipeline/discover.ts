/**
 * Stage 1: candidates from several routes, merged and deduped by id; each route finds models the
 * others miss.
 *  - text-generation and image-text-to-text lists in parameter buckets wider than the tiers
 *    (the exact tier is decided on the resolved count);
 *  - GGUF repos in the same buckets with no pipeline tag (GGUF repos often have none);
 *  - search terms for small models that carry no parameter metadata (the buckets miss those);
 *  - the fine-tunes of the most downloaded bases found so far (the model tree).
 * Every list is sorted by downloads and stops at the popularity floor.
 */
import { compareText } from "./canonical-json.ts";
import type { HubClient } from "./hub/client.ts";
import { type ListModelsParams, listModels } from "./hub/list-models.ts";
import type { HubModel } from "./hub/types.ts";

export const PARAM_BUCKETS = ["min:0,max:1B", "min:1B,max:9B"];
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
}

export interface Discovered {
  models: Map<string, HubModel>;
  routes: Record<string, number>;
}

async function collect(client: HubClient, name: string, params: ListModelsParams, into: Discovered): Promise<void> {
  let n = 0;
  for await (const model of listModels(client, params)) {
    n++;
    if (!into.models.has(model.id)) into.models.set(model.id, model);
  }
  into.routes[name] = (into.routes[name] ?? 0) + n;
}

export async function discover(
  client: HubClient,
  options: DiscoverOptions,
  isBase: (model: HubModel) => boolean,
): Promise<Discovered> {
  const found: Discovered = { models: new Map(), routes: {} };
  const common = {
    minDownloads: options.minDownloads,
    pageSize: options.pageSize,
    maxPages: options.maxPages,
    ...(options.onInvalid ? { onInvalid: options.onInvalid } : {}),
  };
  const routes: Promise<void>[] = [];
  for (const bucket of PARAM_BUCKETS) {
    for (const pipelineTag of ["text-generation", "image-text-to-text"]) {
      routes.push(collect(client, `pipeline:${pipelineTag}`, { ...common, pipelineTag, numParameters: bucket }, found));
    }
    routes.push(collect(client, "gguf", { ...common, filter: ["gguf"], numParameters: bucket }, found));
  }
  for (const search of options.searchTerms) {
    routes.push(collect(client, "search", { ...common, search, maxPages: 1 }, found));
  }
  await Promise.all(routes);

  const bases = [...found.models.values()]
    .filter(isBase)
    .sort((a, b) => (b.downloads ?? 0) - (a.downloads ?? 0) || compareText(a.id, b.id))
    .slice(0, options.lineageBases);
  await Promise.all(
    bases.map((base) =>
      collect(client, "lineage", { ...common, filter: [`base_model:finetune:${base.id}`], maxPages: 1 }, found),
    ),
  );
  // Deterministic order whatever order the routes answered in.
  found.models = new Map([...found.models.entries()].sort(([a], [b]) => compareText(a, b)));
  return found;
}
