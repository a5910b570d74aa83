/** Part of stage 7, hardware fit (entries.ts): assemble one schema ModelEntry from a lineage group and what the later stages resolved. */
import type { Fit, InstallTarget, ModelEntry, Params, Variant } from "../schema/index.ts";
import type { Classified } from "./classify.ts";
import type { Group } from "./lineage.ts";
import { type ModelConfig, num, readDims, textConfig } from "./model-config/dims.ts";

const LICENSE = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/;
const ARCH = /^[A-Za-z0-9_.-]{1,64}$/;

function license(c: Classified): string | undefined {
  const card = c.model.cardData?.license;
  const fromCard = Array.isArray(card) ? card[0] : card;
  const fromTag = c.model.tags?.find((t) => t.startsWith("license:"))?.slice("license:".length);
  const value = fromCard ?? fromTag;
  return value && LICENSE.test(value) ? value.toLowerCase() : undefined;
}

function architecture(c: Classified, config: ModelConfig | undefined): string | undefined {
  const candidates = [config && textConfig(config).model_type, c.model.config?.model_type, c.model.gguf?.architecture];
  const found = candidates.find((a): a is string => typeof a === "string" && ARCH.test(a));
  return found;
}

/** The context length of an entry's weights: config.json first, else the GGUF metadata of a copy. */
export function contextLength(group: Group<Classified>, config: ModelConfig | undefined): number | undefined {
  const fromConfig = config && num(textConfig(config), "max_position_embeddings", "n_positions", "max_sequence_length");
  const fromGguf = [group.entry, ...group.variants.map((v) => v.repo)].find((r) => r.model.gguf?.context_length)?.model
    .gguf?.context_length;
  const value = fromConfig ?? fromGguf;
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : undefined;
}

const iso = (value: string | undefined) => {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
};

export function buildEntry(input: {
  group: Group<Classified>;
  /** The commit the entry describes. */
  revision: string;
  tier: string;
  params: Params;
  config: ModelConfig | undefined;
  install: InstallTarget[];
  fit: Fit[];
}): ModelEntry {
  const { group, config } = input;
  const c = group.entry;
  const [author = "", name = c.model.id] = c.model.id.split("/");
  const created = iso(c.model.createdAt) ?? iso(c.model.lastModified) ?? "1970-01-01T00:00:00.000Z";
  const variants: Variant[] = group.variants.map((v) => ({
    id: v.repo.model.id,
    relation: v.relation,
    format: v.repo.format,
  }));
  const entry: ModelEntry = {
    id: c.model.id,
    name,
    author,
    revision: input.revision,
    tier: input.tier,
    params: input.params,
    gated: c.model.gated !== undefined && c.model.gated !== false,
    tasks: c.tasks,
    downloads: Math.round(
      group.variants.reduce((sum, v) => sum + (v.repo.model.downloads ?? 0), c.model.downloads ?? 0),
    ),
    likes: Math.round(c.model.likes ?? 0),
    createdAt: created,
    lastModified: iso(c.model.lastModified) ?? created,
    variants,
    install: input.install,
    fit: input.fit,
  };
  const arch = architecture(c, config);
  if (arch) entry.architecture = arch;
  const ctx = contextLength(group, config);
  if (ctx) entry.contextLength = ctx;
  const layers = config && readDims(config)?.layers;
  if (layers && Number.isInteger(layers)) entry.layers = layers;
  const lic = license(c);
  if (lic) entry.license = lic;
  if (group.baseModel) entry.baseModel = group.baseModel;
  return entry;
}
