/**
 * The contract between the parts: the versioned index of small LLMs.
 * zod is the source of truth (entry.ts defines every shape once, for the writer and the reader);
 * `npm run schema` derives index.schema.json (JSON Schema 2020-12) from the reader side for
 * consumers in other languages. Field names here are a public interface: add, never rename.
 *
 * Two sides: the pipeline validates what it publishes with the strict writer (`parseIndex`);
 * every consumer reads with the tolerant reader (`readIndex`, read-index.ts), so an index that
 * gains a runtime, a count source or a field never breaks a client already installed.
 */
import { z } from "zod";
import { defineSchemas, SCHEMA_VERSION } from "./entry.ts";
import { parseWith } from "./parse.ts";
import { HUB_REPO_ID, INDEX_VERSION } from "./patterns.ts";

const hubRepoId = () => z.string().regex(HUB_REPO_ID, "must be a Hub repo id like `owner/name`");
const isoDate = () => z.iso.datetime({ offset: true });

export { SCHEMA_VERSION } from "./entry.ts";
export { parseWith, SchemaValidationError } from "./parse.ts";
export * from "./patterns.ts";
export { ReaderSchemas, type ReadIndexResult, readIndex } from "./read-index.ts";
export * from "./speed.ts";
export * from "./speed-fit.ts";
export * from "./vocabulary.ts";

const writer = defineSchemas("write");

export const TierSchema = writer.Tier;
export const ProfileSchema = writer.Profile;
export const ParamsSchema = writer.Params;
export const VariantSchema = writer.Variant;
export const InstallTargetSchema = writer.InstallTarget;
export const FitSchema = writer.Fit;
export const ModelEntrySchema = writer.ModelEntry;
const IndexObject = writer.Index;

/** Cross-field rules that a JSON Schema cannot state: ids resolve, quants agree, no duplicates. */
export const IndexSchema = IndexObject.superRefine((index, ctx) => {
  const tiers = new Map(index.tiers.map((t) => [t.id, t]));
  const profiles = new Set(index.profiles.map((p) => p.id));
  const gpus = new Set(index.profiles.filter((p) => p.kind === "gpu").map((p) => p.id));
  index.profiles.forEach((p, i) => {
    const at = (...path: (string | number)[]) => ["profiles", i, ...path];
    if (p.bandwidthGBs === undefined || p.description === undefined)
      ctx.addIssue({
        code: "custom",
        path: at(),
        message: "needs `bandwidthGBs` and the `description` naming its source",
      });
    if (p.kind === "gpu" && p.host === undefined)
      ctx.addIssue({
        code: "custom",
        path: at("host"),
        message: "a GPU profile needs the `host` RAM that partial offload uses",
      });
  });
  const seen = new Set<string>();
  index.models.forEach((m, i) => {
    const at = (...path: (string | number)[]) => ["models", i, ...path];
    if (seen.has(m.id)) ctx.addIssue({ code: "custom", path: at("id"), message: `duplicate model id ${m.id}` });
    seen.add(m.id);
    const tier = tiers.get(m.tier);
    if (!tier) {
      ctx.addIssue({ code: "custom", path: at("tier"), message: `unknown tier "${m.tier}"` });
    } else if (m.params.total < tier.minParams || m.params.total > tier.maxParams) {
      ctx.addIssue({
        code: "custom",
        path: at("params", "total"),
        message: `${m.params.total} is outside tier ${tier.id} (${tier.minParams}–${tier.maxParams})`,
      });
    }
    if (m.params.active !== undefined && m.params.active > m.params.total) {
      ctx.addIssue({ code: "custom", path: at("params", "active"), message: "active exceeds total" });
    }
    m.install.forEach((t, j) => {
      if (!t.repo || !t.file)
        ctx.addIssue({
          code: "custom",
          path: at("install", j),
          message: "needs the GGUF `repo` and `file` it comes from",
        });
    });
    const defaults = m.install.filter((t) => t.default).length;
    if (m.install.length > 0 && defaults !== 1) {
      ctx.addIssue({ code: "custom", path: at("install"), message: `needs exactly one default, has ${defaults}` });
    }
    const quants = new Set(m.install.map((t) => t.quant));
    m.fit.forEach((f, j) => {
      if (!quants.has(f.quant)) {
        ctx.addIssue({ code: "custom", path: at("fit", j, "quant"), message: `no install target for ${f.quant}` });
      }
      f.fits.forEach((p, k) => {
        if (!profiles.has(p)) {
          ctx.addIssue({ code: "custom", path: at("fit", j, "fits", k), message: `unknown profile "${p}"` });
        }
      });
      checkSpeeds(f, at("fit", j), { profiles, gpus }, ctx);
    });
  });
});

/** Every profile that runs the quant, whole (`fits`) or split (`offload`), has a speed, and only those. */
function checkSpeeds(
  f: Fit,
  at: (string | number)[],
  known: { profiles: Set<string>; gpus: Set<string> },
  ctx: z.core.$RefinementCtx,
): void {
  const issue = (message: string, ...path: string[]) =>
    ctx.addIssue({ code: "custom", path: [...at, ...path], message });
  if (f.tokensPerSecond === undefined) {
    issue("needs `tokensPerSecond`");
    return;
  }
  const offload = Object.entries(f.offload ?? {});
  for (const [p, split] of offload) {
    if (!known.gpus.has(p)) issue(`"${p}" is not a GPU profile`, "offload", p);
    if (f.fits.includes(p)) issue(`"${p}" holds the whole model: it belongs in \`fits\` only`, "offload", p);
    if (split.gpuLayers < 1 || split.gpuLayers >= split.totalLayers)
      issue("a split puts at least one layer, and not all, in VRAM", "offload", p);
  }
  const runs = new Set([...f.fits, ...offload.map(([p]) => p)]);
  for (const p of Object.keys(f.tokensPerSecond)) {
    if (!runs.has(p)) issue(`a speed for "${p}", where the quant does not run`, "tokensPerSecond", p);
  }
  for (const p of runs) {
    if (known.profiles.has(p) && f.tokensPerSecond[p] === undefined) issue(`no speed for "${p}"`, "tokensPerSecond");
  }
}

export const ChangelogEntrySchema = z
  .object({
    version: z.string().regex(INDEX_VERSION).describe("The index version this entry describes."),
    generatedAt: isoDate().describe("When that version was generated."),
    added: z.array(hubRepoId()).describe("Model ids new in this version."),
    removed: z.array(hubRepoId()).describe("Model ids gone from this version."),
    changed: z
      .array(
        z.object({
          id: hubRepoId(),
          fields: z.array(z.string()).describe("Top-level entry fields whose values changed."),
        }),
      )
      .describe("Models whose entry changed, with the fields that did."),
  })
  .describe("What one index version changed against the one before it.");

export const ChangelogSchema = z
  .object({
    schemaVersion: z.literal(SCHEMA_VERSION),
    entries: z.array(ChangelogEntrySchema).describe("Newest first; bounded history."),
  })
  .describe("The history of index versions.");

export type Tier = z.infer<typeof TierSchema>;
export type Profile = z.infer<typeof ProfileSchema>;
export type Params = z.infer<typeof ParamsSchema>;
export type Variant = z.infer<typeof VariantSchema>;
export type InstallTarget = z.infer<typeof InstallTargetSchema>;
export type Fit = z.infer<typeof FitSchema>;
export type ModelEntry = z.infer<typeof ModelEntrySchema>;
export type Index = z.infer<typeof IndexSchema>;
export type ChangelogEntry = z.infer<typeof ChangelogEntrySchema>;
export type Changelog = z.infer<typeof ChangelogSchema>;

/** Validate an index the pipeline is about to publish (or has published) against the strict writer contract. */
export function parseIndex(data: unknown, what = "index"): Index {
  return parseWith(IndexSchema, data, what);
}
