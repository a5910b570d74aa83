/**
 * Stage 3, resolve parameters: a count for every candidate, from the best source available:
 * Hub safetensors metadata → GGUF metadata → an estimate from config.json → a hint in the name.
 * config.json is fetched only when the first two are missing (and never for a copy, which takes
 * its base's count in the lineage stage).
 */
import type { Params } from "../schema/index.ts";
import { packedShare } from "./classify/format.ts";
import { type Classified, COPY_FORMATS, type WeightFormat } from "./classify.ts";
import { type StageContext, skip } from "./context.ts";
import type { HubModel } from "./hub/types.ts";
import type { Group } from "./lineage.ts";
import type { ModelConfig } from "./model-config/dims.ts";
import { estimateParams } from "./model-config/estimate-params.ts";

/**
 * Formats whose safetensors count may be of packed integers (int4 in an int32, AWQ, GPTQ, bnb, MLX
 * 4-bit, compressed-tensors W4A16, NVFP4 two to a byte), not of the model's weights: never tier on it.
 */
const PACKED = new Set<WeightFormat>(["awq", "gptq", "bnb", "mlx", "exl2", "fp8", "fp4"]);
/** A name that says the model is far out of range needs no config.json to be dropped (the popular route lists 70B repos). */
const CLEARLY_OUT_OF_RANGE = 20e9;

/**
 * A size written in the repo name: `0.5B`, `360M`, `1_6b` (stablelm), `8x7B` (8 × 7B).
 * The last such token wins (`Llama-3.1-8B` → 8B); an `A2.7B` active-parameter token is skipped.
 */
export function paramsFromName(id: string): number | undefined {
  const name = id.split("/").pop() ?? id;
  const re = /(?<![A-Za-z0-9._])(?:(\d+)x)?(\d+(?:[._]\d+)?)\s*([bm])(?![a-z0-9])/gi;
  let found: number | undefined;
  for (const m of name.matchAll(re)) {
    if (m.index > 0 && /a$/i.test(name.slice(0, m.index))) continue;
    const value = Number((m[2] as string).replace("_", ".")) * ((m[3] as string).toLowerCase() === "b" ? 1e9 : 1e6);
    found = Math.round(value * (m[1] ? Number(m[1]) : 1));
  }
  return found;
}

/** Params without fetching anything, or undefined when config.json is needed. */
export function paramsFromMetadata(model: HubModel, format: WeightFormat): Params | undefined {
  const st = model.safetensors?.total;
  // Packed tensors in an original too (BitNet's ternary weights, four to a byte) are no count of weights.
  if (st && st > 0 && !PACKED.has(format) && packedShare(model) <= 0.3) return { total: st, source: "safetensors" };
  const gg = model.gguf?.total;
  if (gg && gg > 0) return { total: gg, source: "gguf" };
  return undefined;
}

export function paramsFromConfig(config: ModelConfig | undefined): Params | undefined {
  const estimate = config && estimateParams(config);
  if (!estimate) return undefined;
  return estimate.active !== undefined
    ? { total: estimate.total, active: estimate.active, source: "config" }
    : { total: estimate.total, source: "config" };
}

/** Active parameters of a mixture-of-experts model whose total came from metadata. */
export function withActive(params: Params, config: ModelConfig | undefined): Params {
  if (params.active !== undefined || !config) return params;
  const estimate = estimateParams(config);
  if (estimate?.active === undefined || estimate.total <= 0) return params;
  // Scale the estimated active share to the metadata total, so both figures agree.
  return { ...params, active: Math.round((params.total * estimate.active) / estimate.total) };
}

export function paramsFromNameHint(model: HubModel): Params | undefined {
  const total = paramsFromName(model.id);
  return total ? { total, source: "name" } : undefined;
}

export type Resolved = Classified & { params?: Params | undefined };

export async function resolveParams(ctx: StageContext, kept: Classified[]): Promise<Resolved[]> {
  return Promise.all(
    kept.map(async (c): Promise<Resolved> => {
      const meta = paramsFromMetadata(c.model, c.format);
      if (meta || COPY_FORMATS.has(c.format) || c.bases.some((b) => b.relation === "quantized"))
        return { ...c, params: meta };
      const hint = paramsFromNameHint(c.model);
      if (hint && hint.total > CLEARLY_OUT_OF_RANGE) return { ...c, params: hint };
      const config = await ctx.repos.config(c.model);
      if (!config.ok) skip(ctx, c.model.id, "config.json", config.reason);
      const params = paramsFromConfig(config.ok ? config.value : undefined) ?? paramsFromNameHint(c.model);
      return { ...c, params };
    }),
  );
}

/**
 * Counts for entries that are copies (their base is not indexed): a GGUF copy's count, else an
 * estimate from the config.json of any copy (an AWQ repo's config has the full model's dims).
 */
export async function resolveGroupParams(ctx: StageContext, groups: Group<Resolved>[]): Promise<Group<Resolved>[]> {
  return Promise.all(
    groups.map(async (g) => {
      if (g.entry.params) return g;
      const members = [g.entry, ...g.variants.map((v) => v.repo)];
      const gguf = members.find((m) => m.model.gguf?.total)?.model.gguf?.total;
      if (gguf) return { ...g, entry: { ...g.entry, params: { total: gguf, source: "gguf" as const } } };
      for (const m of members.filter((x) => x.format !== "gguf")) {
        const config = await ctx.repos.config(m.model);
        const params = config.ok ? paramsFromConfig(config.value) : undefined;
        if (params) return { ...g, entry: { ...g.entry, params } };
      }
      const hint = paramsFromNameHint(g.entry.model);
      return hint ? { ...g, entry: { ...g.entry, params: hint } } : g;
    }),
  );
}
