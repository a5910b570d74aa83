/**
 * The contract between the parts: the versioned index of small LLMs.
 * zod is the source of truth; `npm run schema` derives index.schema.json (JSON Schema 2020-12)
 * from it for consumers in other languages. Field names here are a public interface: add, never rename.
 */
import { z } from "zod";
import { HUB_REPO_ID, INDEX_VERSION, OLLAMA_REF, QUANT_LABEL, SLUG } from "./patterns.ts";

export * from "./patterns.ts";

/** The major version of this schema; it is also the `v1/` in the published paths. */
export const SCHEMA_VERSION = 1;

const count = () => z.int().nonnegative();
const hubRepoId = () =>
  z.string().regex(HUB_REPO_ID, "must be a Hub repo id like `owner/name` (letters, digits, `.`, `_`, `-`)");
const quantLabel = () => z.string().regex(QUANT_LABEL, "must be a GGUF quant label like `Q4_K_M`, `IQ3_XXS`, `F16`");
const slug = () => z.string().regex(SLUG, "must be a lower-case slug like `sub-1b`");
const isoDate = () => z.iso.datetime({ offset: true });
/** Free text shown to people (names): bounded, single line, no control characters. */
const label = () =>
  z
    .string()
    .min(1)
    .max(200)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
    .regex(/^[^\u0000-\u001f\u007f]+$/, "must be one line of text without control characters");

export const TierSchema = z
  .object({
    id: slug().describe("Tier id, e.g. `sub-1b` or `1b-8b`; models refer to it in `tier`."),
    label: label().describe("Human-readable tier name."),
    minParams: count().describe("Smallest total parameter count in the tier (inclusive)."),
    maxParams: count().describe("Largest total parameter count in the tier (inclusive)."),
  })
  .describe("A size tier. Mixture-of-experts models tier by total parameters.");

export const ProfileSchema = z
  .object({
    id: slug().describe("Profile id, e.g. `gpu-8gb`; fit verdicts refer to it."),
    label: label().describe("Human-readable hardware description."),
    kind: z
      .enum(["cpu", "gpu", "unified"])
      .describe("Where the model runs: system RAM, discrete GPU VRAM, or Apple unified memory."),
    memoryBytes: count().describe("Nominal memory of the machine (RAM, VRAM or unified), in bytes."),
    usableBytes: count().describe("Memory a model may take, in bytes, after the OS, apps, driver and runtime margins."),
    contextLength: count().describe("Context length Ollama runs by default on this hardware, in tokens."),
  })
  .describe("A hardware profile that fit verdicts are computed against.");

export const ParamsSchema = z
  .object({
    total: count().describe("Total parameter count (all experts for mixture-of-experts)."),
    active: count().optional().describe("Parameters active per token, for mixture-of-experts models only."),
    source: z
      .enum(["safetensors", "gguf", "config", "name"])
      .describe(
        "Where `total` comes from: Hub safetensors metadata, GGUF metadata, an estimate from config.json, or a hint in the repo name (least reliable).",
      ),
  })
  .describe("Parameter count and its provenance.");

export const VariantSchema = z
  .object({
    id: hubRepoId().describe("Hub repo id of the variant."),
    relation: z
      .enum(["quantized", "converted", "reupload"])
      .describe(
        "How it relates to the entry: a quantization, a format conversion (MLX, ONNX, …), or a re-upload of the same weights.",
      ),
    format: slug().describe("Weight format, e.g. `gguf`, `mlx`, `onnx`, `awq`, `gptq`, `bnb`, `fp8`, `safetensors`."),
  })
  .describe("A repo folded into this entry because it holds the same weights in another form.");

export const InstallTargetSchema = z
  .object({
    runtime: z.literal("ollama").describe("The runtime the ref is for."),
    ref: z
      .string()
      .regex(OLLAMA_REF, "must be an Ollama model reference like `hf.co/owner/repo:Q4_K_M`")
      .describe(
        "What to pass to `ollama pull` / `ollama run`, e.g. `hf.co/bartowski/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M`.",
      ),
    quant: quantLabel().describe("Quantization of the file the ref resolves to."),
    fileBytes: count().describe("Size of the GGUF file (all shards) in bytes."),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, "must be 64 lower-case hex digits")
      .optional()
      .describe("LFS sha256 of the GGUF file (first shard when split), to verify a download."),
    default: z.boolean().describe("The target installers pick when no quant is asked for (Q4_K_M when present)."),
  })
  .describe("One way to install the model.");

export const FitSchema = z
  .object({
    quant: quantLabel().describe("The quant this estimate is for; matches an `install[].quant`."),
    contextLength: count().describe("Context length the estimate assumes, in tokens."),
    memoryBytes: count().describe(
      "Estimated memory to run it: weights + KV cache at `contextLength` + runtime overhead.",
    ),
    fits: z.array(slug()).describe("Ids of the hardware profiles whose usable memory holds `memoryBytes`."),
    kvCacheBytes: count().optional().describe("The KV-cache part of `memoryBytes` (f16 K and V at `contextLength`)."),
    basis: z
      .enum(["config", "heuristic"])
      .optional()
      .describe("`config`: KV cache computed exactly from config.json; `heuristic`: config unavailable, rougher."),
  })
  .describe("Hardware fit of one quant at one context length.");

export const ModelEntrySchema = z
  .object({
    id: hubRepoId().describe("Canonical Hub repo id of the weights, e.g. `Qwen/Qwen2.5-0.5B-Instruct`."),
    name: label().describe("Display name."),
    author: z
      .string()
      .regex(/^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?$/, "must be a Hub user or organisation name")
      .describe("Hub user or organisation that publishes the weights."),
    revision: z
      .string()
      .regex(/^[0-9a-f]{40}$/, "must be a 40-hex commit sha")
      .describe("Commit sha of the repo revision that was indexed."),
    tier: slug().describe("Id of the tier (see `tiers`)."),
    params: ParamsSchema,
    architecture: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, "must be an architecture name like `llama` or `qwen3`")
      .optional()
      .describe("Model family / architecture, e.g. `llama`, `qwen3`, `gemma3`."),
    contextLength: count().optional().describe("Maximum context length the model was trained for, in tokens."),
    license: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/, "must be a Hub license id like `apache-2.0`")
      .optional()
      .describe("License id as the Hub tags it, e.g. `apache-2.0`, `mit`, `llama3.2`, `gemma`, `other`."),
    gated: z.boolean().describe("Whether the Hub requires accepting conditions before download."),
    tasks: z
      .array(slug())
      .describe("What it is for: `chat`, `code`, `reasoning`, `math`, `tools`, `vision`, `multilingual`, `base`."),
    downloads: count().describe("Hub downloads over the last 30 days (this repo plus its folded variants)."),
    likes: count().describe("Hub likes of this repo."),
    createdAt: isoDate().describe("When the repo was created (ISO 8601)."),
    lastModified: isoDate().describe("When the repo was last changed (ISO 8601)."),
    baseModel: hubRepoId().optional().describe("Hub id of the model this one is fine-tuned or merged from."),
    variants: z.array(VariantSchema).describe("Repos folded into this entry: quantizations, conversions, re-uploads."),
    install: z.array(InstallTargetSchema).describe("Install targets; empty when no GGUF build exists yet."),
    fit: z.array(FitSchema).describe("Memory estimate and fitting profiles per quant."),
  })
  .describe("One set of weights: a base model or a fine-tune, with its variants folded in.");

const IndexObject = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION).describe("Major version of this schema."),
  version: z
    .string()
    .regex(INDEX_VERSION, "must be `YYYY-MM-DD.` followed by 8 hex digits")
    .describe("Index version: UTC date + first 8 hex digits of the content hash, e.g. `2026-11-23.3f9a1c2b`."),
  generatedAt: isoDate().describe("When this content was first generated (ISO 8601)."),
  fixture: z.boolean().optional().describe("True when built from the test fixture catalogue rather than the live Hub."),
  tiers: z.array(TierSchema).min(1).describe("The size tiers."),
  profiles: z.array(ProfileSchema).min(1).describe("The hardware profiles fit verdicts refer to."),
  models: z.array(ModelEntrySchema).describe("The models, sorted by id."),
});

/** Cross-field rules that a JSON Schema cannot state: ids resolve, quants agree, no duplicates. */
export const IndexSchema = IndexObject.superRefine((index, ctx) => {
  const tiers = new Map(index.tiers.map((t) => [t.id, t]));
  const profiles = new Set(index.profiles.map((p) => p.id));
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
    });
  });
});

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

/** A value that does not satisfy the contract; the message lists each failing field by path. */
export class SchemaValidationError extends Error {
  override readonly name = "SchemaValidationError";
  constructor(
    readonly what: string,
    readonly issues: readonly { path: string; message: string }[],
    options?: ErrorOptions,
  ) {
    const shown = issues.slice(0, 10).map((i) => `  ${i.path || "(root)"}: ${i.message}`);
    if (issues.length > 10) shown.push(`  … and ${issues.length - 10} more`);
    super(`${what} does not match schema v${SCHEMA_VERSION}:\n${shown.join("\n")}`, options);
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    "",
  );
}

/** Parse with zod and turn failures into one error whose message names every bad field. */
export function parseWith<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
  throw new SchemaValidationError(what, issues, { cause: result.error });
}

/** Validate an index (from the network, a cache, or the pipeline) against the contract. */
export function parseIndex(data: unknown, what = "index"): Index {
  return parseWith(IndexSchema, data, what);
}
