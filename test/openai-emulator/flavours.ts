/**
 * What each OpenAI-compatible runtime answers besides the chat route, as their sources document it
 * (../shared/reference/agents-and-runtimes.md §B.1): health and version routes, the shape of
 * `/v1/models`, what an unknown route answers (LM Studio even answers 200 with an error), and
 * whether an API key is required. Detection must tell them apart from these answers alone.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { json, text } from "../helpers/http-answers.ts";

export const FLAVOURS = ["llamacpp", "lmstudio", "vllm", "jan", "localai", "openai"] as const;
export type Flavour = (typeof FLAVOURS)[number];

export interface FlavourState {
  models: string[];
  /** Still starting: llama.cpp answers 503 to every route (its /health too), LocalAI's /readyz does. */
  loading: boolean;
  version: string;
}

const CREATED = 1_767_225_600; // 2026-01-01, fixed so answers are deterministic

export const KEY_REQUIRED: Record<Flavour, boolean> = {
  llamacpp: false,
  lmstudio: false,
  vllm: false,
  jan: true,
  localai: false,
  openai: true,
};

export function modelList(flavour: Flavour, models: string[]) {
  const card = (id: string) => {
    switch (flavour) {
      case "llamacpp":
        return {
          id,
          object: "model",
          created: CREATED,
          owned_by: "llamacpp",
          meta: { vocab_type: 2, n_vocab: 151936, n_ctx_train: 32768, n_params: 494032768, size: 397807936 },
        };
      case "vllm":
        return {
          id,
          object: "model",
          created: CREATED,
          owned_by: "vllm",
          root: id,
          parent: null,
          max_model_len: 32768,
        };
      case "lmstudio":
        return { id, object: "model", owned_by: "organization_owner" };
      case "localai":
        return { id, object: "model" };
      case "jan":
        return { id, object: "model", created: CREATED, owned_by: "user" };
      case "openai":
        return { id, object: "model", created: CREATED, owned_by: "system" };
    }
  };
  return { object: "list", data: models.map(card) };
}

/** The not-found answer of each server's router. */
export function notFound(flavour: Flavour, req: IncomingMessage, res: ServerResponse): void {
  const [status, body] = notFoundAnswer(flavour, req);
  json(res, status, body);
}

function notFoundAnswer(flavour: Flavour, req: IncomingMessage): [number, unknown] {
  const route = `${req.method} ${new URL(req.url ?? "/", "http://x").pathname}`;
  switch (flavour) {
    case "llamacpp":
      return [404, { error: { code: 404, message: "File Not Found", type: "not_found_error" } }];
    case "lmstudio":
      return [200, { error: `Unexpected endpoint or method. (${route})` }];
    case "vllm":
      return [404, { detail: "Not Found" }];
    case "localai":
      return [404, { error: { code: 404, message: `Cannot ${route}`, type: "" } }];
    case "jan":
    case "openai":
      return [
        404,
        {
          error: { message: `Invalid URL (${route})`, type: "invalid_request_error", param: null, code: null },
        },
      ];
  }
}

/** The flavour's own routes (health, version, native model lists); false when the path is not one of them. */
export function ownRoute(flavour: Flavour, path: string, state: FlavourState, res: ServerResponse): boolean {
  switch (`${flavour} ${path}`) {
    case "llamacpp /health":
    case "llamacpp /v1/health":
      if (state.loading) json(res, 503, { error: { code: 503, message: "Loading model", type: "unavailable_error" } });
      else json(res, 200, { status: "ok" });
      return true;
    case "llamacpp /props":
      json(res, 200, {
        default_generation_settings: { n_ctx: 4096, params: { temperature: 0.8, top_k: 40, top_p: 0.95 } },
        total_slots: 1,
        model_path: `/models/${state.models[0] ?? "model"}.gguf`,
        chat_template: "{{ messages }}",
        modalities: { vision: false, audio: false },
        build_info: state.version,
        is_sleeping: false,
      });
      return true;
    case "lmstudio /api/v1/models":
      json(res, 200, {
        models: state.models.map((key) => ({
          type: "llm",
          publisher: key.split("/")[0] ?? "lmstudio-community",
          key,
          display_name: key,
          architecture: "qwen2",
          quantization: { name: "Q4_K_M", bits_per_weight: 4 },
          size_bytes: 397807936,
          params_string: "0.5B",
          loaded_instances: [],
          max_context_length: 32768,
          format: "gguf",
          capabilities: { vision: false, trained_for_tool_use: true },
        })),
      });
      return true;
    case "vllm /health":
      if (state.loading) json(res, 503, {});
      else {
        res.writeHead(200);
        res.end();
      }
      return true;
    case "vllm /version":
      json(res, 200, { version: state.version });
      return true;
    case "vllm /load":
      json(res, 200, { server_load: 0 });
      return true;
    case "localai /healthz":
      text(res, 200, "OK");
      return true;
    case "localai /readyz":
      if (state.loading) json(res, 503, { status: "starting", reason: "startup preload in progress" });
      else json(res, 200, { status: "ready" });
      return true;
    case "localai /version":
      json(res, 200, { version: state.version, commit: "82c191a" });
      return true;
    case "localai /.well-known/localai.json":
      json(res, 200, {
        version: state.version,
        endpoints: {
          openai: ["/v1/chat/completions", "/v1/completions", "/v1/models", "/v1/embeddings"],
          health: ["/healthz", "/readyz"],
          models: ["/models/available", "/models/apply"],
        },
      });
      return true;
  }
  return false;
}

export const DEFAULT_VERSION: Record<Flavour, string> = {
  llamacpp: "b6500-00dc805",
  lmstudio: "0.4.2",
  vllm: "0.11.0",
  jan: "0.7.1",
  localai: "v3.9.0",
  openai: "2026-08",
};
