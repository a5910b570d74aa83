/**
 * The Router owns what lives longer than one call: the index handle, the hardware, which runtimes
 * answer, their installed models, cooldowns and the speeds measured here (bench and metrics). Each
 * server (the HTTP API, the MCP server, the gateway) holds its own; `delegate()` uses a default one. Shared loads run
 * under the Router's own lifetime, never under one caller's signal: a caller that cancels stops
 * waiting, and the next call still gets the index and the detected runtimes.
 */
import { createHash } from "node:crypto";
import type { Index } from "../../../schema/index.ts";
import { type GetIndexOptions, getIndex, type IndexResult } from "../catalog/get-index.ts";
import { detectHardware, type Hardware } from "../hardware/detect-hardware.ts";
import { untilAborted } from "../http/index.ts";
import { type DetectedRuntime, type DetectOptions, detectRuntimes } from "../runtimes/detect.ts";
import { EmbeddedRuntime } from "../runtimes/embedded/runtime.ts";
import { OllamaDriver } from "../runtimes/ollama/driver.ts";
import { ownerOf } from "../runtimes/resolve-target.ts";
import type { ChatMessage, InstalledModel, Runtime } from "../runtimes/runtime.ts";
import {
  type AgentRuntimes,
  addDetected,
  agentRuntimes,
  detectionTargets,
  type OpenAIRuntimeFactory,
} from "./agent-runtimes.ts";
import { hardwareFingerprint } from "./bench.ts";
import { type AgentConfig, loadConfig } from "./config.ts";
import { Cooldowns } from "./cooldowns.ts";
import { type DelegateOptions, type LlmResponse, runDelegation } from "./delegate.ts";
import { type Explanation, explainPlan } from "./explain.ts";
import { type DelegateManyOptions, delegateMany } from "./helpers.ts";
import { type MeasuredHere, measuredHere, measuredKey } from "./measured-runs.ts";

export interface RouterOptions {
  /** How the index is loaded (mirrors, offline, cache dir)… */
  index?: Omit<GetIndexOptions, "refresh" | "signal">;
  /** …or the loader itself (the CLI passes one that honours --index-url and --offline). */
  loadIndex?: (refresh?: boolean) => Promise<IndexResult>;
  /** The config (default: `<config>/config.json`, read on each call so an edit applies at once). */
  config?: AgentConfig;
  /** Runtimes to use instead of Ollama at OLLAMA_HOST, the config's and the detected ones (tests, apps). */
  runtimes?: Runtime[];
  hardware?: () => Promise<Hardware>;
  /** Builds OpenAI-compatible runtimes for the config's `runtimes` and `cloud` entries. */
  openAIRuntime?: OpenAIRuntimeFactory;
  /** Look for OpenAI-compatible servers (default: as SMALL_LLM_DETECT, SMALL_LLM_RUNTIMES and SMALL_LLM_SCAN_DEFAULT_PORTS say). */
  detect?: boolean | DetectOptions;
  /** How long a loaded index is reused (default 10 min; a failed load, 30 s). */
  indexReuseMs?: number;
  /** How long detection results are reused (default 60 s). */
  detectReuseMs?: number;
}

interface Held<T> {
  at: number;
  value: Promise<T>;
  ttl: number;
  key?: string;
}

const INDEX_REUSE_MS = 10 * 60_000;
const FAILED_INDEX_REUSE_MS = 30_000;
const DETECT_REUSE_MS = 60_000;
const LIST_REUSE_MS = 1000;

export class Router {
  /** Models that failed recently: skipped for a few seconds, then tried last. */
  readonly cooldowns = new Cooldowns();
  private readonly options: RouterOptions;
  private heldIndex: Held<IndexResult> | undefined;
  private heldHardware: Promise<Hardware> | undefined;
  private heldDetection: Held<DetectedRuntime[]> | undefined;
  private readonly lists = new WeakMap<Runtime, { at: number; models: Promise<InstalledModel[]> }>();
  private embeddedRuntime: EmbeddedRuntime | undefined;
  private built: { key: string; factory: OpenAIRuntimeFactory | undefined; value: AgentRuntimes } | undefined;
  private here: { key: string; value: MeasuredHere } | undefined;
  private readonly creations = new Map<string, Promise<boolean>>();

  constructor(options: RouterOptions = {}) {
    this.options = options;
  }

  /** The index and where it came from; throws when none can be had. Reused for a while; `refresh` asks again. */
  loadIndex(refresh = false, signal?: AbortSignal): Promise<IndexResult> {
    const now = Date.now();
    const held = this.heldIndex;
    if (refresh || !held || now - held.at > held.ttl) {
      const value = this.options.loadIndex
        ? this.options.loadIndex(refresh)
        : getIndex({ ...this.options.index, refresh });
      const entry: Held<IndexResult> = { at: now, value, ttl: this.options.indexReuseMs ?? INDEX_REUSE_MS };
      value.catch(() => {
        entry.ttl = Math.min(entry.ttl, FAILED_INDEX_REUSE_MS);
      });
      this.heldIndex = entry;
    }
    return untilAborted((this.heldIndex as Held<IndexResult>).value, signal, "loading the index");
  }

  /** The index, or undefined when none can be had: delegation and managing raw refs work without one. */
  async index(signal?: AbortSignal): Promise<Index | undefined> {
    try {
      return (await this.loadIndex(false, signal)).index;
    } catch (error) {
      if (signal?.aborted) throw error;
      return undefined;
    }
  }

  /** This machine, detected once. */
  hardware(): Promise<Hardware> {
    this.heldHardware ??= (this.options.hardware ?? detectHardware)().catch((error) => {
      this.heldHardware = undefined;
      throw error;
    });
    return this.heldHardware;
  }

  /** The config of this call: the Router's own, else config.json as it is now. */
  config(): AgentConfig {
    return this.options.config ?? loadConfig();
  }

  /**
   * The runtimes a delegation may use: the injected ones, or Ollama and the config's, plus the
   * servers detection found (reused for a minute).
   */
  async runtimes(
    config: AgentConfig,
    options: Pick<DelegateOptions, "runtimes" | "openAIRuntime" | "detect"> = {},
    signal?: AbortSignal,
  ): Promise<AgentRuntimes> {
    const injected = options.runtimes ?? this.options.runtimes;
    const factory = options.openAIRuntime ?? this.options.openAIRuntime;
    if (injected?.length) return agentRuntimes(config, injected, factory);
    const runtimes = this.configured(config, factory);
    // llama.cpp in this process: named for a `.gguf` path or an explicit `{ runtime: "embedded" }`
    // entry, and in the derived chains only once the user installed models for it or chose it.
    const embedded = this.embedded();
    runtimes.byName.set("embedded", embedded);
    if (config.embedded === true || embedded.store.list().length) runtimes.local.push(embedded);
    const detect = options.detect ?? this.options.detect ?? config.detect;
    const where = typeof detect === "object" ? detect : detectionTargets(process.env, detect === true);
    if (detect === false || !where) return runtimes;
    addDetected(runtimes, await untilAborted(this.detected(where), signal, "looking for runtimes"));
    return runtimes;
  }

  /**
   * Ollama and the config's runtimes, built once per config: the same runtime objects from call to
   * call, so their installed lists are shared (`installed()` keys on the object). A copy each time,
   * since detection adds to it.
   */
  private configured(config: AgentConfig, factory: OpenAIRuntimeFactory | undefined): AgentRuntimes {
    const keyEnvs = Object.values(config.cloud ?? {}).map((c) => process.env[c.apiKeyEnv ?? "OPENAI_API_KEY"] ?? "");
    const key = createHash("sha256")
      .update(JSON.stringify([config.runtimes, config.cloud, process.env.OLLAMA_HOST, keyEnvs]))
      .digest("hex");
    if (this.built?.key !== key || this.built.factory !== factory)
      this.built = { key, factory, value: agentRuntimes(config, undefined, factory) };
    const { local, byName, clouds, missing } = this.built.value;
    return { local: [...local], byName: new Map(byName), clouds: new Map(clouds), missing: new Map(missing) };
  }

  private detected(options: DetectOptions): Promise<DetectedRuntime[]> {
    const now = Date.now();
    const key = JSON.stringify([options.hosts, options.defaults, options.timeoutMs]);
    const held = this.heldDetection;
    if (!held || held.key !== key || now - held.at > held.ttl) {
      const value = detectRuntimes({ ollama: false, ...options, signal: undefined }).catch(() => []);
      this.heldDetection = { at: now, value, ttl: this.options.detectReuseMs ?? DETECT_REUSE_MS, key };
    }
    return (this.heldDetection as Held<DetectedRuntime[]>).value;
  }

  /** The in-process llama.cpp runtime: one per Router, so the model it loaded stays loaded between calls. */
  embedded(): EmbeddedRuntime {
    this.embeddedRuntime ??= new EmbeddedRuntime();
    return this.embeddedRuntime;
  }

  /** Free what this Router loaded in process (the embedded runtime's model and llama.cpp); it can still be used. */
  async dispose(): Promise<void> {
    await this.embeddedRuntime?.dispose();
  }

  /** Forget what detection found (after starting a server). */
  forgetDetected(): void {
    this.heldDetection = undefined;
  }

  /** The runtime's installed models, at most a second old, so back-to-back calls share one round trip. */
  installed(runtime: Runtime, signal?: AbortSignal): Promise<InstalledModel[]> {
    const held = this.lists.get(runtime);
    if (held && performance.now() - held.at < LIST_REUSE_MS) return untilAborted(held.models, signal, "listing models");
    const models = runtime.list({});
    this.lists.set(runtime, { at: performance.now(), models });
    models.catch(() => this.lists.delete(runtime));
    return untilAborted(models, signal, "listing models");
  }

  /** After a pull, a removal, or a "not installed" answer. */
  forgetInstalled(runtime: Runtime): void {
    this.lists.delete(runtime);
  }

  /**
   * Tokens/s measured on this machine — by `small-llm bench`, and by local runs and delegated calls in
   * the metrics — by normalised ref, and one run per model to re-fit the machine's speed constants.
   * Re-read when bench.jsonl or usage.jsonl changes.
   */
  measuredHere(hardware: Hardware): MeasuredHere {
    const key = `${hardwareFingerprint(hardware).fingerprint};${measuredKey()}`;
    if (this.here?.key !== key) this.here = { key, value: measuredHere(hardware) };
    return this.here.value;
  }

  /**
   * The installed models that were made on this machine — a system prompt or an adapter of their
   * own (`small-llm create`, `ollama create`) — among those the index does not know. A derived
   * chain leaves them out: a persona answers as itself, so it is used only where it is named.
   * Asked once per model and digest (Ollama `/api/show`); a model that cannot be asked is not one.
   */
  async madeHere(runtime: Runtime, models: InstalledModel[], index: Index | undefined): Promise<Set<string>> {
    if (!(runtime instanceof OllamaDriver)) return new Set();
    const unknown = models.filter((m) => !ownerOf(index, m.name));
    const answers = await Promise.all(
      unknown.map(async (m) => {
        const key = `${runtime.host}|${m.name}|${m.digest}`;
        let made = this.creations.get(key);
        if (made === undefined) {
          made = runtime.show(m.name).then(
            (s) => Boolean(s.system?.trim() || s.details?.parent_model || /^ADAPTER\s/im.test(s.modelfile ?? "")),
            () => false,
          );
          this.creations.set(key, made);
        }
        return (await made) ? m.name : undefined;
      }),
    );
    return new Set(answers.filter((n): n is string => n !== undefined));
  }

  /** Measured tokens/s by normalised ref (normalizeRef). */
  measured(hardware: Hardware): Map<string, number> {
    return this.measuredHere(hardware).speeds;
  }

  /** Hand a prompt to the right model: see `delegate()`. */
  delegate(input: string | ChatMessage[], options: DelegateOptions = {}): Promise<LlmResponse> {
    return runDelegation(this, input, options);
  }

  /** Every prompt, a few at a time, on this Router: see `delegateMany()`. */
  delegateMany(
    prompts: readonly (string | ChatMessage[])[],
    options: Omit<DelegateManyOptions, "router"> = {},
  ): Promise<LlmResponse[]> {
    return delegateMany(prompts, { ...options, router: this });
  }

  /** The chain a call would try, and why, without calling a model. */
  explain(input: string | ChatMessage[], options: DelegateOptions = {}): Promise<Explanation> {
    return explainPlan(this, input, options);
  }
}
