/**
 * Everything a delegation decides before calling a model: the checked input, the config, the
 * runtimes and what each has installed (or that it is down), the prompt's size, and the chain.
 * Shared by `delegate()` and `ask --explain`, so the explanation is the plan that would run.
 */
import type { Index } from "../../../schema/index.ts";
import { getIndex } from "../catalog/get-index.ts";
import { memoryBudgets } from "../core/budgets.ts";
import type { SmallLlmError } from "../errors/index.ts";
import { detectHardware, type Hardware } from "../hardware/detect-hardware.ts";
import type { DetectOptions } from "../runtimes/detect.ts";
import type { ChatMessage, InstalledModel, Runtime } from "../runtimes/runtime.ts";
import {
  type AgentRuntimes,
  addDetected,
  agentRuntimes,
  installedOn,
  type OpenAIRuntimeFactory,
} from "./agent-runtimes.ts";
import { measuredSpeeds } from "./bench.ts";
import { type AgentConfig, type ChainEntrySpec, loadConfig } from "./config.ts";
import { ANSWER_RESERVE, estimateTokens } from "./context-size.ts";
import { checkTask, type PreparedInput, prepareInput } from "./prepare.ts";
import { type ResolvedChain, resolveChain } from "./resolve-chain.ts";
import type { TaskName } from "./tasks.ts";

export interface PlanOptions {
  task?: TaskName | string | undefined;
  model?: string | undefined;
  chain?: ChainEntrySpec[] | undefined;
  system?: string | undefined;
  options?: Record<string, unknown> | undefined;
  format?: "json" | Record<string, unknown> | undefined;
  signal?: AbortSignal | undefined;
  runtimes?: Runtime[] | undefined;
  index?: Index | undefined;
  config?: AgentConfig | undefined;
  hardware?: Hardware | undefined;
  openAIRuntime?: OpenAIRuntimeFactory | undefined;
  /** Also use the OpenAI-compatible servers found on their default ports (default true; not with `runtimes`). */
  detect?: boolean | DetectOptions | undefined;
  measured?: ReadonlyMap<string, number> | undefined;
}

export interface Plan {
  task: TaskName;
  config: AgentConfig;
  prepared: PreparedInput;
  runtimes: AgentRuntimes;
  index: Index | undefined;
  promptTokens: number;
  contextTokens: number;
  installed: { runtime: Runtime; models: InstalledModel[] }[];
  down: { runtime: Runtime; error: SmallLlmError }[];
  resolved: ResolvedChain;
}

let hardwareOnce: Promise<Hardware> | undefined;
let speedsOnce: Map<string, number> | undefined;
let indexOnce: { at: number; index: Promise<Index | undefined> } | undefined;
const INDEX_REUSE_MS = 10 * 60_000;

/** The index, loaded at most every ten minutes per process; delegation works without one. */
function sharedIndex(signal?: AbortSignal): Promise<Index | undefined> {
  if (!indexOnce || Date.now() - indexOnce.at > INDEX_REUSE_MS)
    indexOnce = {
      at: Date.now(),
      index: getIndex({ signal }).then(
        (r) => r.index,
        () => undefined,
      ),
    };
  return indexOnce.index;
}

function sharedHardware(): Promise<Hardware> {
  hardwareOnce ??= detectHardware();
  return hardwareOnce;
}

function sharedSpeeds(hardware: Hardware): Map<string, number> {
  speedsOnce ??= measuredSpeeds(hardware);
  return speedsOnce;
}

export async function planDelegation(
  input: string | ChatMessage[],
  options: PlanOptions,
  explain = false,
): Promise<Plan> {
  const task = checkTask(options.task);
  const config = options.config ?? loadConfig();
  const prepared = prepareInput(input, options, config, task);
  const [index, hardware] = await Promise.all([
    options.index ? Promise.resolve(options.index) : sharedIndex(options.signal),
    options.hardware ? Promise.resolve(options.hardware) : sharedHardware(),
  ]);
  const runtimes = agentRuntimes(config, options.runtimes, options.openAIRuntime);
  const detect = options.detect ?? config.detect ?? process.env.SMALL_LLM_DETECT !== "0";
  if (!options.runtimes?.length && detect !== false)
    await addDetected(runtimes, typeof detect === "object" ? detect : {}, options.signal);
  const promptTokens = estimateTokens(prepared.messages, prepared.system);
  const predict = prepared.options.num_predict;
  const contextTokens = Math.max(promptTokens + (predict && predict > 0 ? predict : ANSWER_RESERVE), 2048);
  const listed = await Promise.all(
    runtimes.local.map((runtime) =>
      installedOn(runtime, options.signal).then(
        (models) => ({ runtime, models }),
        (error: SmallLlmError) => ({ runtime, error }),
      ),
    ),
  );
  const down = listed.filter((l): l is { runtime: Runtime; error: SmallLlmError } => "error" in l);
  const installed = listed.filter((l): l is { runtime: Runtime; models: InstalledModel[] } => "models" in l);
  // Measured speed only orders the quick task; read bench.jsonl once per process.
  const measured = options.measured ?? (task === "quick" ? sharedSpeeds(hardware) : undefined);
  const resolved = resolveChain({
    task,
    model: options.model,
    chain: options.chain,
    config,
    runtimes,
    index,
    budgets: memoryBudgets(hardware),
    contextTokens,
    promptTokens,
    format: Boolean(prepared.format),
    images: prepared.messages.some((m) => m.images?.length),
    installed,
    ...(measured ? { measured } : {}),
    explain,
  });
  return { task, config, prepared, runtimes, index, promptTokens, contextTokens, installed, down, resolved };
}
