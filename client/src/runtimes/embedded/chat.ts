/**
 * One chat turn through llama.cpp: the messages become node-llama-cpp's chat history, rendered by
 * the model's own template (`chatWrapper: "auto"` reads `tokenizer.chat_template`), the model's
 * response is generated after it, text streams to `onToken`, and the counts come from the
 * sequence's token meter. Each call gets a fresh sequence, so nothing of an earlier call leaks into
 * this one. Tools become node-llama-cpp functions without handlers: the calls the model makes come
 * back to the caller (as OpenAI's API returns them) instead of being run here.
 */
import type {
  ChatHistoryItem,
  ChatModelFunctionCall,
  ChatModelFunctions,
  ChatModelResponse,
  Llama,
  LlamaContext,
  LlamaGrammar,
} from "node-llama-cpp";
import { CancelledError, ContextTooLongError, InvalidArgumentError } from "../../errors/index.ts";
import type { ChatMessage, RunResult, ToolCall, ToolSpec } from "../runtime.ts";
import { argumentsObject, newToolCallId } from "../tool-calls.ts";
import type { NodeLlamaCpp } from "./engine.ts";
import type { PromptSettings } from "./options.ts";

export interface ChatInput {
  engine: NodeLlamaCpp;
  llama: Llama;
  context: LlamaContext;
  messages: ChatMessage[];
  prompt: PromptSettings;
  format?: "json" | Record<string, unknown> | undefined;
  /** The tools the model may call (already narrowed by the tool choice); none for a plain chat. */
  tools?: ToolSpec[] | undefined;
  onToken?: ((text: string) => void) | undefined;
  signal?: AbortSignal | undefined;
  /** When the call began (before any load), for latency. */
  startedAt: number;
}

export type ChatOutput = Pick<
  RunResult,
  | "text"
  | "doneReason"
  | "latencyMs"
  | "promptTokens"
  | "outputTokens"
  | "tokensPerSecond"
  | "promptTokensPerSecond"
  | "toolCalls"
> & { ignored: string[] };

/**
 * The chat history node-llama-cpp renders, ending with the model's turn to generate: an empty one
 * after a user message, or the assistant's tool calls with their results after `tool` messages (the
 * model goes on from there). With `withTools`, an assistant's calls and the results that answer them
 * (by id, else by name, else in order) become function calls the template renders its own way;
 * without, a result reaches the model as user text, as in a template without tools.
 */
export function toHistory(
  messages: ChatMessage[],
  withTools = false,
): { history: ChatHistoryItem[]; ignored: string[] } {
  const last = messages.at(-1);
  if (last?.role !== "user" && last?.role !== "tool")
    throw new InvalidArgumentError(
      "a chat must end with a user message (or tool results): that is the turn the model answers",
    );
  const ignored = messages.some((m) => m.images?.length) ? ["images"] : [];
  const history: ChatHistoryItem[] = [];
  /** The calls of the last assistant turn still waiting for their results. */
  let open: { call: ToolCall; item: ChatModelFunctionCall }[] = [];
  for (const m of messages) {
    if (m.role === "tool") {
      const i = answered(open, m);
      const waiting = i >= 0 ? open[i] : undefined;
      if (waiting) {
        waiting.item.result = m.content;
        open.splice(i, 1);
        continue;
      }
      history.push({ type: "user", text: `Tool result:\n${m.content}` });
      continue;
    }
    open = [];
    if (m.role === "system") history.push({ type: "system", text: m.content });
    else if (m.role === "user") history.push({ type: "user", text: m.content });
    else {
      const response: ChatModelResponse["response"] = m.content ? [m.content] : [];
      for (const call of withTools ? (m.toolCalls ?? []) : []) {
        const item: ChatModelFunctionCall = {
          type: "functionCall",
          name: call.name,
          params: argumentsObject(call.arguments) ?? call.arguments,
          result: "",
        };
        response.push(item);
        open.push({ call, item });
      }
      if (!withTools && m.toolCalls?.length)
        response.push(m.toolCalls.map((c) => `Called ${c.name}(${c.arguments})`).join("\n"));
      history.push({ type: "model", response });
    }
  }
  // After a user turn the model answers in a turn of its own; after tool results it goes on in the
  // turn that made the calls.
  if (history.at(-1)?.type !== "model") history.push({ type: "model", response: [] });
  return { history, ignored };
}

/** Which open call a tool message answers: by id, else by name, else the first still open. */
function answered(open: { call: ToolCall }[], m: ChatMessage): number {
  if (m.toolCallId) {
    const byId = open.findIndex((o) => o.call.id === m.toolCallId);
    if (byId >= 0) return byId;
  }
  if (m.toolName) {
    const byName = open.findIndex((o) => o.call.name === m.toolName);
    if (byName >= 0) return byName;
  }
  return open.length ? 0 : -1;
}

/** Tools as node-llama-cpp functions with no handler: a call ends the turn and comes back to us. */
function functionsFor(tools: ToolSpec[]): ChatModelFunctions {
  const functions: Record<string, ChatModelFunctions[string]> = {};
  for (const t of tools)
    functions[t.name] = {
      ...(t.description ? { description: t.description } : {}),
      ...(t.parameters ? { params: t.parameters as ChatModelFunctions[string]["params"] } : {}),
    };
  return functions;
}

async function grammarFor(llama: Llama, format: ChatInput["format"]): Promise<LlamaGrammar | undefined> {
  if (!format) return undefined;
  if (format === "json") return llama.getGrammarFor("json");
  try {
    return await llama.createGrammarForJsonSchema(format as Parameters<Llama["createGrammarForJsonSchema"]>[0]);
  } catch (error) {
    throw new InvalidArgumentError(
      `llama.cpp cannot turn this JSON Schema into a grammar (${(error as Error).message}); ` +
        'simplify it (objects, arrays, enums, const, basic types) or pass format "json"',
      { cause: error },
    );
  }
}

export async function chatTurn(input: ChatInput): Promise<ChatOutput> {
  const { engine, context, prompt } = input;
  const tools = input.tools?.length ? input.tools : undefined;
  const { history, ignored } = toHistory(input.messages, tools !== undefined);
  // llama.cpp constrains a turn by one grammar: offered tools take it, and the format is said to be left out.
  if (tools && input.format) ignored.push("format");
  const grammar = tools ? undefined : await grammarFor(input.llama, input.format);
  const sequence = context.getSequence();
  const chat = new engine.LlamaChat({ contextSequence: sequence, autoDisposeSequence: false });
  const before = sequence.tokenMeter.getState();
  let firstAt: number | undefined;
  let lastAt: number | undefined;
  let answer = "";
  const promptAt = performance.now();
  try {
    const result = await chat.generateResponse(history, {
      ...prompt,
      ...(tools ? { functions: functionsFor(tools) } : grammar ? { grammar } : {}),
      ...(input.signal ? { signal: input.signal } : {}),
      // Throw on abort (below it becomes CancelledError) rather than return half an answer as if done.
      stopOnAbortSignal: false,
      onTextChunk: (chunk) => {
        if (!chunk) return;
        lastAt = performance.now();
        firstAt ??= lastAt;
        answer += chunk;
        input.onToken?.(chunk);
      },
    });
    const used = sequence.tokenMeter.diff(before);
    const end = performance.now();
    // A call's own tokens stream to no one: its end is the answer's end.
    const stopped = result.functionCalls?.length ? end : (lastAt ?? end);
    const generating = firstAt !== undefined ? stopped - firstAt : 0;
    // Prompt speed: the prompt's tokens over the time to the first answer token (that token included).
    const promptMs = (firstAt ?? stopped) - promptAt;
    const toolCalls = (result.functionCalls ?? []).map(
      (c): ToolCall => ({ id: newToolCallId(), name: c.functionName, arguments: JSON.stringify(c.params ?? {}) }),
    );
    return {
      text: result.response,
      doneReason: toolCalls.length ? "stop" : result.metadata.stopReason === "maxTokens" ? "length" : "stop",
      latencyMs: Math.round((firstAt ?? stopped) - input.startedAt),
      promptTokens: used.usedInputTokens,
      outputTokens: used.usedOutputTokens,
      // Decode speed: the tokens after the first over the time between first and last (the first
      // one's time is prompt processing). Fewer than two tokens give no speed.
      ...(used.usedOutputTokens > 1 && generating > 0
        ? { tokensPerSecond: ((used.usedOutputTokens - 1) * 1000) / generating }
        : {}),
      ...(used.usedInputTokens > 0 && promptMs > 0
        ? { promptTokensPerSecond: (used.usedInputTokens * 1000) / promptMs }
        : {}),
      ...(toolCalls.length ? { toolCalls } : {}),
      ignored,
    };
  } catch (error) {
    if (input.signal?.aborted)
      throw new CancelledError(`the answer (after ${answer.length} characters)`, { cause: error });
    // node-llama-cpp's words for a conversation that no context shift can fit.
    if (/fits the context size|too long prompt/i.test((error as Error).message))
      throw new ContextTooLongError(
        `the conversation does not fit a context of ${context.contextSize} tokens; raise num_ctx (--option num_ctx=8192) or shorten it`,
        { cause: error },
      );
    throw error;
  } finally {
    chat.dispose({ disposeSequence: false });
    sequence.dispose();
  }
}
