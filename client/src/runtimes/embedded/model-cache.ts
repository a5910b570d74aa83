/**
 * The model a runtime instance keeps loaded between calls, with the context it last used, unloaded
 * after an idle time (Ollama's keep_alive, 5 minutes by default) or on dispose(). Calls take turns:
 * one load, one generation at a time, as Ollama runs one request at a time on a CPU. Loading a
 * second model unloads the first: two models rarely fit where one was chosen to fit.
 */
import type { Llama, LlamaContext, LlamaEmbeddingContext, LlamaModel } from "node-llama-cpp";
import { CancelledError, OutOfMemoryError, RuntimeError } from "../../errors/index.ts";
import { createLlama, type EngineOptions, freeThreads, type NodeLlamaCpp } from "./engine.ts";
import type { ContextSettings } from "./options.ts";

export interface Loaded {
  path: string;
  /** The name it runs under (the ref it was asked by). */
  name: string;
  model: LlamaModel;
  /** Milliseconds this call spent loading it; 0 when it was already loaded. */
  loadMs: number;
  expiresAt?: Date;
}

interface Slot {
  path: string;
  name: string;
  model: LlamaModel;
  context?: { key: string; context: LlamaContext };
  embedding?: { key: string; context: LlamaEmbeddingContext };
  timer?: NodeJS.Timeout;
  expiresAt?: Date;
}

export class ModelCache {
  private engine?: Promise<{ engine: NodeLlamaCpp; llama: Llama }>;
  private slot?: Slot;
  private turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly engineOptions: EngineOptions = {}) {}

  /** The engine, started once per runtime; a failure is not cached, so installing the package and retrying works. */
  llama(): Promise<{ engine: NodeLlamaCpp; llama: Llama }> {
    this.engine ??= createLlama(this.engineOptions).catch((error) => {
      this.engine = undefined;
      throw error;
    });
    return this.engine;
  }

  /** Run `fn` when the calls before it are done. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.turn.then(fn, fn);
    this.turn = run.catch(() => undefined);
    return run;
  }

  /** What is loaded now, for status. */
  current(): { name: string; path: string; sizeBytes: number; vramBytes: number; expiresAt?: Date } | undefined {
    const s = this.slot;
    return (
      s && {
        name: s.name,
        path: s.path,
        sizeBytes: s.model.size,
        // What llama.cpp put on a GPU for the weights (0 on the CPU build).
        vramBytes: s.model.memoryUsage.vram,
        ...(s.expiresAt ? { expiresAt: s.expiresAt } : {}),
      }
    );
  }

  /** The model at `path`, loading it (and unloading another) when needed. Call inside exclusive(). */
  async model(path: string, name: string, signal?: AbortSignal): Promise<Loaded> {
    this.stopTimer();
    if (this.slot?.path === path) return { path, name: this.slot.name, model: this.slot.model, loadMs: 0 };
    await this.unload();
    const { llama, engine } = await this.llama();
    const started = performance.now();
    let model: LlamaModel;
    try {
      model = await llama.loadModel({ modelPath: path, ...(signal ? { loadSignal: signal } : {}) });
    } catch (error) {
      if (signal?.aborted) throw new CancelledError(`loading ${name}`, { cause: error });
      if (error instanceof engine.InsufficientMemoryError)
        throw new OutOfMemoryError(
          `${name} does not fit in this machine's free memory: pick a smaller quant or model (\`small-llm recommend\`)`,
          { cause: error },
        );
      throw new RuntimeError(
        `llama.cpp could not load ${path}: ${(error as Error).message}. Check that it is a complete GGUF file ` +
          "(re-download it) and that this llama.cpp supports its architecture (`small-llm status`).",
        undefined,
        { cause: error },
      );
    }
    this.slot = { path, name, model };
    return { path, name, model, loadMs: performance.now() - started };
  }

  /** No num_thread given: the physical cores no other work keeps busy now (engine.ts); all of them when a GPU runs it. */
  private threadsFor(llama: Llama): Promise<number> {
    return llama.gpu ? Promise.resolve(llama.maxThreads) : freeThreads(llama.maxThreads);
  }

  /** A chat context with these settings, reusing the last one when they match. */
  async context(settings: ContextSettings): Promise<LlamaContext> {
    const slot = this.need();
    const key = JSON.stringify(settings);
    if (slot.context?.key === key && !slot.context.context.disposed) return slot.context.context;
    await slot.context?.context.dispose();
    slot.context = undefined;
    const { engine, llama } = await this.llama();
    const threads = settings.threads ?? (await this.threadsFor(llama));
    const context = await slot.model
      .createContext({
        contextSize: settings.contextSize,
        threads,
        ...(settings.batchSize ? { batchSize: settings.batchSize } : {}),
      })
      .catch((error: unknown) => {
        if (error instanceof engine.InsufficientMemoryError)
          throw new OutOfMemoryError(
            `no room for a ${settings.contextSize}-token context with ${slot.name}: ask for less (\`--option num_ctx=2048\`) or pick a smaller model`,
            { cause: error },
          );
        throw new RuntimeError(
          `llama.cpp could not create a ${settings.contextSize}-token context for ${slot.name}: ${(error as Error).message}`,
          undefined,
          { cause: error },
        );
      });
    slot.context = { key, context };
    return context;
  }

  /** An embedding context (a separate one: embeddings pool the whole input instead of generating). */
  async embeddingContext(settings: ContextSettings): Promise<LlamaEmbeddingContext> {
    const slot = this.need();
    const key = JSON.stringify(settings);
    if (slot.embedding?.key === key) return slot.embedding.context;
    await slot.embedding?.context.dispose();
    // A chat context holds memory an embedding context then cannot get: only one lives at a time.
    await slot.context?.context.dispose();
    slot.context = undefined;
    const context = await slot.model.createEmbeddingContext({
      contextSize: settings.contextSize,
      threads: settings.threads ?? (await this.threadsFor((await this.llama()).llama)),
      ...(settings.batchSize ? { batchSize: settings.batchSize } : {}),
    });
    slot.embedding = { key, context };
    return context;
  }

  /** Keep the model for `ms` more (Infinity: until dispose; 0: unload now). */
  async release(ms: number): Promise<void> {
    const slot = this.slot;
    if (!slot) return;
    if (ms <= 0) return this.unload();
    if (!Number.isFinite(ms)) {
      slot.expiresAt = undefined;
      return;
    }
    slot.expiresAt = new Date(Date.now() + ms);
    // An idle model must not keep a CLI process alive.
    slot.timer = setTimeout(() => void this.exclusive(() => this.unloadIfIdle(slot)), ms).unref();
  }

  private async unloadIfIdle(slot: Slot): Promise<void> {
    if (this.slot === slot && slot.expiresAt && slot.expiresAt.getTime() <= Date.now()) await this.unload();
  }

  async unload(): Promise<void> {
    this.stopTimer();
    const slot = this.slot;
    this.slot = undefined;
    // Disposing the model disposes its contexts too.
    await slot?.model.dispose();
  }

  /** Unload the model and release the engine. */
  async dispose(): Promise<void> {
    await this.exclusive(() => this.unload());
    const engine = this.engine;
    this.engine = undefined;
    await engine?.then(({ llama }) => llama.dispose()).catch(() => undefined);
  }

  private stopTimer(): void {
    if (this.slot?.timer) clearTimeout(this.slot.timer);
    if (this.slot) this.slot.timer = undefined;
  }

  private need(): Slot {
    if (!this.slot) throw new Error("no model is loaded: call model() first");
    return this.slot;
  }
}
