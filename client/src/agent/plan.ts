/**
 * Everything a delegation decides before calling a model: the checked input, the config, the
 * runtimes and what each has installed (or that it is down), the prompt's size, and the chain.
 * Shared by `delegate()` and `ask --explain`, so the explanation is the plan that would run.
 */
import type { Index } from "../../../schema/index.ts";
import { memoryBudgets } from "../core/budgets.ts";
import type { SmallLlmError } from "../errors/index.ts";
import { calibrateBudgets } from "../recommend/calibrate.ts";
import type { ChatMessage, InstalledModel, Runtime } from "../runtimes/runtime.ts";
import type { AgentRuntimes } from "./agent-runtimes.ts";
import type { AgentConfig } from "./config.ts";
import { ANSWER_RESERVE, estimateTokens } from "./context-size.ts";
import type { DelegateOptions } from "./delegate.ts";
import { checkTask, type PreparedInput, prepareInput } from "./prepare.ts";
import { type ResolvedChain, resolveChain } from "./resolve-chain.ts";
import type { Router } from "./router.ts";
import type { TaskName } from "./tasks.ts";

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

export async function planDelegation(
  router: Router,
  input: string | ChatMessage[],
  options: DelegateOptions,
  explain = false,
): Promise<Plan> {
  const task = checkTask(options.task);
  const config = options.config ?? router.config();
  const prepared = prepareInput(input, options, config, task);
  const { signal } = options;
  const [index, hardware, runtimes] = await Promise.all([
    options.index ? Promise.resolve(options.index) : router.index(signal),
    options.hardware ? Promise.resolve(options.hardware) : router.hardware(),
    router.runtimes(config, options, signal),
  ]);
  // Tool definitions and earlier calls are part of the prompt the model reads.
  const toolText = JSON.stringify([options.tools ?? [], prepared.messages.flatMap((m) => m.toolCalls ?? [])]);
  const promptTokens =
    estimateTokens(prepared.messages, prepared.system) + (toolText.length > 10 ? estimateTokens(toolText) : 0);
  const predict = options.answerReserve ?? prepared.options.num_predict;
  const contextTokens = Math.max(promptTokens + (predict && predict > 0 ? predict : ANSWER_RESERVE), 2048);
  const listed = await Promise.all(
    runtimes.local.map((runtime) =>
      router.installed(runtime, signal).then(
        (models) => ({ runtime, models }),
        (error: SmallLlmError) => {
          if (signal?.aborted) throw error;
          return { runtime, error };
        },
      ),
    ),
  );
  const down = listed.filter((l): l is { runtime: Runtime; error: SmallLlmError } => "error" in l);
  const installed = listed.filter((l): l is { runtime: Runtime; models: InstalledModel[] } => "models" in l);
  // Speeds measured here (bench, earlier calls) beat estimates, and re-fit this machine's constants.
  const here = options.measured ? undefined : router.measuredHere(hardware);
  const measured = options.measured ?? here?.speeds;
  const budgets =
    here && index ? calibrateBudgets(memoryBudgets(hardware), here.runs, index).budgets : memoryBudgets(hardware);
  // Models made here (personas) are looked up only when the chain may be derived from what is installed.
  const madeHere = new Set<string>();
  if (options.model === undefined && !options.chain?.length)
    for (const { runtime, models } of installed)
      for (const name of await router.madeHere(runtime, models, index)) madeHere.add(name);
  const resolved = resolveChain({
    madeHere,
    ...(config.tasks?.[task]?.minTokensPerSecond !== undefined
      ? { minTokensPerSecond: config.tasks[task].minTokensPerSecond }
      : {}),
    task,
    model: options.model,
    chain: options.chain,
    config,
    runtimes,
    index,
    budgets,
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
