/**
 * small-llm: the small-llm-index catalogue, offline-first, and drivers for local runtimes.
 * Importing this loads no server, dashboard or MCP code: those are separate entry points.
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
} from "../../schema/index.ts";
export { parseIndex, type ReadIndexResult, readIndex, SchemaValidationError } from "../../schema/index.ts";
export { findModel } from "./catalog/find-model.ts";
export {
  DEFAULT_TTL_MS,
  type GetIndexOptions,
  getIndex,
  type IndexResult,
  type IndexSource,
} from "./catalog/get-index.ts";
export { defaultCacheDir } from "./catalog/index-cache.ts";
export {
  type ModelMatch,
  type ModelQuery,
  type Queryable,
  queryModels,
  SORTS,
  type Sort,
} from "./catalog/query-models.ts";
export { DEFAULT_INDEX_URLS, indexUrls } from "./catalog/urls.ts";
export * from "./errors.ts";
export * as format from "./format.ts";
export { budgetFromFits, type MemoryBudget, memoryBudgets } from "./hardware/budgets.ts";
export { detectHardware, type Exec, type Gpu, type Hardware } from "./hardware/detect-hardware.ts";
export { type Paths, paths } from "./paths.ts";
export type { ModelKind } from "./publish/detect-model.ts";
export type { UploadEvent } from "./publish/hub-repo.ts";
export { type PublishOptions, type PublishResult, publishModel } from "./publish/publish-model.ts";
export { type BestFit, bestFit, memoryAt } from "./recommend/best-fit.ts";
export { type Recommendation, type RecommendOptions, recommend } from "./recommend/recommend.ts";
export { createRuntime } from "./runtimes/create-runtime.ts";
export {
  DEFAULT_RUNTIME_URLS,
  type DetectedRuntime,
  type DetectOptions,
  detectRuntimes,
  type RuntimeTarget,
} from "./runtimes/detect.ts";
export {
  buildCreateRequest,
  type CreateModelOptions,
  type CreateRequest,
  createModel,
} from "./runtimes/ollama/create-model.ts";
export { type DriverOptions, OllamaDriver, OllamaRuntime } from "./runtimes/ollama/driver.ts";
export { findOllamaBinary } from "./runtimes/ollama/ensure-server.ts";
export { exportModelfile } from "./runtimes/ollama/export-modelfile.ts";
export { DEFAULT_OLLAMA_HOST, ollamaBaseUrl } from "./runtimes/ollama/host.ts";
export {
  formatModelfile,
  type ModelfileCommand,
  type ModelfileOverrides,
  parseModelfile,
  portableModelfile,
  withOverrides,
} from "./runtimes/ollama/modelfile.ts";
export { KINDS as OPENAI_COMPATIBLE_KINDS, type OpenAIKind } from "./runtimes/openai-compatible/kinds.ts";
export {
  type OpenAICompatibleOptions,
  OpenAICompatibleRuntime,
  type OpenAIRunResult,
} from "./runtimes/openai-compatible/runtime.ts";
export { installedRef, ownerOf, type ResolvedRef, resolveRef, withIndexIds } from "./runtimes/resolve-target.ts";
export { type RunModelOptions, runModel } from "./runtimes/run-model.ts";
export type {
  CallOptions,
  ChatMessage,
  GenerateOptions,
  InstalledModel,
  LoadedModel,
  ProgressOptions,
  PullProgress,
  RunResult,
  Runtime,
  RuntimeKind,
  RuntimeStatus,
  UpdateResult,
} from "./runtimes/runtime.ts";
