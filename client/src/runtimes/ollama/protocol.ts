/** The parts of Ollama's REST shapes the client reads (api/types.go); every field optional that the server omits. */

export interface ModelDetails {
  /** In /api/show: the model a created model was built FROM. */
  parent_model?: string;
  format?: string;
  family?: string;
  parameter_size?: string;
  quantization_level?: string;
}

/** `models` is null on Ollama before 0.1.39 when nothing is installed (or loaded). */
export interface TagsResponse {
  models: TagsModel[] | null;
}

export interface TagsModel {
  name: string;
  model?: string;
  digest: string;
  size: number;
  modified_at: string;
  details?: ModelDetails;
  /** Since 0.30: `completion`, `tools`, `vision`, `embedding`, `thinking`, … */
  capabilities?: string[];
  /** A cloud model (`gpt-oss:120b-cloud`): a stub here, answered by this host. */
  remote_model?: string;
  remote_host?: string;
}

export interface PsResponse {
  models: { name: string; size: number; size_vram?: number; expires_at?: string; context_length?: number }[] | null;
}

export interface ProgressLine {
  status: string;
  digest?: string;
  total?: number;
  completed?: number;
}

export interface Metrics {
  done: boolean;
  done_reason?: string;
  total_duration?: number;
  load_duration?: number;
  prompt_eval_count?: number;
  prompt_eval_duration?: number;
  eval_count?: number;
  eval_duration?: number;
}

/** A tool call as native `/api/chat` streams it: whole, arguments an object, `id` since Ollama 0.12.10. */
export interface NativeToolCall {
  id?: string;
  function?: { index?: number; name?: string; arguments?: unknown };
}

export interface GenerateChunk extends Metrics {
  response?: string;
  /** /api/generate's thinking, when `think` is on. */
  thinking?: string;
  message?: { role: string; content?: string; thinking?: string; tool_calls?: NativeToolCall[] };
}

/** A message as native `/api/chat` takes it. */
export interface NativeMessage {
  role: string;
  content: string;
  images?: string[];
  tool_calls?: { id?: string; function: { name: string; arguments: Record<string, unknown> } }[];
  tool_name?: string;
  tool_call_id?: string;
}

/** `POST /api/embed`'s answer. */
export interface EmbedResponse {
  model?: string;
  embeddings?: unknown;
  prompt_eval_count?: number;
  total_duration?: number;
}

export interface ShowResponse {
  modelfile?: string;
  parameters?: string;
  template?: string;
  system?: string;
  license?: string;
  details?: ModelDetails;
  model_info?: Record<string, unknown>;
  capabilities?: string[];
}
