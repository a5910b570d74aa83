/**
 * `POST /v1/embeddings`: the named model on the runtime that has it (Ollama `/api/embed`, an
 * OpenAI-compatible server's `/v1/embeddings`), no chain — an embedding from another model would
 * not be comparable with the caller's others. `encoding_format: "base64"` (the openai SDK's default)
 * is little-endian float32, as the SDK decodes it. One usage line per call, kind `embed`.
 */
import type { ChainEntrySpec } from "../agent/config.ts";
import { appendUsage, type UsageRecord } from "../agent/metrics.ts";
import { InvalidArgumentError, UnsupportedError } from "../errors/index.ts";
import { sameModel } from "../runtimes/ollama/refs.ts";
import { installedRef } from "../runtimes/resolve-target.ts";
import type { EmbedResult, Runtime } from "../runtimes/runtime.ts";
import { type Answerer, configOf, type GatewayContext } from "./chat-call.ts";
import { selectModels } from "./model-names.ts";
import type { EmbeddingRequest } from "./openai/schema.ts";

export interface EmbeddingAnswer {
  body: unknown;
  who: Answerer;
  /** Writes the usage line: called once the answer is out. */
  record: () => Promise<unknown>;
}

export async function embeddings(
  ctx: GatewayContext,
  body: EmbeddingRequest,
  signal: AbortSignal,
): Promise<EmbeddingAnswer> {
  const inputs = inputsOf(body.input);
  const started = performance.now();
  const config = configOf(ctx);
  const selection = await selectModels(body.model, [], {
    router: ctx.router,
    config,
    defaults: ctx.defaults,
    pull: ctx.pull,
    signal,
  });
  const entry = selection.chain?.length === 1 ? (selection.chain[0] as ChainEntrySpec) : undefined;
  if (!entry)
    throw new InvalidArgumentError(
      `model: "${body.model.slice(0, 120)}" is ${selection.chain ? "a chain of several models" : "a virtual model"}; embeddings need one embedding model (GET /v1/models lists them)`,
    );
  const { runtime, ref } = await target(ctx, entry, signal);
  const record = (r: EmbedResult | undefined, error?: string) => {
    const usage: UsageRecord = {
      v: 1,
      ts: new Date().toISOString(),
      kind: "embed",
      model: ref,
      runtime: runtime.kind,
      side: "local",
      latencyMs: Math.round(performance.now() - started),
      ...(r?.promptTokens !== undefined ? { promptTokens: r.promptTokens } : {}),
      success: r !== undefined,
      ...(error ? { error } : {}),
      attempts: [{ model: ref, outcome: error ?? "ok", ms: Math.round(performance.now() - started) }],
    };
    return ctx.defaults.metrics === false ? undefined : appendUsage(usage, { enabled: config.metrics?.enabled });
  };
  let result: EmbedResult;
  try {
    if (!runtime.embed) throw new UnsupportedError(`${runtime.kind} at ${runtime.host} does not serve embeddings here`);
    result = await runtime.embed(ref, inputs, { signal, ...(body.dimensions ? { dimensions: body.dimensions } : {}) });
  } catch (error) {
    await record(undefined, (error as { code?: string }).code ?? "error");
    throw error;
  }
  const base64 = body.encoding_format === "base64";
  const tokens = result.promptTokens ?? 0;
  return {
    who: { model: ref, runtime: runtime.kind, side: "local", attempts: 1 },
    record: async () => record(result),
    body: {
      object: "list",
      data: result.embeddings.map((v, index) => ({
        object: "embedding",
        index,
        embedding: base64 ? float32Base64(v) : v,
      })),
      model: ref,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    },
  };
}

function inputsOf(input: EmbeddingRequest["input"]): string[] {
  if (typeof input === "string") return [input];
  if (input.every((x): x is string => typeof x === "string")) return input;
  throw new InvalidArgumentError(
    "input: token arrays are not supported here; send the text (a string or a list of strings)",
  );
}

/** The runtime and ref of a resolved name; an index id's model is pulled first when the server may. */
async function target(
  ctx: GatewayContext,
  entry: ChainEntrySpec,
  signal: AbortSignal,
): Promise<{ runtime: Runtime; ref: string }> {
  if (typeof entry === "string" && entry.startsWith("cloud:"))
    throw new UnsupportedError(`${entry} is a cloud chat model of config.json; embeddings come from local models`);
  const runtimes = await ctx.router.runtimes(configOf(ctx), ctx.defaults, signal);
  const name = typeof entry === "string" ? "ollama" : entry.runtime;
  const runtime = runtimes.byName.get(name) ?? runtimes.local.find((r) => r.kind === name);
  if (!runtime) throw new UnsupportedError(`no ${name} runtime is here to compute embeddings`);
  if (typeof entry !== "string") return { runtime, ref: entry.model };
  const index = ctx.defaults.index ?? (await ctx.router.index(signal));
  const installed = await ctx.router.installed(runtime, signal);
  const ref = installedRef(entry, index, installed);
  if (!installed.some((m) => sameModel(m.name, ref)) && ctx.pull) {
    ctx.log?.(`pulling ${ref} for an embeddings request (serve --pull)`);
    await runtime.install(ref, { signal });
    ctx.router.forgetInstalled(runtime);
  }
  return { runtime, ref };
}

/** Little-endian float32, base64: what the openai SDK decodes when it asked for `base64`. */
function float32Base64(vector: number[]): string {
  const buffer = Buffer.allocUnsafe(vector.length * 4);
  for (const [i, x] of vector.entries()) buffer.writeFloatLE(x, i * 4);
  return buffer.toString("base64");
}
