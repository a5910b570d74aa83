/** small-llm: the small-llm-index catalogue, offline-first, and a driver for a local Ollama. */
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
} from "../../schema/index.ts";
export { parseIndex, SchemaValidationError } from "../../schema/index.ts";
export * from "./errors.ts";
export { detectHardware, type Exec, type Gpu, type Hardware } from "./hardware/detect-hardware.ts";
export {
  DEFAULT_TTL_MS,
  type GetIndexOptions,
  getIndex,
  type IndexResult,
  type IndexSource,
} from "./index-source/get-index.ts";
export { defaultCacheDir } from "./index-source/index-cache.ts";
export { DEFAULT_INDEX_URLS, indexUrls } from "./index-source/urls.ts";
export {
  type ChatMessage,
  type DriverOptions,
  type InstalledModel,
  OllamaDriver,
  type OllamaStatus,
  type PullProgress,
  type RunResult,
  type UpdateResult,
} from "./ollama/driver.ts";
export { DEFAULT_OLLAMA_HOST, ollamaBaseUrl } from "./ollama/host.ts";
export { resolveRef } from "./ollama/model-ref.ts";
export {
  bestFit,
  budgetFromFits,
  type MemoryBudget,
  memoryBudgets,
  type Recommendation,
  type RecommendOptions,
  recommend,
} from "./recommend.ts";
