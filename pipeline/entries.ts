/**
 * Stages 6–7 per entry, install targets then hardware fit, and the entry assembled and validated:
 * the revision it describes, the GGUF files to install, the config.json that describes its
 * weights, the memory each quant needs, then one schema ModelEntry.
 */
import type { ModelEntry } from "../schema/index.ts";
import { ModelEntrySchema } from "../schema/index.ts";
import { PROFILES } from "../schema/profiles.ts";
import { buildEntry, contextLength } from "./build-entry.ts";
import { type StageContext, skip } from "./context.ts";
import { chooseInstall } from "./gguf-repos.ts";
import { hardwareFit } from "./hardware-fit.ts";
import type { Group } from "./lineage.ts";
import type { ModelConfig } from "./model-config/dims.ts";
import type { Resolved } from "./resolve-params.ts";
import { withActive } from "./resolve-params.ts";
import type { Tiered } from "./tier.ts";

const COPY_ORDER = { reupload: 0, converted: 1, quantized: 2 } as const;

/**
 * The config.json that describes an entry's weights: its own; for a GGUF-only entry, its declared
 * base's; and when those are gated (no token) or missing, the same file from a re-upload or
 * conversion of the same weights (unsloth's mirrors of gated Llama and Gemma repos, MLX copies).
 */
export async function configForGroup(ctx: StageContext, group: Group<Resolved>): Promise<ModelConfig | undefined> {
  const c = group.entry;
  const sources: Resolved["model"][] = [];
  if (c.format !== "gguf") sources.push(c.model);
  else if (group.baseModel) sources.push({ id: group.baseModel, sha: c.model.sha, gated: c.model.gated });
  const copies = group.variants
    .filter((v) => v.repo.format !== "gguf" && !v.repo.model.gated)
    .sort(
      (a, b) => COPY_ORDER[a.relation as keyof typeof COPY_ORDER] - COPY_ORDER[b.relation as keyof typeof COPY_ORDER],
    );
  for (const v of copies) sources.push(v.repo.model);
  for (const repo of sources) {
    const config = await ctx.repos.config(repo);
    if (config.ok) return config.value;
    skip(ctx, repo.id, "config.json", config.reason);
  }
  return undefined;
}

async function entryOf(ctx: StageContext, tiered: Tiered): Promise<ModelEntry | undefined> {
  let group = tiered.group;
  const { params, tier } = tiered;
  const c = group.entry;
  const revision = await ctx.repos.revision(c.model);
  if (!revision.ok) {
    skip(ctx, c.model.id, "revision", revision.reason);
    ctx.decisions.drop(c.model.id, "no-revision");
    return undefined;
  }
  const chosen = await chooseInstall(ctx, group);
  const install = chosen.install;
  if (chosen.mismatched.length) {
    // Not this entry's weights: neither an install source nor a variant of it.
    const out = new Set(chosen.mismatched.map((m) => m.id));
    group = { ...group, variants: group.variants.filter((v) => !out.has(v.repo.model.id)) };
    for (const m of chosen.mismatched) ctx.decisions.drop(m.id, "gguf-mismatch", `not ${c.model.id}: ${m.why}`);
  }
  const config = await configForGroup(ctx, group);
  const withMoe = withActive(params, config);
  const context = contextLength(group, config);
  const fit = hardwareFit({
    install,
    params: params.total,
    activeParams: withMoe.active,
    contextLength: context,
    config,
    profiles: PROFILES,
  });
  const entry = buildEntry({ group, revision: revision.value, tier, params: withMoe, config, install, fit });
  const checked = ModelEntrySchema.safeParse(entry);
  if (!checked.success) {
    const why = checked.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    skip(ctx, c.model.id, "entry", why);
    ctx.decisions.drop(c.model.id, "invalid-entry", why);
    return undefined;
  }
  const lineage = group.baseModel ? `; its base is ${group.baseModel}` : "";
  const copies = group.variants.length ? `; ${group.variants.length} copies folded in` : "";
  ctx.decisions.entry(c.model.id, tier, { reason: c.kept.reason, detail: `${c.kept.detail}${lineage}${copies}` });
  return checked.data;
}

export async function buildEntries(ctx: StageContext, selected: Tiered[]): Promise<ModelEntry[]> {
  ctx.log(`install: GGUF files and configs for ${selected.length} entries`);
  const entries = await Promise.all(selected.map((t) => entryOf(ctx, t)));
  return entries.filter((e): e is ModelEntry => e !== undefined);
}
