/**
 * The OpenAI chat-completions protocol as local servers speak it, with the extra fields each adds
 * (../shared/reference/agents-and-runtimes.md §B.1): llama.cpp `timings`, LM Studio `stats`,
 * LocalAI `timing_*` inside `usage` (milliseconds, sent when the request has `Extra-Usage: true`).
 * Everything arriving is untrusted: readers check types before use.
 */

export type ContentPart = { type: "text"; text: string } | { type: "image_url"; image_url: { url: string } };

export interface ChatCompletionMessage {
  role: "system" | "user" | "assistant" | "tool";
  /** `null` for an assistant turn that only calls tools. */
  content: string | ContentPart[] | null;
  tool_calls?: { id: string; type: "function"; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

export interface FunctionTool {
  type: "function";
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

export type ToolChoiceParam = "auto" | "none" | "required" | { type: "function"; function: { name: string } };

/** A tool call as a stream carries it: the first delta of a call has its id and name, later ones argument text. */
export interface ToolCallDelta {
  index?: number;
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string };
}

export interface ChatCompletionRequest {
  model: string;
  messages: ChatCompletionMessage[];
  stream: true;
  stream_options: { include_usage: true };
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  seed?: number;
  stop?: string | string[];
  presence_penalty?: number;
  frequency_penalty?: number;
  response_format?:
    | { type: "json_object" }
    | { type: "json_schema"; json_schema: { name: string; schema: Record<string, unknown> } };
  tools?: FunctionTool[];
  tool_choice?: ToolChoiceParam;
  /** Sampling extensions llama.cpp, vLLM, LM Studio and LocalAI accept (never sent to a cloud endpoint). */
  top_k?: number;
  min_p?: number;
  typical_p?: number;
  repeat_penalty?: number;
}

export interface Usage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  /** LocalAI, milliseconds. */
  timing_prompt_processing?: number;
  timing_token_generation?: number;
}

/** llama.cpp llama-server, on the last chunk. */
export interface LlamaCppTimings {
  prompt_n?: number;
  prompt_ms?: number;
  prompt_per_second?: number;
  predicted_n?: number;
  predicted_ms?: number;
  predicted_per_second?: number;
}

/** LM Studio (v1 and v0 field names). */
export interface LmStudioStats {
  tokens_per_second?: number;
  time_to_first_token?: number;
  time_to_first_token_seconds?: number;
  generation_time?: number;
  model_load_time_seconds?: number;
  input_tokens?: number;
  total_output_tokens?: number;
}

export interface ChatCompletionChunk {
  model?: string;
  /** `delta` when streamed; `message` when a server answered the whole completion at once. */
  choices?: {
    delta?: { content?: string | null; tool_calls?: ToolCallDelta[] | null };
    message?: { content?: string | null; tool_calls?: ToolCallDelta[] | null };
    finish_reason?: string | null;
  }[];
  usage?: Usage | null;
  timings?: LlamaCppTimings;
  stats?: LmStudioStats;
  /** An error sent inside the stream after HTTP 200 (llama.cpp, vLLM). */
  error?: unknown;
}

export interface ModelCard {
  id: string;
  object?: string;
  created?: number;
  owned_by?: string;
  /** llama.cpp: `n_params`, `size` in bytes, `n_ctx_train`. */
  meta?: { size?: number; n_params?: number; n_ctx_train?: number };
  /** vLLM. */
  max_model_len?: number;
}

export interface ModelList {
  object?: string;
  data: ModelCard[];
}

/** `POST /v1/embeddings`' answer. */
export interface EmbeddingList {
  data?: { index?: number; embedding?: unknown }[];
  usage?: { prompt_tokens?: number };
}
