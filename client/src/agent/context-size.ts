/**
 * No silent truncation. Ollama cuts a prompt longer than the context it loaded the model with
 * (4096 tokens by default on small machines, OLLAMA_CONTEXT_LENGTH) and says nothing. So estimate
 * the prompt's tokens, and when prompt + answer would not fit, ask for a larger `num_ctx` — as large
 * as needed, but within the model's maximum and what fits in memory — or say plainly that it will
 * be cut.
 */
import type { ChatMessage } from "../runtimes/runtime.ts";

/** Ollama's default context when the server's own setting is unknown (envconfig: 4096 below 24 GiB of VRAM). */
export const OLLAMA_DEFAULT_CONTEXT = 4096;
/** Room kept for the answer when num_predict does not say. */
export const ANSWER_RESERVE = 1024;

/**
 * Tokens in a text, estimated high on purpose (under-estimating is what truncates): about 3 bytes
 * per token, where English prose runs near 4 and code or other scripts nearer 3 (UTF-8 bytes count
 * a CJK character as 3, which is about one token). Plus a few tokens per message for the template.
 */
export function estimateTokens(input: string | readonly ChatMessage[], system?: string): number {
  const parts = typeof input === "string" ? [input] : input.map((m) => m.content);
  if (system) parts.push(system);
  let total = 0;
  for (const p of parts) total += Math.ceil(Buffer.byteLength(p, "utf8") / 3) + 8;
  return total;
}

export interface ContextPlan {
  promptTokens: number;
  /** Context the call needs: the prompt plus room for the answer. */
  neededTokens: number;
  /** The num_ctx to send, when the default is too small and the caller did not set one. */
  numCtx?: number;
  /** Set when even the largest possible context is too small: how the prompt will be cut. */
  truncation?: string;
}

export interface PlanInput {
  promptTokens: number;
  /** num_predict the caller asked for, if any. */
  numPredict?: number | undefined;
  /** num_ctx the caller set explicitly: respected, only checked. */
  numCtx?: number | undefined;
  /** The server's context when nothing is sent. */
  defaultContext?: number | undefined;
  /** The most this model can take here: its maximum, capped by memory (undefined: unknown). */
  maxContext?: number | undefined;
}

const roundUp = (n: number) => Math.ceil(n / 1024) * 1024;

export function planContext(input: PlanInput): ContextPlan {
  const reserve = input.numPredict && input.numPredict > 0 ? input.numPredict : ANSWER_RESERVE;
  const neededTokens = input.promptTokens + reserve;
  const plan: ContextPlan = { promptTokens: input.promptTokens, neededTokens };
  const current = input.numCtx ?? input.defaultContext ?? OLLAMA_DEFAULT_CONTEXT;
  if (neededTokens <= current) return plan;
  if (input.numCtx !== undefined) {
    plan.truncation = `the prompt (~${input.promptTokens} tokens) and answer need ~${neededTokens} tokens, more than the num_ctx ${input.numCtx} you set: Ollama will cut the start of the prompt`;
    return plan;
  }
  const wanted = roundUp(neededTokens);
  const max = input.maxContext;
  if (max === undefined || wanted <= max) {
    plan.numCtx = wanted;
    return plan;
  }
  if (max > current) plan.numCtx = max;
  plan.truncation = `the prompt (~${input.promptTokens} tokens) and answer need ~${neededTokens} tokens, but this model runs at most ${max} here: Ollama will cut the start of the prompt`;
  return plan;
}
