/**
 * The Hub's answer shapes the replay server needs: which fields `expand[]` may name (and which only
 * on a single model), what a list item carries without `expand`, the parameter-count filter's
 * syntax, and a fixed-port listener for `npm run hub-replay -- --port N`.
 */
import type { Server } from "node:http";
import type { FixtureRepo } from "./catalogue.ts";

export const EXPANDABLE = new Set([
  "author",
  "baseModels",
  "cardData",
  "childrenModelCount",
  "config",
  "createdAt",
  "disabled",
  "downloads",
  "downloadsAllTime",
  "evalResults",
  "gated",
  "gguf",
  "inference",
  "inferenceProviderMapping",
  "lastModified",
  "library_name",
  "likes",
  "mask_token",
  "model-index",
  "pipeline_tag",
  "private",
  "resourceGroup",
  "safetensors",
  "sha",
  "siblings",
  "spaces",
  "tags",
  "transformersInfo",
  "trendingScore",
  "usedStorage",
  "widgetData",
]);
export const SINGLE_ONLY = new Set(["baseModels", "childrenModelCount", "usedStorage"]);
export const DEFAULT_LIST_FIELDS = [
  "_id",
  "id",
  "likes",
  "trendingScore",
  "private",
  "downloads",
  "tags",
  "pipeline_tag",
  "library_name",
  "createdAt",
];
export const TREE_PAGE = 50;

export function parseCount(value: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMBT]?)$/i.exec(value.trim());
  if (!m) return Number.NaN;
  const unit = { "": 1, K: 1e3, M: 1e6, B: 1e9, T: 1e12 }[(m[2] ?? "").toUpperCase()] ?? 1;
  return Number(m[1]) * unit;
}

export function paramCount(info: FixtureRepo["info"]): number | undefined {
  const s = info.safetensors as { total?: number } | undefined;
  const g = info.gguf as { total?: number } | undefined;
  return s?.total ?? g?.total;
}

export function project(info: FixtureRepo["info"], expand: string[]): Record<string, unknown> {
  if (expand.length === 0) {
    const out: Record<string, unknown> = {};
    for (const k of DEFAULT_LIST_FIELDS) if (k in info) out[k] = info[k];
    out.modelId = info.id;
    return out;
  }
  const out: Record<string, unknown> = { _id: info._id, id: info.id };
  for (const k of expand) if (k in info) out[k] = info[k];
  return out;
}

/** Listen on a given port (for `npm run hub-replay -- --port N`); fails clearly when it is taken. */
export function listenOn(server: Server, port: number): Promise<{ port: number; close(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () =>
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      }),
    );
  });
}
