/** `GET /api/models`, following the absolute `Link: <…>; rel="next"` the Hub sends. */
import type { HubClient, RetryBudget } from "./client.ts";
import { type HubModel, HubModelSchema, LIST_EXPAND } from "./types.ts";

export interface ListModelsParams {
  /** Substring of the repo id. */
  search?: string;
  author?: string;
  /** Tags, AND-ed (e.g. `gguf`, `base_model:finetune:Qwen/Qwen3-0.6B`). */
  filter?: string[];
  pipelineTag?: string;
  /** The Hub's parameter-count filter, e.g. `min:0,max:1B`. */
  numParameters?: string;
  sort?: "downloads" | "likes" | "createdAt" | "lastModified" | "trendingScore";
  /** Page size. */
  pageSize?: number;
  /** Stop after this many pages. */
  maxPages?: number;
  /** Stop paging once an item falls below this many downloads (results are sorted by downloads). */
  minDownloads?: number;
  /** Called for every item that fails validation, with why. */
  onInvalid?: (raw: unknown, reason: string) => void;
  /** Retries per page; a page that still fails fails the listing (and the run). */
  budget?: RetryBudget;
}

export function listModelsUrl(params: ListModelsParams): string {
  const q = new URLSearchParams();
  if (params.search) q.set("search", params.search);
  if (params.author) q.set("author", params.author);
  for (const f of params.filter ?? []) q.append("filter", f);
  if (params.pipelineTag) q.set("pipeline_tag", params.pipelineTag);
  if (params.numParameters) q.set("num_parameters", params.numParameters);
  q.set("sort", params.sort ?? "downloads");
  q.set("limit", String(params.pageSize ?? 1000));
  for (const e of LIST_EXPAND) q.append("expand[]", e);
  return `/api/models?${q}`;
}

export function nextLink(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const match of link.matchAll(/<(https?:\/\/[^>]+)>;\s*rel="([^"]+)"/g)) {
    if (match[2] === "next") return match[1];
  }
  return undefined;
}

export async function* listModels(client: HubClient, params: ListModelsParams): AsyncGenerator<HubModel> {
  let url: string | undefined = listModelsUrl(params);
  for (let page = 0; url && page < (params.maxPages ?? Number.POSITIVE_INFINITY); page++) {
    const { data, link }: { data: unknown; link: string | null } = await client.getJson<unknown>(
      url,
      params.budget ? { budget: params.budget } : {},
    );
    if (!Array.isArray(data)) throw new TypeError(`expected a JSON array from ${url}`);
    let belowFloor = false;
    for (const raw of data) {
      const parsed = HubModelSchema.safeParse(raw);
      if (!parsed.success) {
        params.onInvalid?.(raw, parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
        continue;
      }
      if (params.minDownloads !== undefined && (parsed.data.downloads ?? 0) < params.minDownloads) {
        belowFloor = true;
        continue;
      }
      yield parsed.data;
    }
    url = belowFloor ? undefined : nextLink(link);
  }
}
