/**
 * An Ollama API emulator: real HTTP on 127.0.0.1 answering like the Ollama server
 * (../shared/reference/ollama-api.md §8): version, tags, show, ps, pull as NDJSON with the real
 * status sequence and digests (cache hits, resume of partial downloads, `removing unused layers`),
 * unknown model as an error line after HTTP 200, invalid name 400, DELETE-only delete (POST 405),
 * generate and chat streaming with final stats (generate.ts: keep_alive, think, the answer faults),
 * ps with each loaded model's memory split and expiry. Pull faults: a stream cut mid-pull, an error
 * line, no space left on device, slow answers, HTTP 500.
 */
import { createHash } from "node:crypto";
import { createServer, type ServerResponse } from "node:http";
import { OLLAMA_REF } from "../../schema/index.ts";
import { json, readBody, text } from "../helpers/http-answers.ts";
import { listenLocal } from "../helpers/listen.ts";
import { fakeEmbedding } from "../helpers/model-behaviour.ts";
import {
  type BuildHost,
  blobRoute,
  createRoute,
  defaultConfig,
  type ModelConfig,
  showModelfile,
  showParameters,
} from "./create.ts";
import { type GenerateHost, generate, type LoadedEntry } from "./generate.ts";

export interface RegistryModel {
  /** Ref as users pull it, e.g. `hf.co/bartowski/X-GGUF:Q4_K_M` or `llama3.2`. */
  ref: string;
  layers: { mediaType: string; size: number; seed: string }[];
  family?: string;
  parameterSize?: string;
  quant?: string;
  /** The model's trained context, reported by /api/show as `<family>.context_length`. */
  contextLength?: number;
  /** A model without native tool calling: a chat with `tools` is a 400, as Ollama answers. */
  noTools?: boolean;
  /** It thinks before answering (`think` works; else Ollama's 400 "does not support thinking"). */
  thinking?: boolean;
}

export interface OllamaFault {
  /** Which requests: the path (`/api/pull`; `answer` for generate and chat alike) and, optionally, the model in the body. */
  path: string;
  model?: string;
  times: number;
  kind:
    | "cut"
    | "error-line"
    | "disk-full"
    | "slow"
    | "500"
    // generate/chat only:
    | "busy"
    | "empty"
    | "refusal"
    | "repeat"
    | "bad-json";
  /** For cut / error-line / disk-full: after this many progress lines (generate/chat: answer tokens). */
  afterLines?: number;
  message?: string;
  delayMs?: number;
}

interface Installed {
  name: string;
  manifest: string;
  digest: string;
  size: number;
  modifiedAt: string;
  model: RegistryModel;
  /** Template, system, parameters, adapters: what `/api/show` reports and `/api/create` builds on. */
  config: ModelConfig;
}

export interface OllamaEmulatorOptions {
  registry: RegistryModel[];
  version?: string;
  faults?: OllamaFault[];
  /** Bytes per progress line while "downloading". */
  chunkBytes?: number;
  /** Pause between streamed lines. */
  lineDelayMs?: number;
  /** Port to listen on (default: any free port). */
  port?: number;
  /** The context a model gets when no num_ctx is sent (OLLAMA_CONTEXT_LENGTH; default 4096). */
  defaultContext?: number;
  /** Report the durations the emulator really took ("real"), or fixed figures (default). */
  timing?: "fixed" | "real";
  /** Give tool calls an `id` (Ollama ≥ 0.12.10, the default) or not (older servers). */
  toolCallIds?: boolean;
  /** The share of a loaded model in VRAM that `/api/ps` reports (default 1: all on the GPU; 0: CPU only). */
  vramShare?: number;
}

export interface OllamaEmulator {
  url: string;
  /** The `host:port` form, for OLLAMA_HOST. */
  hostPort: string;
  faults: OllamaFault[];
  requests: { method: string; path: string; body: unknown }[];
  /** Publish a new build of a model upstream (its digest changes on the next pull). */
  republish(ref: string, seed: string): void;
  installed(): string[];
  /** The most generate/chat answers that were being written at once (a batch's concurrency). */
  peakAnswers(): number;
  close(): Promise<void>;
}

const sha = (s: string) => createHash("sha256").update(s).digest("hex");

/** Ollama's display form: default host and namespace dropped, `latest` tag added. */
export function displayName(ref: string): string {
  let r = ref.replace(/^registry\.ollama\.ai\//i, "").replace(/^library\//i, "");
  if (!/:[^/]+$/.test(r)) r = `${r}:latest`;
  return r;
}
const key = (ref: string) => displayName(ref).toLowerCase();

function manifestOf(model: RegistryModel): { text: string; digests: { digest: string; size: number }[] } {
  const layers = model.layers.map((l) => ({ mediaType: l.mediaType, digest: `sha256:${sha(l.seed)}`, size: l.size }));
  const config = {
    mediaType: "application/vnd.docker.container.image.v1+json",
    digest: `sha256:${sha(`config:${model.ref}`)}`,
    size: 487,
  };
  const text = JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.docker.distribution.manifest.v2+json",
    config,
    layers,
  });
  return { text, digests: [...layers, config].map((l) => ({ digest: l.digest, size: l.size })) };
}

export async function startOllamaEmulator(options: OllamaEmulatorOptions): Promise<OllamaEmulator> {
  const registry = new Map(options.registry.map((m) => [key(m.ref), structuredClone(m)]));
  const installed = new Map<string, Installed>();
  const blobs = new Map<string, number>(); // digest → bytes on disk (size when complete)
  const loaded = new Map<string, LoadedEntry>(); // name → expires_at, num_ctx
  const faults = options.faults ?? [];
  const requests: OllamaEmulator["requests"] = [];
  const chunk = options.chunkBytes ?? 64 * 1024 * 1024;
  const pause = () => new Promise((r) => setTimeout(r, options.lineDelayMs ?? 1));
  const defaultContext = options.defaultContext ?? 4096;
  const timingMode = options.timing ?? "fixed";
  const lineDelay = options.lineDelayMs ?? 1;
  const withIds = options.toolCallIds !== false;

  function takeFault(path: string, model: string | undefined): OllamaFault | undefined {
    const route = (x: OllamaFault) =>
      x.path === path || (x.path === "answer" && (path === "/api/chat" || path === "/api/generate"));
    const f = faults.find((x) => x.times > 0 && route(x) && (!x.model || (model && key(x.model) === key(model))));
    if (f) f.times--;
    return f;
  }

  function modelEntry(i: Installed) {
    return {
      name: i.name,
      model: i.name,
      modified_at: i.modifiedAt,
      size: i.size,
      digest: i.digest,
      details: {
        parent_model: "",
        format: "gguf",
        family: i.model.family ?? "llama",
        families: i.model.family ? [i.model.family] : null,
        parameter_size: i.model.parameterSize ?? "1.0B",
        quantization_level: i.model.quant ?? "Q4_K_M",
      },
    };
  }

  async function pull(res: ServerResponse, body: Record<string, unknown>) {
    const name = String(body.model ?? body.name ?? "");
    const stream = body.stream !== false;
    if (!name || !OLLAMA_REF.test(name)) return json(res, 400, { error: "invalid model name" });
    const fault = takeFault("/api/pull", name);
    if (fault?.kind === "500") return json(res, 500, { error: fault.message ?? "internal error" });
    if (fault?.kind === "slow") await new Promise((r) => setTimeout(r, fault.delayMs ?? 2000));
    const model = registry.get(key(name));
    if (!stream) {
      if (!model) return json(res, 500, { error: "pull model manifest: file does not exist" });
    }
    res.writeHead(200, { "Content-Type": "application/x-ndjson" });
    let lines = 0;
    const send = async (value: unknown) => {
      if (stream) res.write(`${JSON.stringify(value)}\n`);
      lines++;
      await pause();
    };
    const failAfter =
      fault && (fault.kind === "cut" || fault.kind === "error-line" || fault.kind === "disk-full")
        ? (fault.afterLines ?? 3)
        : Number.POSITIVE_INFINITY;
    await send({ status: "pulling manifest" });
    if (!model) {
      res.end(`${JSON.stringify({ error: "pull model manifest: file does not exist" })}\n`);
      return;
    }
    const { text: manifest, digests } = manifestOf(model);
    for (const layer of digests) {
      const status = `pulling ${layer.digest.slice(7, 19)}`;
      const have = blobs.get(layer.digest) ?? 0;
      if (have >= layer.size) {
        await send({ status, digest: layer.digest, total: layer.size, completed: layer.size });
        continue;
      }
      let done = have;
      await send(
        done > 0
          ? { status, digest: layer.digest, total: layer.size, completed: done }
          : { status, digest: layer.digest, total: layer.size },
      );
      while (done < layer.size) {
        if (lines >= failAfter && fault) {
          if (fault.kind === "cut") {
            res.socket?.destroy();
            return;
          }
          const message =
            fault.kind === "disk-full"
              ? `write /root/.ollama/models/blobs/sha256-${layer.digest.slice(7)}-partial: no space left on device`
              : (fault.message ?? "max retries exceeded: EOF");
          res.end(`${JSON.stringify({ error: message })}\n`);
          return;
        }
        done = Math.min(layer.size, done + chunk);
        blobs.set(layer.digest, done); // partial downloads survive, so a re-pull resumes
        await send({ status, digest: layer.digest, total: layer.size, completed: done });
      }
    }
    await send({ status: "verifying sha256 digest" });
    await send({ status: "writing manifest" });
    const display = displayName(name);
    const previous = installed.get(key(name));
    const digest = sha(manifest);
    installed.set(key(name), {
      name: display,
      manifest,
      digest,
      size: digests.reduce((s, d) => s + d.size, 0),
      modifiedAt: new Date().toISOString(),
      model,
      config: defaultConfig(digests),
    });
    if (previous && previous.digest !== digest) await send({ status: "removing unused layers" });
    if (stream) res.end(`${JSON.stringify({ status: "success" })}\n`);
    else json(res, 200, { status: "success" });
  }

  let answering = 0;
  let peak = 0;
  const generateHost: GenerateHost = {
    find: (name) => {
      const i = installed.get(key(name));
      return i && { name: i.name, system: i.config.system, thinking: i.model.thinking, noTools: i.model.noTools };
    },
    takeFault,
    loaded,
    defaultContext,
    timing: timingMode,
    lineDelayMs: lineDelay,
    toolCallId: () => (withIds ? `call_${sha(`${requests.length}`).slice(0, 8)}` : undefined),
  };

  const buildHost: BuildHost = {
    blobs,
    configOf: (name) => installed.get(key(name))?.config,
    pullQuietly(name) {
      const model = registry.get(key(name));
      if (!model) return false;
      const { text: manifest, digests } = manifestOf(model);
      for (const d of digests) blobs.set(d.digest, d.size);
      installed.set(key(name), {
        name: displayName(name),
        manifest,
        digest: sha(manifest),
        size: digests.reduce((s, d) => s + d.size, 0),
        modifiedAt: new Date().toISOString(),
        model,
        config: defaultConfig(digests),
      });
      return true;
    },
    install(name, config) {
      const base = [...installed.values()].find((i) => i.config.weights === config.weights)?.model;
      const manifest = JSON.stringify({ schemaVersion: 2, layers: config.layers });
      installed.set(key(name), {
        name: displayName(name),
        manifest,
        digest: sha(manifest),
        size: config.layers.reduce((s, l) => s + l.size, 0),
        modifiedAt: new Date().toISOString(),
        model: base ?? { ref: name, layers: [] },
        config,
      });
    },
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const route = `${req.method} ${url.pathname}`;
    const record = { method: req.method ?? "", path: url.pathname, body: undefined as unknown };
    requests.push(record);
    try {
      if (route === "GET /" || route === "HEAD /") return text(res, 200, "Ollama is running");
      if (route === "GET /api/version" || route === "HEAD /api/version")
        return json(res, 200, { version: options.version ?? "0.33.0" });
      if (route === "GET /api/tags" || route === "HEAD /api/tags") {
        return json(res, 200, {
          models: [...installed.values()].sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt)).map(modelEntry),
        });
      }
      if (route === "GET /api/ps") {
        return json(res, 200, {
          models: [...loaded.entries()]
            .sort((a, b) => b[1].expires.localeCompare(a[1].expires))
            .flatMap(([name, { expires, context }]) => {
              const i = installed.get(key(name));
              if (!i) return [];
              const vram = Math.round(i.size * (options.vramShare ?? 1));
              return [{ ...modelEntry(i), expires_at: expires, size_vram: vram, context_length: context }];
            }),
        });
      }
      if (url.pathname.startsWith("/api/blobs/")) {
        if (req.method !== "HEAD" && req.method !== "POST") return text(res, 405, "405 method not allowed");
        return await blobRoute(req, res, url.pathname.slice("/api/blobs/".length), buildHost);
      }
      const known = [
        "/api/create",
        "/api/pull",
        "/api/delete",
        "/api/show",
        "/api/generate",
        "/api/chat",
        "/api/embed",
      ];
      if (!known.includes(url.pathname)) return text(res, 404, "404 page not found");
      const expected = url.pathname === "/api/delete" ? "DELETE" : "POST";
      if (req.method !== expected) return text(res, 405, "405 method not allowed");
      const parsed = await readBody(req);
      if (!parsed.ok) return json(res, 400, { error: parsed.error });
      record.body = parsed.value;
      const body = parsed.value;
      switch (url.pathname) {
        case "/api/pull":
          return await pull(res, body);
        case "/api/create":
          return createRoute(res, body, buildHost);
        case "/api/delete": {
          const raw = String(body.model ?? body.name ?? "");
          if (!raw) return json(res, 400, { error: "model is required" });
          if (!OLLAMA_REF.test(raw)) return json(res, 400, { error: `name "${raw}" is invalid` });
          if (!installed.delete(key(raw))) return json(res, 404, { error: `model '${raw}' not found` });
          res.writeHead(200);
          return res.end();
        }
        case "/api/show": {
          const raw = String(body.model ?? body.name ?? "");
          if (!raw) return json(res, 400, { error: "model is required" });
          const i = installed.get(key(raw));
          if (!i) return json(res, 404, { error: `model '${displayName(raw)}' not found` });
          return json(res, 200, {
            modelfile: showModelfile(i.name, i.config),
            parameters: showParameters(i.config),
            template: i.config.template,
            ...(i.config.system !== undefined ? { system: i.config.system } : {}),
            details: modelEntry(i).details,
            model_info: {
              "general.architecture": i.model.family ?? "llama",
              "general.parameter_count": 494032768,
              [`${i.model.family ?? "llama"}.context_length`]: i.model.contextLength ?? 32768,
            },
            capabilities: [
              "completion",
              ...(i.model.noTools ? [] : ["tools"]),
              ...(i.model.thinking ? ["thinking"] : []),
            ],
            modified_at: i.modifiedAt,
          });
        }
        case "/api/generate":
        case "/api/chat":
          answering++;
          peak = Math.max(peak, answering);
          try {
            return await generate(generateHost, res, body, url.pathname === "/api/chat");
          } finally {
            answering--;
          }
        case "/api/embed": {
          const name = String(body.model ?? "");
          const i = installed.get(key(name));
          if (!i) return json(res, 404, { error: `model "${name}" not found, try pulling it first` });
          const fault = takeFault("/api/embed", name);
          if (fault?.kind === "500") return json(res, 500, { error: fault.message ?? "embedding failed" });
          const inputs = typeof body.input === "string" ? [body.input] : (body.input as string[]);
          const dims = typeof body.dimensions === "number" ? body.dimensions : 8;
          return json(res, 200, {
            model: name,
            embeddings: inputs.map((t) => fakeEmbedding(i.name, t, dims)),
            total_duration: 1_000_000,
            prompt_eval_count: inputs.reduce((n, t) => n + t.split(/\s+/).length, 0),
          });
        }
      }
    } catch (error) {
      if (!res.headersSent) json(res, 500, { error: String(error) });
      else res.end();
    }
  });
  const { port, close } = await listenLocal(server, options.port);
  return {
    url: `http://127.0.0.1:${port}`,
    hostPort: `127.0.0.1:${port}`,
    faults,
    requests,
    republish(ref, seed) {
      const m = registry.get(key(ref));
      if (!m) throw new Error(`no ${ref} in the emulated registry`);
      m.layers = m.layers.map((l, i) => (i === 0 ? { ...l, seed } : l));
    },
    installed: () => [...installed.values()].map((i) => i.name),
    peakAnswers: () => peak,
    close,
  };
}

/** A registry entry for a GGUF with a weights layer, a template and params, as hf.co serves them. */
export function ggufModel(ref: string, size: number, extra: Partial<RegistryModel> = {}): RegistryModel {
  return {
    ref,
    layers: [
      { mediaType: "application/vnd.ollama.image.model", size, seed: `weights:${ref}` },
      { mediaType: "application/vnd.ollama.image.template", size: 136, seed: `template:${ref}` },
      { mediaType: "application/vnd.ollama.image.params", size: 84, seed: `params:${ref}` },
    ],
    quant: ref.split(":").pop()?.toUpperCase(),
    ...extra,
  };
}
