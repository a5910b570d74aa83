/**
 * An OpenAI-compatible runtime emulator: real HTTP on 127.0.0.1 answering as llama.cpp's
 * llama-server, LM Studio, vLLM, Jan, LocalAI or a cloud endpoint would (flavours.ts), with
 * `/v1/models` and `/v1/chat/completions` streamed as server-sent events (usage on a last chunk
 * when `stream_options.include_usage`, plus each runtime's own timing fields). Faults: busy N
 * times, an error event mid-stream, a cut connection, an empty answer, a slow answer, out of
 * memory, any status with a message; a wrong or missing key gets the flavour's 401.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { json, readBody, sleep } from "../helpers/http-answers.ts";
import { listenLocal } from "../helpers/listen.ts";
import { fakeEmbedding, toolCallFor, toolResultAnswer } from "../helpers/model-behaviour.ts";
import {
  DEFAULT_VERSION,
  type Flavour,
  type FlavourState,
  KEY_REQUIRED,
  modelList,
  notFound,
  ownRoute,
} from "./flavours.ts";

export interface OpenAIFault {
  kind: "busy" | "error-mid-stream" | "cut" | "empty" | "refusal" | "slow" | "oom" | "status" | "ignore-stream";
  /** How many requests it hits before it is used up. */
  times: number;
  /** Which route (default the chat route). */
  path?: string;
  /** For error-mid-stream and cut: after this many tokens (default 2). */
  afterTokens?: number;
  /** For slow: the pause before the answer (default 2000 ms). */
  delayMs?: number;
  /** For busy: the status (default 503; 429 for a cloud endpoint's rate limit); for status: the one to answer. */
  status?: number;
  message?: string;
}

export interface OpenAIEmulatorOptions {
  flavour: Flavour;
  models?: string[];
  /** The key the server accepts. Jan and cloud flavours always want one (default `sk-emulator`). */
  apiKey?: string;
  faults?: OpenAIFault[];
  loading?: boolean;
  version?: string;
  /** Pause between streamed tokens. */
  tokenDelayMs?: number;
  port?: number;
}

export interface OpenAIEmulator {
  url: string;
  flavour: Flavour;
  apiKey: string | undefined;
  faults: OpenAIFault[];
  /** What arrived, with whether a Bearer key came (never the key). */
  requests: { method: string; path: string; body: unknown; bearer: boolean; headers: IncomingMessage["headers"] }[];
  state: FlavourState;
  close(): Promise<void>;
}

const PUBLIC_PATHS = new Set(["/health", "/v1/health", "/healthz", "/readyz"]);

export async function startOpenAIEmulator(options: OpenAIEmulatorOptions): Promise<OpenAIEmulator> {
  const { flavour } = options;
  const apiKey = options.apiKey ?? (KEY_REQUIRED[flavour] ? "sk-emulator" : undefined);
  const faults = options.faults ?? [];
  const requests: OpenAIEmulator["requests"] = [];
  const state: FlavourState = {
    models: options.models ?? ["qwen2.5-0.5b-instruct"],
    loading: options.loading ?? false,
    version: options.version ?? DEFAULT_VERSION[flavour],
  };
  const pause = () => sleep(options.tokenDelayMs ?? 1);

  function takeFault(path: string): OpenAIFault | undefined {
    const f = faults.find((x) => x.times > 0 && (x.path ?? "/v1/chat/completions") === path);
    if (f) f.times--;
    return f;
  }

  function unauthorized(res: ServerResponse, sent: boolean) {
    if (flavour === "openai")
      return json(res, 401, {
        error: {
          message: sent ? "Incorrect API key provided." : "You didn't provide an API key.",
          type: "invalid_request_error",
          code: "invalid_api_key",
        },
      });
    return json(res, 401, { error: { code: 401, message: "Invalid API Key", type: "authentication_error" } });
  }

  function errorBody(status: number, message: string, type = "server_error") {
    return { error: { code: status, message, type } };
  }

  async function chat(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>) {
    const model = body.model;
    const messages = body.messages;
    if (!Array.isArray(messages) || messages.length === 0)
      return json(res, 400, errorBody(400, "'messages' must be a non-empty array", "invalid_request_error"));
    if (typeof model !== "string" && flavour !== "llamacpp")
      return json(res, 400, errorBody(400, "'model' is required", "invalid_request_error"));
    // llama-server with one model answers whatever name is asked; the others know their models.
    const served = flavour === "llamacpp" ? (state.models[0] ?? "model") : String(model);
    if (flavour !== "llamacpp" && !state.models.includes(served))
      return json(res, 404, {
        error: {
          message: `The model \`${served}\` does not exist.`,
          type: "invalid_request_error",
          code: "model_not_found",
        },
      });
    const fault = takeFault("/v1/chat/completions");
    if (fault?.kind === "busy") {
      const status = fault.status ?? 503;
      return json(
        res,
        status,
        errorBody(status, fault.message ?? (status === 429 ? "Rate limit reached" : "server busy")),
      );
    }
    if (fault?.kind === "status") {
      const status = fault.status ?? 400;
      return json(res, status, errorBody(status, fault.message ?? "bad request", "invalid_request_error"));
    }
    if (fault?.kind === "oom")
      return json(res, 500, errorBody(500, fault.message ?? "CUDA error: out of memory - failed to allocate KV cache"));
    if (fault?.kind === "slow") await sleep(fault.delayMs ?? 2000);

    const last = messages.at(-1) as { content?: unknown };
    const said = typeof last?.content === "string" ? last.content : JSON.stringify(last?.content ?? "");
    const format = body.response_format as { type?: string } | undefined;
    // With tools, the model calls the first one (streamed as id + name, then argument fragments).
    const content =
      fault?.kind === "empty" ||
      fault?.kind === "error-mid-stream" ||
      fault?.kind === "cut" ||
      fault?.kind === "refusal";
    const call = content ? undefined : toolCallFor(body.tools, messages, served);
    const answer = call
      ? ""
      : fault?.kind === "refusal"
        ? "I'm sorry, but I can't help with that."
        : (toolResultAnswer(messages) ??
          (format?.type === "json_object" || format?.type === "json_schema"
            ? JSON.stringify({ answer: `Hello from ${served}` })
            : `Hello from ${served}. You said: ${said}`));
    const all = fault?.kind === "empty" ? [] : answer.split(/(?<= )/);
    const maxTokens = typeof body.max_tokens === "number" ? body.max_tokens : undefined;
    const tokens = maxTokens !== undefined ? all.slice(0, maxTokens) : all;
    const finish = tokens.length < all.length ? "length" : "stop";
    const promptTokens = messages.reduce(
      (n: number, m) => n + String((m as { content?: unknown }).content ?? "").split(/\s+/).length,
      0,
    );
    const id = `chatcmpl-${requests.length}`;
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created: 1_767_225_600, model: served, choices, ...extra })}\n\n`;
    const timings = {
      prompt_n: promptTokens,
      prompt_ms: 12.5,
      prompt_per_second: (promptTokens / 12.5) * 1000,
      predicted_n: tokens.length,
      predicted_ms: tokens.length * 20,
      predicted_per_second: tokens.length ? 50 : 0,
    };
    const outputTokens = call ? 7 : tokens.length;
    const usage: Record<string, unknown> = {
      prompt_tokens: promptTokens,
      completion_tokens: outputTokens,
      total_tokens: promptTokens + outputTokens,
    };
    const callId = `call_emu${requests.length}`;
    const args = call ? JSON.stringify(call.arguments) : "";
    if (flavour === "localai" && req.headers["extra-usage"]) {
      usage.timing_prompt_processing = 12.5;
      usage.timing_token_generation = tokens.length * 25;
    }
    const extras =
      flavour === "llamacpp"
        ? { timings }
        : flavour === "lmstudio"
          ? {
              stats: {
                tokens_per_second: 40,
                time_to_first_token: 0.05,
                generation_time: tokens.length / 40,
                stop_reason: "eosFound",
              },
            }
          : {};

    if (body.stream !== true || fault?.kind === "ignore-stream") {
      return json(res, 200, {
        id,
        object: "chat.completion",
        created: 1_767_225_600,
        model: served,
        choices: [
          {
            index: 0,
            message: call
              ? {
                  role: "assistant",
                  content: null,
                  tool_calls: [{ id: callId, type: "function", function: { name: call.name, arguments: args } }],
                }
              : { role: "assistant", content: tokens.join("") },
            finish_reason: call ? "tool_calls" : finish,
          },
        ],
        usage,
        ...extras,
      });
    }
    res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache", Connection: "keep-alive" });
    res.write(chunk([{ index: 0, delta: { role: "assistant", content: null }, finish_reason: null }]));
    const breakAt = fault?.kind === "error-mid-stream" || fault?.kind === "cut" ? (fault.afterTokens ?? 2) : Infinity;
    for (const [i, t] of tokens.entries()) {
      if (i >= breakAt) {
        if (fault?.kind === "cut") {
          // What was written goes out first, as it would over a real link that then breaks.
          await new Promise((resolve) => res.write("", () => resolve(undefined)));
          res.socket?.destroy();
          return;
        }
        res.end(
          `data: ${JSON.stringify(errorBody(500, fault?.message ?? "llama_decode: failed to decode, ret = -3"))}\n\n`,
        );
        return;
      }
      res.write(chunk([{ index: 0, delta: { content: t }, finish_reason: null }]));
      // No delay means none: even a 0 ms timer waits a millisecond or more.
      if (options.tokenDelayMs !== 0) await pause();
    }
    if (call) {
      const half = Math.ceil(args.length / 2);
      res.write(
        chunk([
          {
            index: 0,
            delta: {
              tool_calls: [{ index: 0, id: callId, type: "function", function: { name: call.name, arguments: "" } }],
            },
            finish_reason: null,
          },
        ]),
      );
      for (const part of [args.slice(0, half), args.slice(half)])
        res.write(
          chunk([
            { index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: part } }] }, finish_reason: null },
          ]),
        );
    }
    const includeUsage = (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
    res.write(
      chunk([{ index: 0, delta: {}, finish_reason: call ? "tool_calls" : finish }], includeUsage ? {} : extras),
    );
    if (includeUsage) res.write(chunk([], { usage, ...extras }));
    res.end("data: [DONE]\n\n");
  }

  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const auth = req.headers.authorization;
    const record = {
      method: req.method ?? "",
      path,
      body: undefined as unknown,
      bearer: Boolean(auth),
      headers: req.headers,
    };
    requests.push(record);
    try {
      // vLLM's key guards only /v1/*; the others keep their health routes public.
      const isPublic = flavour === "vllm" ? !path.startsWith("/v1") : PUBLIC_PATHS.has(path);
      if (apiKey && !isPublic && auth !== `Bearer ${apiKey}`) return unauthorized(res, Boolean(auth));
      if (req.method === "GET" && ownRoute(flavour, path, state, res)) return;
      if (flavour === "llamacpp" && state.loading)
        return json(res, 503, { error: { code: 503, message: "Loading model", type: "unavailable_error" } });
      if (req.method === "GET" && path === "/v1/models") {
        const fault = takeFault("/v1/models");
        if (fault?.kind === "busy") return json(res, fault.status ?? 503, errorBody(503, "server busy"));
        if (fault?.kind === "slow") await sleep(fault.delayMs ?? 2000);
        return json(res, 200, modelList(flavour, state.models));
      }
      if (req.method === "POST" && path === "/v1/embeddings") {
        const parsed = await readBody(req);
        if (!parsed.ok) return json(res, 400, errorBody(400, parsed.error, "invalid_request_error"));
        record.body = parsed.value;
        const model = String(parsed.value.model ?? "");
        if (!state.models.includes(model))
          return json(res, 404, {
            error: { message: `The model \`${model}\` does not exist.`, type: "invalid_request_error" },
          });
        const input = parsed.value.input;
        const inputs = typeof input === "string" ? [input] : (input as string[]);
        const dims = typeof parsed.value.dimensions === "number" ? parsed.value.dimensions : 8;
        const tokens = inputs.reduce((n, t) => n + t.split(/\s+/).length, 0);
        return json(res, 200, {
          object: "list",
          data: inputs.map((t, index) => ({ object: "embedding", index, embedding: fakeEmbedding(model, t, dims) })),
          model,
          usage: { prompt_tokens: tokens, total_tokens: tokens },
        });
      }
      if (req.method === "POST" && path === "/v1/chat/completions") {
        const parsed = await readBody(req);
        if (!parsed.ok) return json(res, 400, errorBody(400, parsed.error, "invalid_request_error"));
        record.body = parsed.value;
        return await chat(req, res, parsed.value);
      }
      return notFound(flavour, req, res);
    } catch (error) {
      if (!res.headersSent) json(res, 500, errorBody(500, String(error)));
      else res.end();
    }
  });
  const { port, close } = await listenLocal(server, options.port ?? 0);
  return { url: `http://127.0.0.1:${port}`, flavour, apiKey, faults, requests, state, close };
}

/**
 * Something on a runtime's port that is not a runtime: a web page (`html`), or a catch-all JSON
 * API that answers `{"ok":true}` to every path (the worst case for a fingerprint).
 */
export async function startStrangerServer(
  kind: "html" | "catch-all-json",
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_req, res) => {
    if (kind === "html") {
      res.writeHead(200, { "Content-Type": "text/html" });
      res.end("<!doctype html><title>My dev server</title><p>Hello</p>");
    } else json(res, 200, { ok: true, data: "not a model list", version: 3 });
  });
  const { port, close } = await listenLocal(server);
  return { url: `http://127.0.0.1:${port}`, close };
}
