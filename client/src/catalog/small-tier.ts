/**
 * The catalogue in the shape apps ask for (`GET /api/llm/models/small-tier`): the two tiers as
 * lists of index entries, most downloaded first, each marked `installable` when it has a build a
 * local runtime can pull, with when the index was generated and where this copy came from.
 */
import type { ModelEntry } from "../../../schema/index.ts";
import { queryModels } from "../core/query-models.ts";
import type { IndexResult, IndexSource } from "./get-index.ts";

export type SmallTierEntry = ModelEntry & { installable: boolean };

export interface SmallTier {
  sub1B: SmallTierEntry[];
  small1Bto8B: SmallTierEntry[];
  /** When the pipeline generated this index (ISO 8601). */
  lastUpdated: string;
  source: IndexSource;
  /** Index version, e.g. `2026-11-23.3f9a1c2b`. */
  version: string;
  /** Set when the index is test data, not the catalogue of the real Hub. */
  fixture?: true;
  /** Only after a refresh was asked for: true when no mirror answered and an older copy is served. */
  fellBack?: boolean;
  /** Only after a refresh was asked for: the sources that failed, and why. */
  attempts?: IndexResult["attempts"];
}

export function smallTier(result: IndexResult, refreshed = false): SmallTier {
  const tier = (id: string) =>
    queryModels(result.index.models, { tier: id, sort: "downloads" }).map(({ model }) => ({
      ...model,
      installable: model.install.length > 0,
    }));
  return {
    sub1B: tier("sub-1b"),
    small1Bto8B: tier("1b-8b"),
    lastUpdated: result.index.generatedAt,
    source: result.source,
    version: result.index.version,
    ...(result.index.fixture ? { fixture: true as const } : {}),
    ...(refreshed
      ? { fellBack: result.source === "stale-cache" || result.source === "bundled", attempts: result.attempts }
      : {}),
  };
}
