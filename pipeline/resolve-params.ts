/**
 * Stage 3, resolve parameters: a count for every candidate, from the best source available:
 * Hub safetensors metadata → GGUF metadata → an estimate from config.json → a hint in the name.
 * config.json is fetched only when the first two are missing (and never for a copy, which takes
 * its base's count in the lineage stage).
 */
import type { Params } from "../schema/index.ts";
import type { Classified, WeightFormat } from "./classify.ts";
import { type StageContext, skip } from "./context.ts";
import type { HubModel } from "./hub/types.ts";
import type { ModelConfig } from "./model-config/dims.ts";
import { estimateParams } from "./model-config/estimate-params.ts";

/** Formats whose safetensors count is of packed integers, not of the model's weights. */
const PACKED = new Set<WeightFormat>(["awq", "gptq", "bnb", "mlx", "exl2"]);

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
  if (st && st > 0 && !PACKED.has(format)) return { total: st, source: "safetensors" };
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
      if (meta || c.format === "gguf" || c.bases.some((b) => b.relation === "quantized")) return { ...c, params: meta };
      const config = await ctx.repos.config(c.model);
      if (!config.ok) skip(ctx, c.model.id, "config.json", config.reason);
      const params = paramsFromConfig(config.ok ? config.value : undefined) ?? paramsFromNameHint(c.model);
      return { ...c, params };
    }),
  );
}
