/**
 * The closed vocabularies of the index. The writer (the pipeline) may only use these values; a
 * reader must expect more of them in later minor versions, so every consumer reads with the
 * tolerant reader (read-index.ts), which drops only what carries a value it does not know.
 */

/** Runtimes an install target can be for. */
export const RUNTIMES = ["ollama"] as const;
/** Where a parameter count comes from, most reliable first. */
export const PARAM_SOURCES = ["safetensors", "gguf", "config", "name"] as const;
/** How a folded repo relates to the entry it was folded into. */
export const VARIANT_RELATIONS = ["quantized", "converted", "reupload"] as const;
/** What a KV-cache estimate was computed from. */
export const FIT_BASES = ["config", "heuristic"] as const;
/** Where a model runs on a hardware profile. */
export const PROFILE_KINDS = ["cpu", "gpu", "unified"] as const;

export type Runtime = (typeof RUNTIMES)[number];
export type ParamSource = (typeof PARAM_SOURCES)[number];
export type VariantRelation = (typeof VARIANT_RELATIONS)[number];
export type FitBasis = (typeof FIT_BASES)[number];
export type ProfileKind = (typeof PROFILE_KINDS)[number];
