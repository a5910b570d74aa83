/**
 * Drive a local Ollama through its HTTP API (via the official `ollama` client): status, start,
 * install with streamed progress, update with digest comparison, run, list, remove. Every failure
 * surfaces as one of the typed errors in errors.ts.
 */
import { type AbortableAsyncIterator, Ollama, type ProgressResponse } from "ollama";
import type { Index } from "../../../schema/index.ts";
import { OllamaNotInstalledError, OllamaServerDownError, OllamaVersionError, UnknownModelError } from "../errors.ts";
import { defaultCacheDir } from "../index-source/index-cache.ts";
import { classifyOllamaError, isUnreachable } from "./classify-error.ts";
import { ensureServer, findOllamaBinary } from "./ensure-server.ts";
import { ollamaBaseUrl } from "./host.ts";
import { findModel, resolveRef, sameModel } from "./model-ref.ts";
import type { ChatMessage, InstalledModel, OllamaStatus, PullProgress, RunResult, UpdateResult } from "./types.ts";
import { HF_REFS_SINCE, olderThan } from "./version.ts";

export type { ChatMessage, InstalledModel, OllamaStatus, PullProgress, RunResult, UpdateResult } from "./types.ts";

export interface DriverOptions {
  /** Server URL (default: `OLLAMA_HOST`, parsed as Ollama does). */
  host?: string;
  /** The index, to resolve ids like `Qwen/Qwen2.5-0.5B-Instruct` to install refs. */
  index?: Index;
  /** Where the started server's log and pid go (default: the client's cache dir). */
  cacheDir?: string;
  fetch?: typeof fetch;
}

export class OllamaDriver {
  readonly host: string;
  private readonly client: Ollama;
  private readonly index: Index | undefined;
  private readonly cacheDir: string;

  constructor(options: DriverOptions = {}) {
    this.host = options.host ? ollamaBaseUrl(options.host) : ollamaBaseUrl();
    this.client = new Ollama({ host: this.host, ...(options.fetch ? { fetch: options.fetch } : {}) });
    this.index = options.index;
    this.cacheDir = options.cacheDir ?? defaultCacheDir();
  }

  /**
   * Throw the typed error for a failure. `stream`: it happened after a pull started streaming, where
   * a dropped connection means an interrupted pull rather than a server that is down.
   */
  private fail(error: unknown, model?: string, phase: "request" | "pull" | "stream" = "request"): never {
    if (phase !== "stream" && isUnreachable(error)) {
      if (!findOllamaBinary()) throw new OllamaNotInstalledError(this.host, { cause: error });
      throw new OllamaServerDownError(this.host, (error as Error).message, { cause: error });
    }
    throw classifyOllamaError(error, { host: this.host, ...(model ? { model } : {}), pulling: phase !== "request" });
  }

  /** Is the server up, which version, what is installed. Never throws for an unreachable server. */
  async status(): Promise<OllamaStatus> {
    const binary = findOllamaBinary();
    try {
      const { version } = await this.client.version();
      const ps = await this.client.ps().catch(() => ({ models: [] }));
      const running = ps.models.map((m) => ({
        name: m.name,
        sizeBytes: m.size,
        vramBytes: m.size_vram,
        expiresAt: String(m.expires_at),
      }));
      return {
        host: this.host,
        reachable: true,
        version,
        ...(binary ? { binary } : {}),
        models: await this.list(),
        running,
      };
    } catch (error) {
      if (!isUnreachable(error)) this.fail(error);
      return { host: this.host, reachable: false, ...(binary ? { binary } : {}), models: [], running: [] };
    }
  }

  /** Start `ollama serve` if it is installed but not running. */
  ensureServer(options: { timeoutMs?: number; pollMs?: number } = {}) {
    return ensureServer({ baseUrl: this.host, cacheDir: this.cacheDir, ...options });
  }

  async list(): Promise<InstalledModel[]> {
    try {
      const { models } = await this.client.list();
      return models.map((m) => {
        const owner = this.index?.models.find((e) => e.install.some((t) => sameModel(t.ref, m.name)));
        return {
          name: m.name,
          digest: m.digest,
          sizeBytes: m.size,
          modifiedAt: String(m.modified_at),
          ...(m.details?.quantization_level ? { quant: m.details.quantization_level } : {}),
          ...(m.details?.parameter_size ? { parameterSize: m.details.parameter_size } : {}),
          ...(owner ? { indexId: owner.id } : {}),
        };
      });
    } catch (error) {
      this.fail(error);
    }
  }

  private async installed(ref: string): Promise<InstalledModel | undefined> {
    return (await this.list()).find((m) => sameModel(m.name, ref));
  }

  /** hf.co refs need a recent server; a server that does not say its version is given the benefit of the doubt. */
  private async checkVersion(ref: string): Promise<void> {
    if (!/^(hf\.co|huggingface\.co)\//i.test(ref)) return;
    let version: string | undefined;
    try {
      version = (await this.client.version()).version;
    } catch (error) {
      if (isUnreachable(error)) this.fail(error);
      return;
    }
    if (typeof version === "string" && olderThan(version, HF_REFS_SINCE)) {
      throw new OllamaVersionError("Pulling from Hugging Face (hf.co/…)", HF_REFS_SINCE, version);
    }
  }

  /** Pull a model (an index id or an Ollama ref), reporting progress; resolves to what is installed. */
  async install(
    idOrRef: string,
    options: { quant?: string | undefined; onProgress?: (p: PullProgress) => void; signal?: AbortSignal } = {},
  ): Promise<InstalledModel> {
    const { ref } = resolveRef(idOrRef, this.index, options.quant);
    await this.checkVersion(ref);
    await this.pull(ref, options);
    const done = await this.installed(ref);
    if (!done) throw new UnknownModelError(ref, "Ollama reported success but does not list the model");
    return done;
  }

  private async pull(
    ref: string,
    options: { onProgress?: (p: PullProgress) => void; signal?: AbortSignal },
  ): Promise<void> {
    let stream: AbortableAsyncIterator<ProgressResponse>;
    try {
      stream = await this.client.pull({ model: ref, stream: true });
    } catch (error) {
      this.fail(error, ref, "pull");
    }
    const abort = () => stream.abort();
    options.signal?.addEventListener("abort", abort, { once: true });
    const rate = new Map<string, { at: number; bytes: number; bps?: number }>();
    let succeeded = false;
    try {
      for await (const line of stream) {
        if (line.status === "success") succeeded = true;
        const progress: PullProgress = { ref, status: line.status };
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
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      this.fail(error, ref, "stream");
    } finally {
      options.signal?.removeEventListener("abort", abort);
    }
    if (!succeeded) this.fail(new Error("the stream ended before Ollama said success"), ref, "stream");
  }

  /** Re-pull and report, per model, whether its digest changed. `all` updates every installed model. */
  async update(
    idOrRef: string,
    options: { onProgress?: (p: PullProgress) => void; signal?: AbortSignal } = {},
  ): Promise<UpdateResult[]> {
    const targets = idOrRef === "all" ? (await this.list()).map((m) => m.name) : [this.installedRefFor(idOrRef)];
    const results: UpdateResult[] = [];
    for (const target of targets) {
      const ref = await target;
      const before = await this.installed(ref);
      if (!before) throw new UnknownModelError(ref, "it is not installed; run `small-llm install` first");
      await this.pull(ref, options);
      const after = await this.installed(ref);
      results.push({ ref, from: before.digest, to: after?.digest ?? "", changed: before.digest !== after?.digest });
    }
    return results;
  }

  /** The installed ref for an index id (whichever of its quants is installed) or a raw ref. */
  private async installedRefFor(idOrRef: string): Promise<string> {
    const model = findModel(this.index, idOrRef);
    if (!model) return resolveRef(idOrRef, this.index).ref;
    const installed = await this.list();
    const match = model.install.find((t) => installed.some((m) => sameModel(m.name, t.ref)));
    return match?.ref ?? resolveRef(idOrRef, this.index).ref;
  }

  /** Generate from a prompt, or chat from messages; installs the model first unless `pull: false`. */
  async run(
    idOrRef: string,
    input: string | ChatMessage[],
    options: {
      quant?: string;
      options?: Record<string, unknown>;
      system?: string;
      onToken?: (text: string) => void;
      onProgress?: (p: PullProgress) => void;
      pull?: boolean;
      signal?: AbortSignal;
    } = {},
  ): Promise<RunResult> {
    const ref = await this.installedRefFor(idOrRef).then((r) =>
      options.quant ? resolveRef(idOrRef, this.index, options.quant).ref : r,
    );
    if (!(await this.installed(ref))) {
      if (options.pull === false)
        throw new UnknownModelError(
          ref,
          "it is not installed (and --no-pull was given); run `small-llm install` first",
        );
      await this.install(ref, {
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    }
    const started = performance.now();
    let first: number | undefined;
    let text = "";
    let final: { done_reason?: string; prompt_eval_count?: number; eval_count?: number; eval_duration?: number } = {};
    const common = { model: ref, stream: true as const, ...(options.options ? { options: options.options } : {}) };
    try {
      const stream =
        typeof input === "string"
          ? await this.client.generate({
              ...common,
              prompt: input,
              ...(options.system ? { system: options.system } : {}),
            })
          : await this.client.chat({
              ...common,
              messages: options.system ? [{ role: "system", content: options.system }, ...input] : input,
            });
      const abort = () => stream.abort();
      options.signal?.addEventListener("abort", abort, { once: true });
      for await (const chunk of stream as AsyncIterable<{
        response?: string;
        message?: { content?: string };
        done: boolean;
      }>) {
        const piece = chunk.response ?? chunk.message?.content ?? "";
        if (piece) {
          first ??= performance.now();
          text += piece;
          options.onToken?.(piece);
        }
        if (chunk.done) final = chunk as typeof final;
      }
      options.signal?.removeEventListener("abort", abort);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      this.fail(error, ref);
    }
    const end = performance.now();
    return {
      model: ref,
      text,
      ...(final.done_reason ? { doneReason: final.done_reason } : {}),
      latencyMs: Math.round((first ?? end) - started),
      totalMs: Math.round(end - started),
      ...(final.prompt_eval_count !== undefined ? { promptTokens: final.prompt_eval_count } : {}),
      ...(final.eval_count !== undefined ? { outputTokens: final.eval_count } : {}),
      ...(final.eval_count && final.eval_duration
        ? { tokensPerSecond: (final.eval_count / final.eval_duration) * 1e9 }
        : {}),
    };
  }

  async remove(idOrRef: string): Promise<string> {
    const ref = await this.installedRefFor(idOrRef);
    try {
      await this.client.delete({ model: ref });
      return ref;
    } catch (error) {
      this.fail(error, ref);
    }
  }
}
