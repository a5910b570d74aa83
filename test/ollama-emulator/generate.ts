/**
 * The emulator's `/api/generate` and `/api/chat`: streamed answers with Ollama's final stats, the
 * load/unload forms (an empty prompt; `keep_alive: 0`), `keep_alive` durations that set when a
 * loaded model expires (what `/api/ps` reports), `think` (a thinking model streams its thoughts
 * first unless `think` is false; any other answers 400 `"x" does not support thinking`), and the answer faults: 503 busy,
 * an empty answer, a refusal, a repetition loop, broken JSON, an error line or a cut after N tokens.
 * A chat with `tools` calls the first tool (whole, in one line, as Ollama streams tool calls), and a
 * model without tool support answers 400, as Ollama does.
 * Like Ollama, a prompt longer than the context (`num_ctx`, else `defaultContext`) is cut: the
 * final `prompt_eval_count` says how much was kept.
 */
import type { ServerResponse } from "node:http";
import { json } from "../helpers/http-answers.ts";
import { fromSchema, toolCallFor, toolResultAnswer } from "../helpers/model-behaviour.ts";

export interface LoadedEntry {
  /** When it unloads (ISO 8601). */
  expires: string;
  context: number;
}

export interface GenerateFault {
  kind: string;
  afterLines?: number;
  message?: string;
  delayMs?: number;
}

export interface GenerateModel {
  name: string;
  system?: string | undefined;
  thinking?: boolean | undefined;
  /** No native tool calling: a chat with `tools` is a 400. */
  noTools?: boolean | undefined;
}

export interface GenerateHost {
  find(name: string): GenerateModel | undefined;
  takeFault(path: string, model: string): GenerateFault | undefined;
  loaded: Map<string, LoadedEntry>;
  defaultContext: number;
  timing: "fixed" | "real";
  lineDelayMs: number;
  /** A tool call's `id` (Ollama ≥ 0.12.10), or undefined for older servers that give none. */
  toolCallId(): string | undefined;
}

/** Ollama's keep_alive: seconds as a number, a Go duration string, negative for ever; 5 minutes by default. */
export function keepAliveMs(value: unknown): number {
  if (value === undefined || value === null || value === "") return 5 * 60_000;
  if (typeof value === "number") return value < 0 ? Number.POSITIVE_INFINITY : value * 1000;
  const m = /^(-?\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(String(value));
  if (!m) return 5 * 60_000;
  const n = Number(m[1]);
  if (n < 0) return Number.POSITIVE_INFINITY;
  return n * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? "s"] as number);
}

/** A negative keep_alive is Ollama's MaxInt64 nanoseconds: about 292 years ahead. */
const expiresAt = (ms: number) =>
  new Date(Date.now() + (Number.isFinite(ms) ? ms : 292 * 365.25 * 24 * 3600_000)).toISOString();

/** What the model "writes": a JSON value when a format is asked (filled from the schema), else a greeting. A model created with a system prompt says so, so a test can tell it from its base. */
function answerFor(name: string, prompt: string, format: unknown, system?: string): string {
  if (format === "json") return JSON.stringify({ answer: `Hello from ${name}` });
  if (format && typeof format === "object") return JSON.stringify(fromSchema(format as never, name));
  return `Hello from ${name}.${system ? ` (system: ${system})` : ""} You said: ${prompt}`;
}

export async function generate(
  host: GenerateHost,
  res: ServerResponse,
  body: Record<string, unknown>,
  chat: boolean,
): Promise<void> {
  const started = process.hrtime.bigint();
  const name = String(body.model ?? "");
  if (chat && !name) return json(res, 400, { error: "model is required" });
  const model = host.find(name);
  if (!model) return json(res, 404, { error: `model '${name}' not found` });
  // As Ollama: a thinking model thinks unless told `think: false`; asking one that cannot is a 400.
  const asked = body.think !== undefined && body.think !== false;
  const think = model.thinking ? body.think !== false : asked;
  if (asked && !model.thinking) return json(res, 400, { error: `"${name}" does not support thinking` });
  const fault = host.takeFault(chat ? "/api/chat" : "/api/generate", name);
  if (fault?.kind === "500") return json(res, 500, { error: fault.message ?? "llama runner process has terminated" });
  if (fault?.kind === "busy")
    return json(res, 503, { error: "server busy, please try again.  maximum pending requests exceeded" });
  if (fault?.kind === "slow") await new Promise((r) => setTimeout(r, fault.delayMs ?? 2000));
  const hasTools = Array.isArray(body.tools) && body.tools.length > 0;
  if (chat && hasTools && model.noTools)
    return json(res, 400, { error: `registry.ollama.ai/library/${model.name} does not support tools` });
  // Faults about the answer's content (empty, a refusal, a cut…) win over a tool call.
  const call =
    chat && (!fault || fault.kind === "slow") ? toolCallFor(body.tools, body.messages, model.name) : undefined;
  const prompt = chat
    ? ((body.messages as { content?: string }[] | undefined) ?? []).map((m) => m.content ?? "").join(" ")
    : String(body.prompt ?? "");
  const created = () => new Date().toISOString();
  const message = (content: string, thinking?: string) =>
    chat
      ? { message: { role: "assistant", content, ...(thinking ? { thinking } : {}) } }
      : { response: content, ...(thinking ? { thinking } : {}) };
  const keep = keepAliveMs(body.keep_alive);
  if (!prompt) {
    const reason = keep === 0 ? "unload" : "load";
    if (reason === "unload") host.loaded.delete(model.name);
    else host.loaded.set(model.name, { expires: expiresAt(keep), context: host.defaultContext });
    return json(res, 200, { model: name, created_at: created(), ...message(""), done: true, done_reason: reason });
  }
  const options = (body.options ?? {}) as { num_predict?: number; num_ctx?: number };
  const context = options.num_ctx ?? host.defaultContext;
  const cold = !host.loaded.has(model.name) || host.loaded.get(model.name)?.context !== context;
  if (keep === 0) host.loaded.delete(model.name);
  else host.loaded.set(model.name, { expires: expiresAt(keep), context });
  const system = typeof body.system === "string" ? body.system : model.system;
  const text =
    fault?.kind === "empty"
      ? ""
      : fault?.kind === "refusal"
        ? "I'm sorry, but I can't help with that."
        : fault?.kind === "repeat"
          ? `Sure. ${"and then ".repeat(60)}`
          : fault?.kind === "bad-json"
            ? '{"answer": "Hello", oops'
            : call
              ? ""
              : (chat && toolResultAnswer(body.messages)) || answerFor(model.name, prompt, body.format, system);
  const thoughts = think ? `Thinking about: ${prompt} `.split(/(?<= )/) : [];
  const tokens = text ? text.split(/(?<= )/) : [];
  const limited = options.num_predict ? tokens.slice(0, options.num_predict) : tokens;
  // Ollama counts prompt tokens after cutting the prompt to the context: a too-long prompt shows here.
  const promptTokens = Math.min(prompt.split(/\s+/).length, context);
  // A tool call arrives whole, in one line, with an id since Ollama 0.12.10; arguments are an object.
  const id = call ? host.toolCallId() : undefined;
  const callLine = call && {
    model: name,
    created_at: created(),
    message: {
      role: "assistant",
      content: "",
      tool_calls: [{ ...(id ? { id } : {}), function: { index: 0, name: call.name, arguments: call.arguments } }],
    },
    done: false,
  };
  const evalCount = call ? 7 : limited.length;
  const final = (now: bigint) => {
    const real = Number(now - started);
    const fixed = host.timing !== "real";
    return {
      model: name,
      created_at: created(),
      ...message(""),
      done: true,
      done_reason: limited.length < tokens.length ? "length" : "stop",
      ...(chat ? {} : { context: [1, 2, 3] }),
      total_duration: fixed ? 50_000_000 + limited.length * 10_000_000 : real,
      load_duration: fixed ? 20_000_000 : cold ? Math.round(real / 4) : 100_000,
      prompt_eval_count: promptTokens,
      prompt_eval_duration: fixed ? 5_000_000 : Math.max(1000, Math.round(real / 4)),
      eval_count: evalCount,
      eval_duration: fixed ? evalCount * 10_000_000 : Math.max(1000, Math.round(real / 2)),
    };
  };
  if (body.stream === false)
    return json(res, 200, {
      ...final(process.hrtime.bigint()),
      ...(callLine ? { message: callLine.message } : message(limited.join(""), thoughts.join("") || undefined)),
    });
  res.writeHead(200, { "Content-Type": "application/x-ndjson" });
  if (callLine) res.write(`${JSON.stringify(callLine)}\n`);
  const pause = () => new Promise((r) => setTimeout(r, host.lineDelayMs));
  for (const t of thoughts) {
    res.write(`${JSON.stringify({ model: name, created_at: created(), ...message("", t), done: false })}\n`);
    if (host.lineDelayMs > 0) await pause();
  }
  const failAfter =
    fault?.kind === "error-line" || fault?.kind === "cut" ? (fault.afterLines ?? 2) : Number.POSITIVE_INFINITY;
  let sent = 0;
  for (const t of limited) {
    if (res.destroyed) return; // the client went away (Ctrl-C): stop writing
    if (sent >= failAfter && fault) {
      if (fault.kind === "cut") {
        // The tokens reach the client first, as from a runner that died mid-answer; then the reset.
        await new Promise((r) => setTimeout(r, 100));
        res.socket?.destroy();
        return;
      }
      res.end(`${JSON.stringify({ error: fault.message ?? "llama runner process has terminated: exit status 2" })}\n`);
      return;
    }
    res.write(`${JSON.stringify({ model: name, created_at: created(), ...message(t), done: false })}\n`);
    sent++;
    if (host.lineDelayMs > 0) await pause();
  }
  res.end(`${JSON.stringify(final(process.hrtime.bigint()))}\n`);
}
