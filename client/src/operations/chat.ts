/**
 * One turn of a conversation: the whole history goes to the model (Ollama `/api/chat`), the answer
 * streams back. The model is named as `run` names it (an index id, a runtime name), or not at all:
 * then the best chat model installed here — the largest chat model that fits this machine, as the
 * `analysis` chain orders them. Nothing installed is an error that says what to install, never a
 * download nobody asked for.
 */
import { z } from "zod";
import { deriveChain } from "../agent/tasks.ts";
import { memoryBudgets } from "../core/budgets.ts";
import { NoModelAvailableError } from "../errors/index.ts";
import { recommend } from "../recommend/recommend.ts";
import type { ChatMessage } from "../runtimes/runtime.ts";
import { Message } from "./ask.ts";
import { type OperationContext, parseInput } from "./context.ts";
import { type GenerateHooks, type GenerateResult, generate } from "./generate.ts";
import { modelName } from "./models.ts";
import { generationFields } from "./run.ts";

export const ChatInput = z.strictObject({
  model: modelName.optional().describe("The model; default: the best chat model installed here"),
  messages: z.array(Message).min(1).max(10_000).describe("The conversation so far, ending with the user's turn"),
  ...generationFields,
});
export type ChatInput = z.input<typeof ChatInput>;

export type ChatTurnResult = GenerateResult & { asked: string };

/** The best chat model installed here: what a conversation uses when no model is named. */
export async function bestChatModel(ctx: OperationContext, signal?: AbortSignal): Promise<string> {
  const [index, hardware, models] = await Promise.all([
    ctx.router.index(signal),
    ctx.router.hardware(),
    ctx.router.installed(ctx.runtime, signal),
  ]);
  const budgets = memoryBudgets(hardware);
  const madeHere = await ctx.router.madeHere(ctx.runtime, models, index);
  const derived = deriveChain({
    madeHere,
    task: "analysis",
    installed: [{ runtime: ctx.runtime, models }],
    index,
    budgets,
    contextTokens: 4096,
  });
  const best = derived.chain[0];
  if (best) return best.ref;
  const pick = index ? recommend(index, hardware, { task: "chat", limit: 1 })[0] : undefined;
  throw new NoModelAvailableError(
    `no chat model is installed${models.length ? ` (of the ${models.length} installed, none chats or fits here)` : ""}. ` +
      (pick
        ? `Install one first: small-llm install ${pick.model.id} — or name any model: small-llm chat <id|ref>`
        : "Install one first (`small-llm recommend` lists what fits), or name any model: small-llm chat <id|ref>"),
  );
}

export async function chatTurn(
  ctx: OperationContext,
  raw: ChatInput,
  hooks: GenerateHooks = {},
): Promise<ChatTurnResult> {
  const { messages, model, ...spec } = parseInput(ChatInput, raw, ctx);
  const asked = model ?? (await bestChatModel(ctx, hooks.signal));
  const result = await generate(ctx, { kind: "chat", model: asked, ...spec }, messages as ChatMessage[], hooks);
  return { ...result, asked };
}
