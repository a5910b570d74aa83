/**
 * What every local runtime offers the rest of the client: Ollama first, OpenAI-compatible servers
 * (llama.cpp, LM Studio, vLLM, Jan, LocalAI) beside it. Refs go in, models come out; a runtime knows
 * nothing of the index (runtimes/resolve-target.ts turns an index id into a ref). Every call takes
 * an AbortSignal. What a runtime cannot do (install on an OpenAI-compatible server) throws
 * UnsupportedError, and `capabilities` says so up front.
 */

/** `embedded`: llama.cpp inside this process (runtimes/embedded/, node-llama-cpp); the others are servers. */
export type RuntimeKind = "ollama" | "llamacpp" | "lmstudio" | "vllm" | "jan" | "localai" | "openai" | "embedded";
/** The runtimes that are servers at an address (everything but `embedded`): what detection and targets name. */
export type ServerKind = Exclude<RuntimeKind, "embedded">;

export interface CallOptions {
  signal?: AbortSignal | undefined;
}

export interface PullProgress {
  ref: string;
  status: string;
  /** The layer being pulled (`sha256:…`), when the line is about one. */
  digest?: string;
  completed?: number;
  total?: number;
  /** Bytes per second over the last second or so, for the current layer. */
  bytesPerSecond?: number;
}

export interface ProgressOptions extends CallOptions {
  onProgress?: ((p: PullProgress) => void) | undefined;
}

export interface InstalledModel {
  name: string;
  digest: string;
  sizeBytes: number;
  modifiedAt: string;
  quant?: string;
  parameterSize?: string;
  /** The index entry this ref installs, when the caller matched it against an index. */
  indexId?: string;
  /** Which runtime has it, when a list spans several (Ollama's and the embedded runtime's). */
  runtime?: RuntimeKind;
  /** What the runtime says it can do (Ollama ≥ 0.30: `completion`, `tools`, `vision`, `embedding`, `thinking`, …). */
  capabilities?: string[];
  /**
   * Where a cloud model runs (Ollama's `:cloud` models: `https://ollama.com:443`): prompts leave this
   * machine, so it is used only where named, never picked on its own.
   */
  remote?: string;
}

export interface LoadedModel {
  name: string;
  /** Bytes it takes in memory, all devices together. */
  sizeBytes: number;
  /** Of those, the bytes on the GPU (0: CPU only; sizeBytes: all on the GPU). */
  vramBytes: number;
  /** When the runtime unloads it unless it is used again (ISO 8601; far ahead when kept forever). */
  expiresAt: string;
  /** The context it was loaded with, when the runtime says. */
  contextLength?: number;
}

export interface RuntimeStatus {
  kind: RuntimeKind;
  /** Base URL of the server. */
  host: string;
  reachable: boolean;
  version?: string;
  /** The executable found on this machine, for runtimes this client can start. */
  binary?: string;
  models: InstalledModel[];
  /** Models loaded in memory now, with how much of each sits in VRAM. */
  running: LoadedModel[];
}

export interface UpdateResult {
  ref: string;
  from: string;
  to: string;
  changed: boolean;
  /**
   * Set when `updateAll` could not re-pull it and went on: a model created on this machine (or one
   * its registry no longer has) has nothing upstream. It is left as it was.
   */
  skipped?: { code: string; message: string };
}

export type ChatMessage = {
  role: "system" | "user" | "assistant" | "tool";
  content: string;
  /** Base64-encoded images, for vision models. */
  images?: string[];
  /** An assistant turn's calls of the caller's tools (its `content` may then be empty). */
  toolCalls?: ToolCall[];
  /** A `tool` turn: the id of the call it answers… */
  toolCallId?: string;
  /** …and the tool's name (Ollama before 0.12.10 matches results by name, not id). */
  toolName?: string;
};

/** A tool the model may call: a function with a JSON Schema for its arguments. */
export interface ToolSpec {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters?: Record<string, unknown>;
}

/** A call of one of the caller's tools, as the model made it. */
export interface ToolCall {
  /** The runtime's id, or one made up here when the runtime gives none (Ollama before 0.12.10). */
  id: string;
  name: string;
  /** The arguments as JSON text, exactly as the model wrote them: small models do not always write valid JSON. */
  arguments: string;
}

/** Whether the model may (`auto`), must (`required`), must not (`none`) call a tool, or must call this one. */
export type ToolChoice = "auto" | "none" | "required" | { name: string };

export interface GenerateOptions extends CallOptions {
  /** Runtime options passed through (Ollama: temperature, num_ctx, …). */
  options?: Record<string, unknown> | undefined;
  system?: string | undefined;
  /** `"json"` or a JSON Schema the answer must follow. */
  format?: "json" | Record<string, unknown> | undefined;
  onToken?: ((text: string) => void) | undefined;
  /** How long the runtime keeps the model loaded afterwards (Ollama `keep_alive`). */
  keepAlive?: string | number | undefined;
  /** Ask a thinking model to think first (Ollama `think`: true, false, or an effort level). */
  think?: Think | undefined;
  /** The model's thinking as it streams, when `think` asked for it. */
  onThinking?: ((text: string) => void) | undefined;
  /** Tools the model may call (chat only); the calls come back in `RunResult.toolCalls`. */
  tools?: ToolSpec[] | undefined;
  /** Default `auto`. A runtime that cannot enforce a choice (Ollama) gets the closest it takes. */
  toolChoice?: ToolChoice | undefined;
}

export interface EmbedOptions extends CallOptions {
  /** Fewer dimensions, for models that can give them (OpenAI `dimensions`, Ollama `dimensions`). */
  dimensions?: number | undefined;
}

/** Embeddings of a list of inputs, in the inputs' order. */
export interface EmbedResult {
  model: string;
  runtime: RuntimeKind;
  embeddings: number[][];
  /** Input tokens, when the runtime reports them. */
  promptTokens?: number;
  totalMs: number;
}

/** Ollama's `think`: on, off, or how hard (models such as gpt-oss take a level). */
export type Think = boolean | "low" | "medium" | "high";

/** The common result of generate and chat, whatever runtime answered. */
export interface RunResult {
  model: string;
  runtime: RuntimeKind;
  text: string;
  doneReason?: string;
  /** Time to the first token, measured by the client. */
  latencyMs: number;
  totalMs: number;
  promptTokens?: number;
  outputTokens?: number;
  /** Generation speed: output tokens / generation time, as the runtime reports them. */
  tokensPerSecond?: number;
  /** Prompt processing speed, when the runtime reports it. */
  promptTokensPerSecond?: number;
  /** Time the runtime spent loading the model, when it says. */
  loadMs?: number;
  /** Time the runtime itself reports for the whole call, when it says (for the client's overhead). */
  runtimeMs?: number;
  /** The calls of the caller's tools the model made (chat with `tools`), in order. */
  toolCalls?: ToolCall[];
  /** What a thinking model thought before answering, when `think` asked for it. */
  thinking?: string;
  /** Options the runtime could not apply, by name (the embedded runtime, OpenAI-compatible servers). */
  droppedOptions?: string[];
}

/** One line on options a runtime left out: `the embedded runtime did not apply typical_p, think`. */
export const droppedNote = (kind: RuntimeKind, dropped: readonly string[]) =>
  `${kind === "embedded" ? "the embedded runtime" : kind} did not apply ${dropped.join(", ")}: ${dropped.length === 1 ? "it is" : "they are"} not supported there`;

export interface Runtime {
  readonly kind: RuntimeKind;
  readonly host: string;
  readonly capabilities: { install: boolean; start: boolean };
  status(options?: CallOptions): Promise<RuntimeStatus>;
  /** Start the server when this client can and it is down; resolves once it answers. */
  ensureRunning(options?: CallOptions): Promise<{ started: boolean; pid?: number; logFile?: string }>;
  list(options?: CallOptions): Promise<InstalledModel[]>;
  install(ref: string, options?: ProgressOptions): Promise<InstalledModel>;
  /** Re-pull and report whether the digest changed. */
  update(ref: string, options?: ProgressOptions): Promise<UpdateResult>;
  updateAll(options?: ProgressOptions): Promise<UpdateResult[]>;
  remove(ref: string, options?: CallOptions): Promise<string>;
  generate(ref: string, prompt: string, options?: GenerateOptions): Promise<RunResult>;
  chat(ref: string, messages: ChatMessage[], options?: GenerateOptions): Promise<RunResult>;
  /** Embeddings, on runtimes that serve them (Ollama `/api/embed`, OpenAI-compatible `/v1/embeddings`). */
  embed?(ref: string, inputs: string[], options?: EmbedOptions): Promise<EmbedResult>;
  /** The models loaded in memory now (Ollama `/api/ps`), for runtimes that can say. */
  loaded?(options?: CallOptions): Promise<LoadedModel[]>;
  /** Unload a model now (Ollama `keep_alive: 0`); resolves to whether it was loaded. */
  unload?(ref: string, options?: CallOptions): Promise<boolean>;
}
