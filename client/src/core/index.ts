/**
 * `small-llm/core`: the part of the client the website shares, safe in a browser — the index's
 * types and pure rules (usable memory, quant order), formatting, memory budgets, best fit, the speed
 * estimate and the quant a machine should run, queries and ranking. It imports no Node built-in and
 * no zod at run time (the schema's types only), so a page's script stays small.
 */
export type {
  ChangelogEntry,
  Fit,
  Index,
  InstallTarget,
  ModelEntry,
  Params,
  Profile,
  Tier,
  Variant,
} from "../../../schema/index.ts";
export { HUB_REPO_ID, hfOllamaRef, OLLAMA_REF, QUANT_LABEL } from "../../../schema/patterns.ts";
export { PROFILES, usableBytes } from "../../../schema/profiles.ts";
export { QUANT_QUALITY, quantRank } from "../../../schema/quants.ts";
// The estimator is pure arithmetic (no zod, no I/O): the site estimates speeds with the client's own code.
export {
  bytesPerToken,
  DEFAULT_CONSTANTS,
  type Device,
  type DeviceConstants,
  type DeviceKind,
  decodeTokensPerSecond,
  FALLBACK_LAYERS,
  type ModelTraffic,
  roundSpeed,
} from "../../../schema/speed.ts";
export * from "./best-fit.ts";
export * from "./budgets.ts";
export * from "./choose-quant.ts";
export * from "./estimate-speed.ts";
export * from "./format.ts";
export * from "./query-models.ts";
export * from "./rank.ts";
