/**
 * Ollama as a Runtime: status, start, install with streamed progress, update with digest
 * comparison, generate/chat through the native API (`/api/generate`, `/api/chat`: the OpenAI route
 * drops `num_ctx` and changes sampling defaults), list, remove. Refs in, models out: resolving an
 * index id is the caller's job (resolve-target.ts). Every failure is one of the typed errors.
 */
import {
  CancelledError,
  ModelNotInstalledError,
  NotOllamaError,
  OllamaNotInstalledError,
  OllamaServerDownError,
  OllamaVersionError,
  UnknownModelError,
} from "../../errors/index.ts";
import { HttpStatusError, NoAnswerError, StreamError } from "../../http/index.ts";
import { ensureServer, findOllamaBinary, type Started } from "../../provision/ensure-server.ts";
import type {
  CallOptions,
  ChatMessage,
  EmbedOptions,
  EmbedResult,
  GenerateOptions,
  InstalledModel,
  LoadedModel,
  ProgressOptions,
  PullProgress,
  RunResult,
  Runtime,
  RuntimeStatus,
  UpdateResult,
} from "../runtime.ts";
import { OllamaApi } from "./api.ts";
import { chatInput, vectors } from "./chat-input.ts";
import { classifyOllamaError } from "./classify-error.ts";
import { complete } from "./complete.ts";
import { ollamaBaseUrl } from "./host.ts";
import type { EmbedResponse, ProgressLine, PsResponse, ShowResponse, TagsResponse } from "./protocol.ts";
import { isHubRef, sameModel } from "./refs.ts";
import { HF_REFS_SINCE, olderThan } from "./version.ts";

export interface DriverOptions {
  /** Server URL (default: `OLLAMA_HOST`, parsed as Ollama does). */
  host?: string;
  fetch?: typeof fetch;
}

export class OllamaDriver implements Runtime {
  readonly kind = "ollama" as const;
  readonly capabilities = { install: true, start: true };
  readonly host: string;
  readonly api: OllamaApi;

  constructor(options: DriverOptions = {}) {
    this.host = options.host ? ollamaBaseUrl(options.host) : ollamaBaseUrl();
    this.api = new OllamaApi({ host: this.host, ...(options.fetch ? { fetch: options.fetch } : {}) });
  }

  /** The typed error for a failure; nothing answering means not installed or not running. */
  private fail(error: unknown, model?: string, pulling = false): never {
    if (error instanceof NoAnswerError) {
      if (!findOllamaBinary()) throw new OllamaNotInstalledError(this.host, { cause: error });
      throw new OllamaServerDownError(this.host, error.message, { cause: error });
    }
    throw classifyOllamaError(error, { host: this.host, model, pulling });
  }

  /**
   * The server's version, or undefined when it does not say (an old build or a minimal server with
   * no `/api/version`): that is given the benefit of the doubt. A server whose answer is not
   * Ollama's JSON at all (an HTML page, say) is not Ollama.
   */
  async version(options: CallOptions = {}): Promise<string | undefined> {
    let answer: { version?: unknown } | undefined;
    try {
      answer = await this.api.json<{ version?: unknown }>("GET", "/api/version", undefined, options.signal);
    } catch (error) {
      if (error instanceof HttpStatusError && error.status === 404 && /^404 page not found/i.test(error.body.trim()))
        return undefined;
      this.fail(error);
    }
    return typeof answer?.version === "string" ? answer.version : undefined;
  }

  /** Is the server up, which version, what is installed and loaded. Never throws for an unreachable server. */
  async status(options: CallOptions = {}): Promise<RuntimeStatus> {
    const binary = findOllamaBinary();
    const base = { kind: this.kind, host: this.host, ...(binary ? { binary } : {}) };
    let version: string | undefined;
    try {
      version = await this.version(options);
    } catch (error) {
      if (error instanceof OllamaNotInstalledError || error instanceof OllamaServerDownError)
        return { ...base, reachable: false, models: [], running: [] };
      throw error;
    }
    const running = await this.loaded(options).catch(() => []);
    return { ...base, reachable: true, ...(version ? { version } : {}), models: await this.list(options), running };
  }

  /** The models loaded in memory now (`/api/ps`), latest to expire first, as Ollama sorts them. */
  async loaded(options: CallOptions = {}): Promise<LoadedModel[]> {
    let ps: PsResponse;
    try {
      ps = await this.api.json<PsResponse>("GET", "/api/ps", undefined, options.signal);
    } catch (error) {
      this.fail(error);
    }
    if (ps?.models !== null && !Array.isArray(ps?.models))
      throw new NotOllamaError(this.host, "something other than a model list to GET /api/ps");
    // Missing numbers and times read as Go reads them: zero (the zero time is past: "stopping").
    return (ps.models ?? []).map((m) => ({
      name: m.name,
      sizeBytes: typeof m.size === "number" ? m.size : 0,
      vramBytes: typeof m.size_vram === "number" ? m.size_vram : 0,
      expiresAt: typeof m.expires_at === "string" ? m.expires_at : "0001-01-01T00:00:00Z",
      ...(typeof m.context_length === "number" && m.context_length > 0 ? { contextLength: m.context_length } : {}),
    }));
  }

  /**
   * Unload a model now, as `ollama stop` does: an empty generate with `keep_alive: 0`. Resolves to
   * whether it was loaded; a model that is not installed is a ModelNotInstalledError.
   */
  async unload(ref: string, options: CallOptions = {}): Promise<boolean> {
    const wasLoaded = (await this.loaded(options)).some((m) => sameModel(m.name, ref));
    try {
      await this.api.json("POST", "/api/generate", { model: ref, keep_alive: 0, stream: false }, options.signal);
    } catch (error) {
      this.fail(error, ref);
    }
    return wasLoaded;
  }

  /** Start `ollama serve` if it is installed here but not running. */
  ensureRunning(options: CallOptions & { timeoutMs?: number; pollMs?: number } = {}): Promise<Started> {
    return ensureServer({ baseUrl: this.host, ...options });
  }

  async list(options: CallOptions = {}): Promise<InstalledModel[]> {
    let tags: TagsResponse;
    try {
      tags = await this.api.json<TagsResponse>("GET", "/api/tags", undefined, options.signal);
    } catch (error) {
      this.fail(error);
    }
    if (tags?.models !== null && !Array.isArray(tags?.models))
      throw new NotOllamaError(this.host, "something other than a model list to GET /api/tags");
    return (tags.models ?? []).map((m) => ({
      name: m.name,
      digest: m.digest,
      sizeBytes: m.size,
      modifiedAt: String(m.modified_at),
      ...(m.details?.quantization_level ? { quant: m.details.quantization_level } : {}),
      ...(m.details?.parameter_size ? { parameterSize: m.details.parameter_size } : {}),
      ...(Array.isArray(m.capabilities) ? { capabilities: m.capabilities.filter((c) => typeof c === "string") } : {}),
      ...(m.remote_host || m.remote_model ? { remote: m.remote_host || "a cloud service" } : {}),
    }));
  }

  async installed(ref: string, options: CallOptions = {}): Promise<InstalledModel | undefined> {
    return (await this.list(options)).find((m) => sameModel(m.name, ref));
  }

  /** `/api/show`: the Modelfile, template, parameters, capabilities of an installed model. */
  async show(ref: string, options: CallOptions = {}): Promise<ShowResponse> {
    try {
      return await this.api.json<ShowResponse>("POST", "/api/show", { model: ref }, options.signal);
    } catch (error) {
      this.fail(error, ref);
    }
  }

  /** hf.co refs need a recent server; a server that does not say its version is given the benefit of the doubt. */
  private async checkVersion(ref: string, options: CallOptions): Promise<void> {
    if (!isHubRef(ref)) return;
    const version = await this.version(options);
    if (version !== undefined && olderThan(version, HF_REFS_SINCE))
      throw new OllamaVersionError("Pulling from Hugging Face (hf.co/…)", HF_REFS_SINCE, version);
  }

  /** Pull a model, reporting progress; resolves to what is installed. */
  async install(ref: string, options: ProgressOptions = {}): Promise<InstalledModel> {
    await this.checkVersion(ref, options);
    await this.pull(ref, options);
    const done = await this.installed(ref, options);
    if (!done) throw new UnknownModelError(ref, "Ollama reported success but does not list the model");
    return done;
  }

  private async pull(ref: string, options: ProgressOptions): Promise<void> {
    const rate = new Map<string, { at: number; bytes: number; bps?: number }>();
    let succeeded = false;
    try {
      for await (const line of this.api.stream<ProgressLine>(
        "/api/pull",
        { model: ref, stream: true },
        options.signal,
      )) {
        if (line.status === "success") succeeded = true;
        const progress: PullProgress = { ref, status: String(line.status ?? "") };
        if (line.digest) progress.digest = line.digest;
        if (typeof line.total === "number") progress.total = line.total;
        if (typeof line.completed === "number") progress.completed = line.completed;
        if (line.digest && typeof line.completed === "number") {
          const now = Date.now();
          const last = rate.get(line.digest);
          if (!last) rate.set(line.digest, { at: now, bytes: line.completed });
          else if (now - last.at >= 1000) {
            const bps = ((line.completed - last.bytes) * 1000) / (now - last.at);
            rate.set(line.digest, { at: now, bytes: line.completed, bps });
          }
          const bps = rate.get(line.digest)?.bps;
          if (bps !== undefined) progress.bytesPerSecond = Math.max(0, bps);
        }
        options.onProgress?.(progress);
      }
    } catch (error) {
      if (options.signal?.aborted) throw new CancelledError(`pulling ${ref}`, { cause: error, phase: "pull" });
      this.fail(error, ref, true);
    }
    if (!succeeded) this.fail(new StreamError(`${this.host}/api/pull`, undefined), ref, true);
  }

  /** Re-pull an installed model and report whether its digest changed. */
  async update(ref: string, options: ProgressOptions = {}): Promise<UpdateResult> {
    const before = await this.installed(ref, options);
    if (!before) throw new ModelNotInstalledError(ref, `small-llm install ${ref}`);
    await this.pull(before.name, options);
    const after = await this.installed(ref, options);
    return { ref: before.name, from: before.digest, to: after?.digest ?? "", changed: before.digest !== after?.digest };
  }

  /**
   * Update every installed model, one at a time. One its registry does not have (created here with
   * `small-llm create` or `ollama create`, or withdrawn upstream) is skipped and reported, and the
   * others go on; anything else (disk full, the server gone, Ctrl-C) stops the run.
   */
  async updateAll(options: ProgressOptions = {}): Promise<UpdateResult[]> {
    const results: UpdateResult[] = [];
    for (const model of await this.list(options)) {
      try {
        results.push(await this.update(model.name, options));
      } catch (error) {
        if (!(error instanceof UnknownModelError)) throw error;
        const skipped = { code: error.code, message: error.message };
        results.push({ ref: model.name, from: model.digest, to: model.digest, changed: false, skipped });
      }
    }
    return results;
  }

  async remove(ref: string, options: CallOptions = {}): Promise<string> {
    // As `ollama rm`: unload it first, so its memory is freed now rather than at keep_alive's end.
    // Only if it is loaded: an unload of a model not loaded would load it to unload it.
    const loaded = await this.loaded(options).catch(() => []);
    if (loaded.some((m) => sameModel(m.name, ref)))
      await this.api
        .json("POST", "/api/generate", { model: ref, keep_alive: 0, stream: false }, options.signal)
        .catch(() => undefined);
    try {
      await this.api.json("DELETE", "/api/delete", { model: ref }, options.signal);
      return ref;
    } catch (error) {
      this.fail(error, ref);
    }
  }

  generate(ref: string, prompt: string, options: GenerateOptions = {}): Promise<RunResult> {
    return this.complete(
      ref,
      "/api/generate",
      { prompt, ...(options.system ? { system: options.system } : {}) },
      options,
    );
  }

  chat(ref: string, messages: ChatMessage[], options: GenerateOptions = {}): Promise<RunResult> {
    return this.complete(ref, "/api/chat", chatInput(messages, options), options);
  }

  /** `POST /api/embed`: one vector per input, in order. */
  async embed(ref: string, inputs: string[], options: EmbedOptions = {}): Promise<EmbedResult> {
    const started = performance.now();
    let answer: EmbedResponse;
    try {
      answer = await this.api.json<EmbedResponse>(
        "POST",
        "/api/embed",
        { model: ref, input: inputs, ...(options.dimensions ? { dimensions: options.dimensions } : {}) },
        options.signal,
      );
    } catch (error) {
      if (options.signal?.aborted) throw new CancelledError(`the embeddings from ${ref}`, { cause: error });
      this.fail(error, ref);
    }
    const embeddings = vectors(answer?.embeddings, inputs.length);
    if (!embeddings)
      throw new NotOllamaError(this.host, "something other than a list of embeddings to POST /api/embed");
    return {
      model: ref,
      runtime: this.kind,
      embeddings,
      ...(typeof answer.prompt_eval_count === "number" ? { promptTokens: answer.prompt_eval_count } : {}),
      totalMs: Math.round(performance.now() - started),
    };
  }

  private complete(
    ref: string,
    path: "/api/generate" | "/api/chat",
    input: Record<string, unknown>,
    options: GenerateOptions,
  ): Promise<RunResult> {
    return complete(this.api, { ref, path, input, options, fail: (error) => this.fail(error, ref) });
  }
}

/** The same class under the name the Runtime interface suggests. */
export { OllamaDriver as OllamaRuntime };
