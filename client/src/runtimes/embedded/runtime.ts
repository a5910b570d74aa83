/**
 * llama.cpp in this process, through node-llama-cpp (an optional peer, loaded on first use): no
 * daemon, no port. Models are GGUF files — downloaded from the Hub into the models directory
 * (model-store.ts), or any local path. The loaded model stays on this instance (not in module
 * state) until it idles out or dispose() is called; calls take turns (model-cache.ts).
 */
import { existsSync, statSync } from "node:fs";
import type { LlamaModel } from "node-llama-cpp";
import { EmbeddedUnavailableError, UnknownModelError, UnsupportedError } from "../../errors/index.ts";
import { ggufHeaderProblem } from "../../gguf-header.ts";
import { sha256File } from "../../sha256-file.ts";
import type {
  CallOptions,
  ChatMessage,
  GenerateOptions,
  InstalledModel,
  LoadedModel,
  ProgressOptions,
  RunResult,
  Runtime,
  RuntimeStatus,
  UpdateResult,
} from "../runtime.ts";
import { toolsFor } from "../tool-calls.ts";
import { chatTurn } from "./chat.ts";
import { type EmbedResult, embedAll } from "./embed.ts";
import { type EngineInfo, type EngineOptions, engineInfo } from "./engine.ts";
import { type InstallOptions, installModel, remoteFile } from "./install.ts";
import { ModelCache } from "./model-cache.ts";
import { ModelStore } from "./model-store.ts";
import { keepAliveMs, mapOptions } from "./options.ts";
import { parseRef } from "./refs.ts";

export interface EmbeddedRuntimeOptions extends EngineOptions {
  /** Where downloaded GGUFs live (default `SMALL_LLM_MODELS_DIR`, else `<data dir>/models`). */
  modelsDir?: string | undefined;
  /** How long a model stays loaded after a call when the call does not say (default 5 minutes, as Ollama). */
  keepAliveMs?: number | undefined;
  /** The Hub for installs (default `HF_ENDPOINT`, else https://huggingface.co) and its token (default `HF_TOKEN`). */
  hubEndpoint?: string | undefined;
  hubToken?: string | undefined;
  fetch?: typeof fetch | undefined;
}

export interface EmbeddedStatus extends RuntimeStatus {
  kind: "embedded";
  engine: EngineInfo;
  modelsDir: string;
}

export interface EmbedOptions extends CallOptions {
  /** `num_ctx`, `num_thread`, `num_batch` apply; others are ignored. */
  options?: Record<string, unknown> | undefined;
  keepAlive?: string | number | undefined;
}

export class EmbeddedRuntime implements Runtime {
  readonly kind = "embedded" as const;
  /** Nothing listens anywhere: the engine runs inside this process. */
  readonly host = "in-process";
  readonly capabilities = { install: true, start: false };
  readonly store: ModelStore;
  private readonly cache: ModelCache;

  constructor(private readonly options: EmbeddedRuntimeOptions = {}) {
    this.store = new ModelStore(options.modelsDir);
    this.cache = new ModelCache({ gpu: options.gpu, specifier: options.specifier });
  }

  private hub(signal?: AbortSignal) {
    return { endpoint: this.options.hubEndpoint, token: this.options.hubToken, fetch: this.options.fetch, signal };
  }

  /** Available or not (and why), the binary it would use, GPU support, installed and loaded models. Never throws for a missing engine. */
  async status(_options: CallOptions = {}): Promise<EmbeddedStatus> {
    const base = { kind: this.kind, host: this.host, modelsDir: this.store.dir, models: await this.list() };
    let engine: EngineInfo;
    try {
      const { engine: module, llama } = await this.cache.llama();
      engine = await engineInfo(llama, module);
    } catch (error) {
      if (!(error instanceof EmbeddedUnavailableError)) throw error;
      return { ...base, reachable: false, running: [], engine: { available: false, reason: error.message } };
    }
    return {
      ...base,
      reachable: true,
      ...(engine.version ? { version: engine.version } : {}),
      binary: `node-llama-cpp ${engine.version} (${engine.build}, ${engine.llamaCpp}, ${engine.gpu || "cpu"})`,
      running: await this.loaded(),
      engine,
    };
  }

  /**
   * The model this process holds (`ps`): each CLI command loads its own and frees it on exit, so
   * only a long-lived process — `serve`, `mcp`, a library caller — has one between calls.
   */
  async loaded(_options: CallOptions = {}): Promise<LoadedModel[]> {
    const now = this.cache.current();
    if (!now) return [];
    // Kept until unloaded: a date as far ahead as Ollama gives for keep_alive < 0.
    const expiresAt = now.expiresAt ?? new Date(Date.now() + 292 * 365.25 * 24 * 3600_000);
    return [{ name: now.name, sizeBytes: now.sizeBytes, vramBytes: now.vramBytes, expiresAt: expiresAt.toISOString() }];
  }

  /** Unload the model now (`stop`) when it is the one this process holds; resolves to whether it was. */
  unload(ref: string, _options: CallOptions = {}): Promise<boolean> {
    return this.cache.exclusive(async () => {
      const now = this.cache.current();
      if (!now) return false;
      const parsed = parseRef(ref);
      const path = parsed.kind === "path" ? parsed.path : this.store.find(parsed)?.path;
      if (now.name !== ref && now.path !== path) return false;
      await this.cache.unload();
      return true;
    });
  }

  /** Start the engine (load node-llama-cpp and its binary); throws EmbeddedUnavailableError saying how to add it. */
  async ensureRunning(_options: CallOptions = {}): Promise<{ started: boolean }> {
    await this.cache.llama();
    return { started: false };
  }

  async list(_options: CallOptions = {}): Promise<InstalledModel[]> {
    return this.store.list().map(({ path: _p, files: _f, repo: _r, file: _file, ...model }) => model);
  }

  /**
   * Download a Hub ref into the models directory (resumable, sha256-checked when known), or check
   * that a local path is a GGUF file. Resolves to the installed model.
   */
  install(ref: string, options: ProgressOptions & InstallOptions = {}): Promise<InstalledModel> {
    return installModel(this.store, ref, { ...this.hub(options.signal), ...options });
  }

  /** Re-download a Hub model when the Hub's sha256 of its file differs from the local file's. */
  async update(ref: string, options: ProgressOptions & InstallOptions = {}): Promise<UpdateResult> {
    const parsed = parseRef(ref);
    const stored = this.store.find(parsed);
    if (parsed.kind === "path") throw new UnsupportedError(`${ref} is a local file: nothing to update it from`);
    if (!stored) throw new UnknownModelError(ref, `it is not installed; run \`small-llm install ${ref}\` first`);
    const hub = { ...this.hub(options.signal), revision: options.revision };
    const remote = await remoteFile(stored.repo, stored.file, hub);
    const from = await sha256File(stored.path);
    if (!remote.sha256 || remote.sha256 === from)
      return { ref: stored.name, from, to: remote.sha256 ?? from, changed: false };
    // The old file stays until the new one is complete and verified (downloads land in `.part`).
    await this.cache.exclusive(() => this.cache.unload());
    await installModel(this.store, `hf.co/${stored.repo}:${stored.file}`, {
      ...hub,
      ...options,
      replace: true,
      sha256: remote.sha256,
    });
    return { ref: stored.name, from, to: remote.sha256, changed: true };
  }

  async updateAll(options: ProgressOptions = {}): Promise<UpdateResult[]> {
    const results: UpdateResult[] = [];
    for (const model of this.store.list()) results.push(await this.update(model.name, options));
    return results;
  }

  async remove(ref: string, _options: CallOptions = {}): Promise<string> {
    const parsed = parseRef(ref);
    const path = parsed.kind === "path" ? parsed.path : this.store.find(parsed)?.path;
    if (path && this.cache.current()?.path === path) await this.cache.exclusive(() => this.cache.unload());
    return this.store.remove(ref);
  }

  /** The GGUF file a ref means: a local path as given, or the installed file of a Hub ref. */
  resolvePath(ref: string): string {
    const parsed = parseRef(ref);
    if (parsed.kind === "path") {
      if (!existsSync(parsed.path) || !statSync(parsed.path).isFile())
        throw new UnknownModelError(ref, `no file at ${parsed.path}`);
      const problem = ggufHeaderProblem(parsed.path);
      if (problem) throw new UnknownModelError(ref, `${parsed.path}: ${problem}`);
      return parsed.path;
    }
    const stored = this.store.find(parsed);
    if (!stored)
      throw new UnknownModelError(
        ref,
        `it is not installed for the embedded runtime; run \`small-llm install --runtime embedded ${ref}\``,
      );
    return stored.path;
  }

  generate(ref: string, prompt: string, options: GenerateOptions = {}): Promise<RunResult> {
    return this.chat(ref, [{ role: "user", content: prompt }], options);
  }

  async chat(ref: string, messages: ChatMessage[], options: GenerateOptions = {}): Promise<RunResult> {
    const startedAt = performance.now();
    const tools = toolsFor(options.tools, options.toolChoice);
    const path = this.resolvePath(ref);
    const all = options.system ? [{ role: "system" as const, content: options.system }, ...messages] : messages;
    return this.cache.exclusive(async () => {
      const loaded = await this.cache.model(path, ref, options.signal);
      try {
        const { engine, llama } = await this.cache.llama();
        // As Ollama answers for a model without tool support: a chain moves on to one that can.
        if (tools?.length && !templateHasTools(loaded.model))
          throw new UnsupportedError(
            `${ref} does not support tools: its chat template has no tool calling (models such as Qwen 2.5 or Llama 3.1 have it)`,
          );
        const mapped = mapOptions(options.options, loaded.model.trainContextSize);
        const context = await this.cache.context(mapped.context);
        const out = await chatTurn({
          tools,
          engine,
          llama,
          context,
          messages: all,
          prompt: mapped.prompt,
          format: options.format,
          onToken: options.onToken,
          signal: options.signal,
          startedAt,
        });
        const { ignored, ...result } = out;
        // No template here runs a thinking phase of its own: asked for, it is said to be left out.
        const think = options.think !== undefined && options.think !== false ? ["think"] : [];
        const dropped = [...mapped.dropped, ...ignored, ...think];
        const end = performance.now();
        return {
          model: ref,
          runtime: this.kind,
          ...result,
          totalMs: Math.round(end - startedAt),
          loadMs: Math.round(loaded.loadMs),
          ...(dropped.length ? { droppedOptions: dropped } : {}),
        };
      } finally {
        await this.cache.release(keepAliveMs(options.keepAlive, this.options.keepAliveMs));
      }
    });
  }

  /** One L2-normalised vector per input. */
  async embed(ref: string, inputs: string | readonly string[], options: EmbedOptions = {}): Promise<EmbedResult> {
    const startedAt = performance.now();
    const path = this.resolvePath(ref);
    const list = typeof inputs === "string" ? [inputs] : inputs;
    return this.cache.exclusive(async () => {
      const loaded = await this.cache.model(path, ref, options.signal);
      try {
        const mapped = mapOptions(options.options, loaded.model.trainContextSize);
        const context = await this.cache.embeddingContext(mapped.context);
        const out = await embedAll(context, list, ref, mapped.context.contextSize, options.signal);
        return {
          model: ref,
          runtime: this.kind,
          ...out,
          totalMs: Math.round(performance.now() - startedAt),
          loadMs: Math.round(loaded.loadMs),
        };
      } finally {
        await this.cache.release(keepAliveMs(options.keepAlive, this.options.keepAliveMs));
      }
    });
  }

  /** Unload the model and release llama.cpp; the instance can still be used (it loads again). */
  dispose(): Promise<void> {
    return this.cache.dispose();
  }
}

/** Whether the model's own chat template renders tools (the Jinja of one that can mentions them). */
function templateHasTools(model: LlamaModel): boolean {
  const template = model.fileInfo.metadata.tokenizer?.chat_template;
  return typeof template === "string" && /\btools\b/.test(template);
}
