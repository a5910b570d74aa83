/**
 * The emulator's `/api/generate` and `/api/chat`: streamed answers with Ollama's final stats, the
 * load/unload forms (an empty prompt; `keep_alive: 0`), `keep_alive` durations that set when a
 * loaded model expires (what `/api/ps` reports), `think` (a thinking model streams its thoughts
 * first; any other answers 400 `"x" does not support thinking`), and the answer faults: 503 busy,
 * an empty answer, a refusal, a repetition loop, broken JSON, an error line or a cut after N tokens.
 * Like Ollama, a prompt longer than the context (`num_ctx`, else `defaultContext`) is cut: the
 * final `prompt_eval_count` says how much was kept.
 */
import type { ServerResponse } from "node:http";
import { json } from "../helpers/http-answers.ts";

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
}

export interface GenerateHost {
  find(name: string): GenerateModel | undefined;
  takeFault(path: string, model: string): GenerateFault | undefined;
  loaded: Map<string, LoadedEntry>;
  defaultContext: number;
  timing: "fixed" | "real";
  lineDelayMs: number;
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

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; items?: Schema; enum?: unknown[] };

/** A value that satisfies a (simple) JSON Schema, as a constrained model's answer would. */
function fromSchema(schema: Schema, name: string): unknown {
  if (schema.enum?.length) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "object":
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, fromSchema(v, name)]));
    case "array":
      return schema.items ? [fromSchema(schema.items, name)] : [];
    case "number":
    case "integer":
      return 1;
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      return `Hello from ${name}`;
  }
}

/** What the model "writes": a JSON value when a format is asked (filled from the schema), else a greeting. A model created with a system prompt says so, so a test can tell it from its base. */
function answerFor(name: string, prompt: string, format: unknown, system?: string): string {
  if (format === "json") return JSON.stringify({ answer: `Hello from ${name}` });
  if (format && typeof format === "object") return JSON.stringify(fromSchema(format as Schema, name));
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
  const think = body.think !== undefined && body.think !== false;
  if (think && !model.thinking) return json(res, 400, { error: `"${name}" does not support thinking` });
  const fault = host.takeFault(chat ? "/api/chat" : "/api/generate", name);
  if (fault?.kind === "500") return json(res, 500, { error: fault.message ?? "llama runner process has terminated" });
  if (fault?.kind === "busy")
    return json(res, 503, { error: "server busy, please try again.  maximum pending requests exceeded" });
  if (fault?.kind === "slow") await new Promise((r) => setTimeout(r, fault.delayMs ?? 2000));
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
            : answerFor(model.name, prompt, body.format, system);
  const thoughts = think ? `Thinking about: ${prompt} `.split(/(?<= )/) : [];
  const tokens = text ? text.split(/(?<= )/) : [];
  const limited = options.num_predict ? tokens.slice(0, options.num_predict) : tokens;
  // Ollama counts prompt tokens after cutting the prompt to the context: a too-long prompt shows here.
  const promptTokens = Math.min(prompt.split(/\s+/).length, context);
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
      eval_count: limited.length,
      eval_duration: fixed ? limited.length * 10_000_000 : Math.max(1000, Math.round(real / 2)),
    };
  };
  if (body.stream === false)
    return json(res, 200, {
      ...final(process.hrtime.bigint()),
      ...message(limited.join(""), thoughts.join("") || undefined),
    });
  res.writeHead(200, { "Content-Type": "application/x-ndjson" });
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
