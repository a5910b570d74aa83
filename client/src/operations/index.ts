/**
 * The operations every adapter (CLI, HTTP API, MCP, dashboard, gateway) calls: each takes one zod
 * input and gives one result type, so the adapters only parse, call and render.
 */

import { ask } from "./ask.ts";
import { listModels, recommendModels, showModel } from "./catalog.ts";
import { chatTurn } from "./chat.ts";
import type { OperationContext } from "./context.ts";
import { listLoaded, stopModel } from "./loaded.ts";
import { installModel, listInstalled, removeModel, updateModels } from "./models.ts";
import { runModel } from "./run.ts";
import { status } from "./status.ts";
import { updateOllamaOperation } from "./update-ollama.ts";

export { type AskHooks, AskInput, ask } from "./ask.ts";
export {
  ListModelsInput,
  type ListModelsResult,
  listModels,
  type ModelRow,
  RecommendInput,
  recommendModels,
  ShowModelInput,
  type ShowModelResult,
  showModel,
} from "./catalog.ts";
export { bestChatModel, ChatInput, type ChatTurnResult, chatTurn } from "./chat.ts";
export { type CallHooks, type IndexSummary, indexSummary, type OperationContext } from "./context.ts";
export type { GenerateHooks, GenerateResult } from "./generate.ts";
export { type LoadedRow, listLoaded, processorSplit, StopInput, type StopResult, stopModel } from "./loaded.ts";
export {
  InstallInput,
  installModel,
  listInstalled,
  modelName,
  preflightPull,
  RemoveInput,
  removeModel,
  UpdateInput,
  updateModels,
} from "./models.ts";
export { RunInput, runModel } from "./run.ts";
export { StatusInput, type StatusReport, status } from "./status.ts";
export { type UpdateOllamaHooks, UpdateOllamaInput, updateOllamaOperation } from "./update-ollama.ts";

type Rest<F> = F extends (ctx: OperationContext, ...rest: infer R) => infer T ? (...rest: R) => T : never;
const bind = <F extends (ctx: OperationContext, ...rest: never[]) => unknown>(ctx: OperationContext, f: F) =>
  ((...rest: never[]) => f(ctx, ...rest)) as Rest<F>;

/** Every operation bound to one context: what an adapter holds. */
export function createOperations(ctx: OperationContext) {
  return {
    context: ctx,
    listModels: bind(ctx, listModels),
    showModel: bind(ctx, showModel),
    recommend: bind(ctx, recommendModels),
    install: bind(ctx, installModel),
    update: bind(ctx, updateModels),
    remove: bind(ctx, removeModel),
    listInstalled: bind(ctx, listInstalled),
    run: bind(ctx, runModel),
    chat: bind(ctx, chatTurn),
    loaded: bind(ctx, listLoaded),
    stop: bind(ctx, stopModel),
    updateOllama: bind(ctx, updateOllamaOperation),
    status: bind(ctx, status),
    ask: bind(ctx, ask),
  };
}

export type Operations = ReturnType<typeof createOperations>;
