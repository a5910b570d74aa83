/**
 * Stage 5, tier: each entry's tier from its resolved total (schema/tiers.ts), then the per-tier cap,
 * most downloaded first.
 */
import type { Params } from "../schema/index.ts";
import { tierFor } from "../schema/tiers.ts";
import { compareText } from "./canonical-json.ts";
import type { StageContext } from "./context.ts";
import type { Group } from "./lineage.ts";
import type { Resolved } from "./resolve-params.ts";

/** Below this a "model" is a test stub or a toy (stories15M, tiny-random-*): nothing a user would chat with. */
export const MIN_PARAMS = 10_000_000;

export interface Tiered {
  group: Group<Resolved>;
  params: Params;
  tier: string;
}

export function tierGroups(
  ctx: Pick<StageContext, "decisions">,
  groups: Group<Resolved>[],
  maxPerTier: number,
): Tiered[] {
  const byTier = new Map<string, Tiered[]>();
  for (const group of groups) {
    const id = group.entry.model.id;
    const params = group.entry.params;
    if (!params) {
      ctx.decisions.drop(
        id,
        "no-parameter-count",
        "no safetensors or GGUF metadata, no usable config.json, no size in the name",
      );
      continue;
    }
    if (params.total < MIN_PARAMS) {
      ctx.decisions.drop(id, "too-small", `${params.total} parameters (${params.source})`);
      continue;
    }
    const tier = tierFor(params.total);
    if (!tier) {
      ctx.decisions.drop(id, "out-of-tier", `${params.total} parameters (${params.source})`);
      continue;
    }
    byTier.set(tier.id, [...(byTier.get(tier.id) ?? []), { group, params, tier: tier.id }]);
  }
  const selected: Tiered[] = [];
  for (const members of byTier.values()) {
    members.sort(
      (a, b) =>
        (b.group.entry.model.downloads ?? 0) - (a.group.entry.model.downloads ?? 0) ||
        compareText(a.group.entry.model.id, b.group.entry.model.id),
    );
    for (const over of members.slice(maxPerTier))
      ctx.decisions.drop(
        over.group.entry.model.id,
        "over-tier-cap",
        `beyond the ${maxPerTier} most downloaded of ${over.tier}`,
      );
    selected.push(...members.slice(0, maxPerTier));
  }
  return selected;
}
