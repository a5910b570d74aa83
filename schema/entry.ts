/**
 * The index's shapes, defined once for both sides of the contract:
 * - `write`: what the pipeline may publish — closed vocabularies, every required field;
 * - `read`: what a consumer accepts — vocabularies open (a later minor version may add a runtime
 *   or a count source), unknown fields kept, fields added since v1.0 optional.
 * Identifier patterns are the same on both sides: a value that could reach a shell or a page
 * unescaped never validates, whoever reads it.
 */
import { z } from "zod";
import { HUB_REPO_ID, INDEX_VERSION, OLLAMA_REF, QUANT_LABEL, REPO_FILE_PATH, SLUG } from "./patterns.ts";
import { FIT_BASES, PARAM_SOURCES, PROFILE_KINDS, RUNTIMES, VARIANT_RELATIONS } from "./vocabulary.ts";

export type Mode = "write" | "read";

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
/** A sentence shown to people (descriptions): as `label`, a little longer. */
const sentence = () =>
  z
    .string()
    .min(1)
    .max(300)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
    .regex(/^[^\u0000-\u001f\u007f]+$/, "must be one line of text without control characters");
const bandwidth = () => z.number().positive().describe("Spec-sheet memory bandwidth in GB/s (10⁹ bytes per second).");

export function defineSchemas(mode: Mode) {
  const read = mode === "read";
  // Typed as the writer's objects: the reader's extra fields pass through untyped.
  const object = (read ? z.looseObject : z.object) as typeof z.object;
  /**
   * A closed vocabulary for the writer; for the reader any slug, so that a newer value is no error
   * here (read-index.ts then drops the element that carries it). Typed as the known values either way.
   */
  const vocabulary = <const T extends readonly [string, ...string[]]>(values: T) =>
    (read
      ? z
          .string()
          .regex(SLUG, "must be a lower-case word")
          .describe(`Known values: ${values.map((v) => `\`${v}\``).join(", ")}; later versions may add others.`)
      : z.enum(values)) as unknown as z.ZodEnum<{ [K in T[number]]: K }>;
  /** Fields added after schema 1.0: optional in the types (older indexes lack them); IndexSchema requires them of the writer. */
  const since = <T extends z.ZodType>(schema: T) => schema.optional();

  const Tier = object({
    id: slug().describe("Tier id, e.g. `sub-1b` or `1b-8b`; models refer to it in `tier`."),
    label: label().describe("Human-readable tier name."),
    minParams: count().describe("Smallest total parameter count in the tier (inclusive)."),
    maxParams: count().describe("Largest total parameter count in the tier (inclusive)."),
  }).describe("A size tier. Mixture-of-experts models tier by total parameters.");

  const Profile = object({
    id: slug().describe("Profile id, e.g. `gpu-8gb`; fit verdicts refer to it."),
    label: label().describe("Human-readable hardware description."),
    kind: vocabulary(PROFILE_KINDS).describe(
      "Where the model runs: system RAM (`cpu`), discrete GPU VRAM (`gpu`), or Apple unified memory (`unified`).",
    ),
    memoryBytes: count().describe("Nominal memory of the machine (RAM, VRAM or unified), in bytes."),
    usableBytes: count().describe("Memory a model may take, in bytes, after the OS, apps, driver and runtime margins."),
    contextLength: count().describe("Context length Ollama runs by default on this hardware, in tokens."),
    bandwidthGBs: since(
      bandwidth().describe(
        "Memory bandwidth, GB/s (10⁹ bytes/s), of the memory the model is read from: system RAM (`cpu`), VRAM (`gpu`) or unified memory (`unified`); what `fit[].tokensPerSecond` is estimated from. The device it is taken from is named in `description` (added in 1.2).",
      ),
    ),
    description: since(
      sentence().describe(
        "What the profile assumes beyond its memory size: the device whose bandwidth it uses, and for a GPU the system RAM beside it (added in 1.2).",
      ),
    ),
    host: since(
      object({
        memoryBytes: count().describe("Nominal system RAM, in bytes."),
        usableBytes: count().describe("RAM the layers left over may take, in bytes (the `cpu` rule)."),
        bandwidthGBs: bandwidth(),
      }).describe(
        "GPU profiles: the system RAM beside the GPU, which takes the layers that do not fit in VRAM (partial offload, `fit[].offload`; added in 1.2).",
      ),
    ),
  }).describe("A hardware profile that fit verdicts are computed against.");

  const Params = object({
    total: count().describe("Total parameter count (all experts for mixture-of-experts)."),
    active: count().optional().describe("Parameters active per token, for mixture-of-experts models only."),
    source: vocabulary(PARAM_SOURCES).describe(
      "Where `total` comes from: Hub safetensors metadata (`safetensors`), GGUF metadata (`gguf`), an estimate from config.json (`config`), or a hint in the repo name (`name`, least reliable).",
    ),
  }).describe("Parameter count and its provenance.");

  const Variant = object({
    id: hubRepoId().describe("Hub repo id of the variant."),
    relation: vocabulary(VARIANT_RELATIONS).describe(
      "How it relates to the entry: a quantization, a format conversion (MLX, ONNX, …), or a re-upload of the same weights.",
    ),
    format: slug().describe("Weight format, e.g. `gguf`, `mlx`, `onnx`, `awq`, `gptq`, `bnb`, `fp8`, `safetensors`."),
  }).describe("A repo folded into this entry because it holds the same weights in another form.");

  const OllamaTarget = object({
    runtime: z.enum(RUNTIMES).describe("The runtime the ref is for."),
    ref: z
      .string()
      .regex(OLLAMA_REF, "must be an Ollama model reference like `hf.co/owner/repo:Q4_K_M`")
      .describe(
        "What to pass to `ollama pull` / `ollama run`, e.g. `hf.co/bartowski/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M`.",
      ),
    quant: quantLabel().describe("Quantization of the file the ref resolves to."),
    repo: since(hubRepoId().describe("Hub repo id of the GGUF repo the file is in (added in 1.1).")),
    file: since(
      z
        .string()
        .regex(REPO_FILE_PATH, "must be a relative path inside the repo, like `model-Q4_K_M.gguf`")
        .describe("Path of the GGUF file inside `repo` (the first shard when split; added in 1.1)."),
    ),
    fileBytes: count().describe("Size of the GGUF file (all shards) in bytes."),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, "must be 64 lower-case hex digits")
      .optional()
      .describe("LFS sha256 of the GGUF file (first shard when split), to verify a download."),
    default: z.boolean().describe("The target installers pick when no quant is asked for (Q4_K_M when present)."),
  }).describe("One way to install the model.");
  /**
   * A reader also meets targets for runtimes added later, whose other fields it cannot know: any
   * object whose `runtime` is some other word passes here, and readIndex() leaves it out.
   */
  const InstallTarget = (
    read
      ? z
          .union([
            OllamaTarget,
            z
              .looseObject({
                runtime: z
                  .string()
                  .regex(
                    new RegExp(`^(?!(?:${RUNTIMES.join("|")})$)[a-z0-9]+(?:[-.][a-z0-9]+)*$`),
                    "must be a runtime name",
                  )
                  .describe("A runtime this version of the schema does not know yet."),
              })
              .describe("An install target for a runtime added in a later version: skip it."),
          ])
          .describe("One way to install the model.")
      : OllamaTarget
  ) as typeof OllamaTarget;

  const Fit = object({
    quant: quantLabel().describe("The quant this estimate is for; matches an `install[].quant`."),
    contextLength: count().describe("Context length the estimate assumes, in tokens."),
    memoryBytes: count().describe(
      "Estimated memory to run it: weights + KV cache at `contextLength` + runtime overhead.",
    ),
    fits: z.array(slug()).describe("Ids of the hardware profiles whose usable memory holds `memoryBytes`."),
    kvCacheBytes: count().optional().describe("The KV-cache part of `memoryBytes` (f16 K and V at `contextLength`)."),
    basis: vocabulary(FIT_BASES)
      .optional()
      .describe("`config`: KV cache computed exactly from config.json; `heuristic`: config unavailable, rougher."),
    tokensPerSecond: since(
      z
        .record(slug(), z.number().positive())
        .describe(
          "Estimated decode speed, tokens per second, on each profile in `fits` and in `offload`, by profile id: the mean over a conversation that fills `contextLength` (the KV cache read at half of it), from the bytes read per token and the profile's `bandwidthGBs` (README: the speed estimate). Two significant digits (added in 1.2).",
        ),
    ),
    offload: since(
      z
        .record(
          slug(),
          object({
            gpuLayers: count().describe("Transformer layers in VRAM (at least 1)."),
            totalLayers: count().describe("Transformer layers of the model."),
          }).describe("How the layers split between the GPU and system RAM."),
        )
        .describe(
          "GPU profiles whose VRAM cannot hold `memoryBytes` but that run the quant split, as Ollama does: whole layers in VRAM, the rest in the RAM of the profile's `host`, run by the CPU. Not in `fits`; their speed is in `tokensPerSecond` (added in 1.2).",
        ),
    ),
  }).describe("Hardware fit of one quant at one context length.");

  const ModelEntry = object({
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
    params: Params,
    architecture: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, "must be an architecture name like `llama` or `qwen3`")
      .optional()
      .describe("Model family / architecture, e.g. `llama`, `qwen3`, `gemma3`."),
    contextLength: count().optional().describe("Maximum context length the model was trained for, in tokens."),
    layers: z
      .int()
      .positive()
      .optional()
      .describe(
        "Transformer layers (the block count) from config.json; absent without one. Speed estimates charge a fixed cost per layer and split models by whole layers (added in 1.2).",
      ),
    license: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/, "must be a Hub license id like `apache-2.0`")
      .optional()
      .describe("License id as the Hub tags it, e.g. `apache-2.0`, `mit`, `llama3.2`, `gemma`, `other`."),
    gated: z.boolean().describe("Whether the Hub requires accepting conditions before download."),
    tasks: z
      .array(slug())
      .describe(
        "What it is for: `chat`, `code`, `reasoning`, `math`, `tools`, `vision`, `audio`, `multilingual`, `base`, `guard` (a safety classifier that answers in text; never also `chat`); later versions may add others.",
      ),
    downloads: count().describe("Hub downloads over the last 30 days (this repo plus its folded variants)."),
    likes: count().describe("Hub likes of this repo."),
    createdAt: isoDate().describe("When the repo was created (ISO 8601)."),
    lastModified: isoDate().describe("When the repo was last changed (ISO 8601)."),
    baseModel: hubRepoId().optional().describe("Hub id of the model this one is fine-tuned or merged from."),
    variants: z.array(Variant).describe("Repos folded into this entry: quantizations, conversions, re-uploads."),
    install: z.array(InstallTarget).describe("Install targets; empty when no GGUF build exists yet."),
    fit: z.array(Fit).describe("Memory estimate and fitting profiles per quant."),
  }).describe("One set of weights: a base model or a fine-tune, with its variants folded in.");

  const Index = object({
    schemaVersion: z.literal(SCHEMA_VERSION).describe("Major version of this schema."),
    version: z
      .string()
      .regex(INDEX_VERSION, "must be `YYYY-MM-DD.` followed by 8 hex digits")
      .describe("Index version: UTC date + first 8 hex digits of the content hash, e.g. `2026-11-23.3f9a1c2b`."),
    generatedAt: isoDate().describe("When this content was first generated (ISO 8601)."),
    fixture: z
      .boolean()
      .optional()
      .describe("True when built from the test fixture catalogue rather than the live Hub."),
    tiers: z.array(Tier).min(1).describe("The size tiers."),
    profiles: z.array(Profile).min(1).describe("The hardware profiles fit verdicts refer to."),
    models: z.array(ModelEntry).describe("The models, sorted by id."),
  });

  return { Tier, Profile, Params, Variant, InstallTarget, Fit, ModelEntry, Index };
}
