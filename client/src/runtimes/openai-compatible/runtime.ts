/**
 * Any OpenAI-compatible server as a Runtime: llama.cpp's llama-server, LM Studio, vLLM, Jan,
 * LocalAI, or a cloud endpoint. It lists (`GET /v1/models`) and answers (`POST
 * /v1/chat/completions`, streamed with `stream_options.include_usage`); install, update and remove
 * stay Ollama's and throw UnsupportedError, as `capabilities` says. The API key, when one is
 * needed, comes from an environment variable the caller names (default: the runtime's own, e.g.
 * JAN_API_KEY) and only ever travels in the Authorization header.
 */
import { RuntimeUnreachableError, UnsupportedError } from "../../errors/index.ts";
import type {
  CallOptions,
  ChatMessage,
  EmbedOptions,
  EmbedResult,
  GenerateOptions,
  InstalledModel,
  RunResult,
  Runtime,
  RuntimeStatus,
  UpdateResult,
} from "../runtime.ts";
import { classifyOpenAIError } from "./classify-error.ts";
import { OpenAIHttp } from "./http.ts";
import { KINDS, type OpenAIKind } from "./kinds.ts";
import { chatRequest } from "./params.ts";
import type { ChatCompletionChunk, EmbeddingList, ModelCard, ModelList } from "./protocol.ts";
import { ToolCallCollector } from "./tool-deltas.ts";
import { collect, type Reported, type SpeedSource, usageFields } from "./usage.ts";

const VERSION_ROUTES: Partial<Record<OpenAIKind, { path: string; field: string }>> = {
  llamacpp: { path: "/props", field: "build_info" },
  vllm: { path: "/version", field: "version" },
  localai: { path: "/version", field: "version" },
};

export interface OpenAICompatibleOptions {
  kind: OpenAIKind;
  /**
   * The server's address (`http://127.0.0.1:8080`, then `/v1` is added) or the API root as the
   * OpenAI SDKs take it (`…/v1`, `https://host/openai/v1`, `https://host/v1beta/openai`).
   */
  baseUrl: string;
  /** The key itself, when the caller holds it; otherwise it is read from `apiKeyEnv`. */
  apiKey?: string | undefined;
  /** The environment variable holding the key (default: the runtime's own, e.g. JAN_API_KEY). */
  apiKeyEnv?: string | undefined;
  /** A name for messages and logs (default: the runtime's label). */
  name?: string | undefined;
  fetch?: typeof fetch;
}

/** RunResult plus what only this runtime can say: where the speed came from. */
export interface OpenAIRunResult extends RunResult {
  speedSource?: SpeedSource;
}

export class OpenAICompatibleRuntime implements Runtime {
  readonly kind: OpenAIKind;
  /** The server's address, without the API path (where llama.cpp's /props and vLLM's /version live). */
  readonly host: string;
  /** The path under `host` of the OpenAI API: `/v1`, or what the base URL said. */
  readonly apiPath: string;
  readonly name: string;
  readonly apiKeyEnv: string;
  readonly capabilities = { install: false, start: false };
  private readonly http: OpenAIHttp;

  constructor(options: OpenAICompatibleOptions) {
    this.kind = options.kind;
    ({ host: this.host, apiPath: this.apiPath } = splitBaseUrl(options.baseUrl));
    this.name = options.name ?? KINDS[options.kind].label;
    this.apiKeyEnv = options.apiKeyEnv ?? KINDS[options.kind].apiKeyEnv;
    const apiKey = options.apiKey ?? (process.env[this.apiKeyEnv] || undefined);
    this.http = new OpenAIHttp({
      baseUrl: this.host,
      apiKey,
      // LocalAI adds its timing fields to `usage` only when asked.
      ...(options.kind === "localai" ? { headers: { "extra-usage": "true" } } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  private fail(error: unknown, options: CallOptions, model?: string): never {
    throw classifyOpenAIError(error, {
      kind: this.kind,
      host: this.host,
      apiKeyEnv: this.apiKeyEnv,
      keyWasSent: this.http.hasKey,
      model,
      signal: options.signal,
    });
  }

  /** The raw model cards, for callers that want `owned_by` or llama.cpp's `meta`. */
  async models(options: CallOptions = {}): Promise<ModelCard[]> {
    let answer: ModelList;
    try {
      answer = await this.http.json<ModelList>("GET", `${this.apiPath}/models`, undefined, options.signal);
    } catch (error) {
      this.fail(error, options);
    }
    if (!answer || !Array.isArray(answer.data))
      this.fail(new Error(`${this.host}${this.apiPath}/models did not answer an OpenAI model list`), options);
    return answer.data.filter((m): m is ModelCard => Boolean(m) && typeof m.id === "string");
  }

  async list(options: CallOptions = {}): Promise<InstalledModel[]> {
    return (await this.models(options)).map((m) => ({
      name: m.id,
      digest: "",
      sizeBytes: typeof m.meta?.size === "number" ? m.meta.size : 0,
      modifiedAt: typeof m.created === "number" ? new Date(m.created * 1000).toISOString() : "",
    }));
  }

  /**
   * The server's version where it says one (llama.cpp `/props` build_info, vLLM and LocalAI
   * `/version`); undefined for the others and when the route does not answer.
   */
  async version(options: CallOptions = {}): Promise<string | undefined> {
    const route = VERSION_ROUTES[this.kind];
    if (!route) return undefined;
    const answer = await this.http
      .json<Record<string, unknown>>("GET", route.path, undefined, options.signal)
      .catch(() => undefined);
    const value = answer?.[route.field];
    return typeof value === "string" && value.length < 200 ? value : undefined;
  }

  /** Up when `/v1/models` answers; nothing here reports loaded models in a common way, so `running` is empty. */
  async status(options: CallOptions = {}): Promise<RuntimeStatus> {
    const base = { kind: this.kind, host: this.host, running: [] };
    try {
      const [models, version] = await Promise.all([this.list(options), this.version(options)]);
      return { ...base, reachable: true, ...(version ? { version } : {}), models };
    } catch (error) {
      if (error instanceof RuntimeUnreachableError) return { ...base, reachable: false, models: [] };
      throw error;
    }
  }

  /** This client cannot start these servers: succeed when it answers, say how to start it when not. */
  async ensureRunning(options: CallOptions = {}): Promise<{ started: boolean }> {
    await this.models(options);
    return { started: false };
  }

  private unsupported(what: string): never {
    throw new UnsupportedError(
      `${this.name} at ${this.host} cannot ${what} through this client: ${KINDS[this.kind].loadHint("<model>")}. Installing is Ollama's job (\`small-llm install\`).`,
    );
  }
  async install(_ref: string): Promise<InstalledModel> {
    this.unsupported("install models");
  }
  async update(_ref: string): Promise<UpdateResult> {
    this.unsupported("update models");
  }
  async updateAll(): Promise<UpdateResult[]> {
    this.unsupported("update models");
  }
  async remove(_ref: string): Promise<string> {
    this.unsupported("remove models");
  }

  /** A prompt is a one-message chat: these servers' `/v1/completions` skips the chat template. */
  generate(ref: string, prompt: string, options: GenerateOptions = {}): Promise<OpenAIRunResult> {
    return this.chat(ref, [{ role: "user", content: prompt }], options);
  }

  async chat(ref: string, messages: ChatMessage[], options: GenerateOptions = {}): Promise<OpenAIRunResult> {
    const { request, dropped } = chatRequest(ref, messages, options, KINDS[this.kind].samplingExtensions);
    const started = performance.now();
    let firstTokenAt: number | undefined;
    let lastTokenAt: number | undefined;
    let text = "";
    let finish: string | undefined;
    const reported: Reported = {};
    const tools = new ToolCallCollector();
    try {
      for await (const chunk of this.http.stream<ChatCompletionChunk>(
        `${this.apiPath}/chat/completions`,
        request,
        options.signal,
      )) {
        collect(reported, chunk);
        const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
        const piece = choice?.delta?.content ?? choice?.message?.content;
        if (typeof piece === "string" && piece) {
          lastTokenAt = performance.now();
          firstTokenAt ??= lastTokenAt;
          text += piece;
          options.onToken?.(piece);
        }
        tools.add(choice?.delta?.tool_calls ?? choice?.message?.tool_calls);
        if (typeof choice?.finish_reason === "string") finish = choice.finish_reason;
      }
    } catch (error) {
      this.fail(error, options, ref);
    }
    if (finish === undefined && reported.usage === undefined)
      this.fail(new RuntimeUnreachableError(this.host, "the answer ended before a finish reason"), options, ref);
    const end = performance.now();
    const toolCalls = tools.calls();
    return {
      model: ref,
      runtime: this.kind,
      text,
      ...(toolCalls.length ? { toolCalls } : {}),
      ...(finish ? { doneReason: finish } : {}),
      latencyMs: Math.round((firstTokenAt ?? end) - started),
      totalMs: Math.round(end - started),
      ...usageFields(reported, { firstTokenAt, lastTokenAt }),
      ...(dropped.length ? { droppedOptions: dropped } : {}),
    };
  }

  /** `POST /v1/embeddings`, as floats (the servers' default; base64 is the gateway's business with its own client). */
  async embed(ref: string, inputs: string[], options: EmbedOptions = {}): Promise<EmbedResult> {
    const started = performance.now();
    let answer: EmbeddingList;
    try {
      answer = await this.http.json<EmbeddingList>(
        "POST",
        `${this.apiPath}/embeddings`,
        {
          model: ref,
          input: inputs,
          encoding_format: "float",
          ...(options.dimensions ? { dimensions: options.dimensions } : {}),
        },
        options.signal,
      );
    } catch (error) {
      this.fail(error, options, ref);
    }
    const embeddings = embeddingsOf(answer, inputs.length);
    if (!embeddings)
      this.fail(new Error(`${this.host}${this.apiPath}/embeddings did not answer a list of embeddings`), options, ref);
    const promptTokens = answer.usage?.prompt_tokens;
    return {
      model: ref,
      runtime: this.kind,
      embeddings,
      ...(typeof promptTokens === "number" ? { promptTokens } : {}),
      totalMs: Math.round(performance.now() - started),
    };
  }
}

/** `count` vectors of numbers in the order of their `index`, or undefined when the answer is anything else. */
function embeddingsOf(answer: EmbeddingList | undefined, count: number): number[][] | undefined {
  const data = answer?.data;
  if (!Array.isArray(data) || data.length !== count) return undefined;
  const out: number[][] = new Array(count);
  for (const [position, item] of data.entries()) {
    const index = Number.isInteger(item?.index) ? (item.index as number) : position;
    const v = item?.embedding;
    if (index < 0 || index >= count || !Array.isArray(v) || !v.every((x) => typeof x === "number")) return undefined;
    out[index] = v as number[];
  }
  return out.every(Boolean) ? out : undefined;
}

/**
 * `http://h:8080` → host `http://h:8080`, API `/v1`; `http://h:8080/v1/` → the same;
 * `https://h/openai/v1` → host `https://h/openai`, API `/v1`; `https://h/v1beta/openai` → host
 * that URL, API `` (a path that is not `/v1` is taken as the API root itself).
 */
export function splitBaseUrl(baseUrl: string): { host: string; apiPath: string } {
  const trimmed = baseUrl.trim().replace(/\/+$/, "");
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`; // `localhost:1234` works too
  if (/\/v1$/.test(url)) return { host: url.slice(0, -3), apiPath: "/v1" };
  const path = /^[a-z][a-z0-9+.-]*:\/\/[^/]+(\/.*)?$/i.exec(url)?.[1];
  return path ? { host: url, apiPath: "" } : { host: url, apiPath: "/v1" };
}
