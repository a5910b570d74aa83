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
export type { BenchOptions, BenchProgress, BenchResult, Stat } from "./agent/bench.ts";
export { type AgentConfig, AgentConfigSchema, configFile, loadConfig, parseConfig } from "./agent/config.ts";
export {
  type DelegateOptions,
  defaultRouter,
  delegate,
  type LlmFailure,
  type LlmResponse,
  type LlmSuccess,
  resetCooldowns,
} from "./agent/delegate.ts";
export { type Explanation, explainChain } from "./agent/explain.ts";
export {
  type DelegateManyOptions,
  delegateMany,
  quickAnalysis,
  quickAnswer,
  quickCode,
} from "./agent/helpers.ts";
export { benchModels, summarizeMetrics } from "./agent/lazy.ts";
export { type Attempt, appendUsage, metricsFile, type UsageRecord } from "./agent/metrics.ts";
export {
  DEFAULT_PRICE,
  type MetricsGroup,
  type MetricsSummary,
  type Price,
  type SummarizeOptions,
} from "./agent/metrics-summary.ts";
export {
  nearestOption,
  OLLAMA_OPTIONS,
  type OllamaOptions,
  parseOptionPairs,
  validateOptions,
} from "./agent/options.ts";
export { type DiffFile, type FileReview, type Finding, reviewDiff, splitDiff } from "./agent/review.ts";
export { Router, type RouterOptions } from "./agent/router.ts";
export { TASK_NAMES, TASKS, type TaskName } from "./agent/tasks.ts";
export { findModel } from "./catalog/find-model.ts";
export {
  DEFAULT_TTL_MS,
  FIXTURE_WARNING,
  type GetIndexOptions,
  getIndex,
  type IndexResult,
  type IndexSource,
} from "./catalog/get-index.ts";
export { defaultCacheDir } from "./catalog/index-cache.ts";
export { budgetsForFits, checkTier, TASK_TAGS } from "./catalog/model-filters.ts";
export { type SmallTier, type SmallTierEntry, smallTier } from "./catalog/small-tier.ts";
export { DEFAULT_INDEX_URLS, indexUrls } from "./catalog/urls.ts";
export { type BestFit, bestFit, memoryAt } from "./core/best-fit.ts";
export { budgetFromFits, type MemoryBudget, memoryBudgets } from "./core/budgets.ts";
export * as format from "./core/format.ts";
export {
  type ModelMatch,
  type ModelQuery,
  type Queryable,
  queryModels,
  SORTS,
  type Sort,
} from "./core/query-models.ts";
export * from "./errors/index.ts";
export {
  ArchiveError,
  ChecksumError,
  DownloadIncompleteError,
  NoReleaseAssetError,
  NoSpaceError,
  PreflightError,
  ReleaseUnavailableError,
  ServerNotManagedError,
  UpdateRolledBackError,
} from "./errors/index.ts";
export { detectHardware, type Exec, type Gpu, type Hardware } from "./hardware/detect-hardware.ts";
export * as operations from "./operations/index.ts";
export { createOperations, type Operations } from "./operations/index.ts";
export { checkBeforePull, freeDiskBytes, ollamaModelsDir, type PreflightReport } from "./operations/preflight.ts";
export { type Paths, paths } from "./paths.ts";
export type { DownloadProgress } from "./provision/download.ts";
export { findOllamaBinary } from "./provision/ensure-server.ts";
export { type FetchReleaseOptions, fetchRelease } from "./provision/fetch-release.ts";
export {
  describeOwner,
  followLog,
  logTail,
  type ServerState,
  type StopResult,
  serverStatus,
  startServer,
  stopServer,
} from "./provision/lifecycle.ts";
export { chooseAsset, DEFAULT_RELEASES_URL, lookupRelease, type Release } from "./provision/releases.ts";
export { type SetupOptions, type SetupResult, setup } from "./provision/setup.ts";
export {
  type UpdateOllamaOptions,
  type UpdateOllamaResult,
  updateOllama,
} from "./provision/update-ollama.ts";
export type { ModelKind } from "./publish/detect-model.ts";
export type { UploadEvent } from "./publish/hub-repo.ts";
export { type PublishOptions, type PublishResult, publishModel } from "./publish/publish-model.ts";
export { type Recommendation, type RecommendOptions, recommend } from "./recommend/recommend.ts";
export {
  type RecommendationRow,
  type RecommendReport,
  type RecommendReportOptions,
  recommendReport,
} from "./recommend/recommend-report.ts";
export { createRuntime } from "./runtimes/create-runtime.ts";
export {
  DEFAULT_RUNTIME_URLS,
  type DetectedRuntime,
  type DetectOptions,
  detectRuntimes,
  type RuntimeTarget,
} from "./runtimes/detect.ts";
export { type LocalStatus, localStatus } from "./runtimes/local-status.ts";
export {
  buildCreateRequest,
  type CreateModelOptions,
  type CreateRequest,
  createModel,
} from "./runtimes/ollama/create-model.ts";
export { type DriverOptions, OllamaDriver, OllamaRuntime } from "./runtimes/ollama/driver.ts";
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
