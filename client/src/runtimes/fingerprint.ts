/**
 * Which runtime answers at an address, told from what it answers and never from the port alone
 * (../shared/reference/agents-and-runtimes.md §B.2): Ollama's `GET /` text, llama.cpp's
 * `/props.build_info` or `owned_by:"llamacpp"`, vLLM's `owned_by:"vllm"`, LocalAI's
 * `/.well-known/localai.json`, LM Studio's `/api/v1/models` shape. Everything but Ollama must also
 * answer `/v1/models` with an OpenAI model list (or a 401 asking for a key), so a web page or a
 * catch-all JSON API on a shared port is never taken for a runtime.
 */
import { request } from "../http/index.ts";
import type { ServerKind } from "./runtime.ts";

/** One probe's answer: status and body (capped), or undefined when nothing answered in time. */
export interface Answer {
  status: number;
  body: string;
}

export type Answers = Record<(typeof PROBE_PATHS)[number], Answer | undefined>;

export const PROBE_PATHS = [
  "/",
  "/v1/models",
  "/props",
  "/.well-known/localai.json",
  "/api/v1/models",
  "/version",
] as const;

const MAX_BODY = 256 * 1024;

/** GET every probe path at once; a path that fails or times out is undefined. */
export async function probeAnswers(baseUrl: string, signal: AbortSignal, fetchImpl?: typeof fetch): Promise<Answers> {
  const get = async (path: string): Promise<Answer | undefined> => {
    try {
      const response = await request(`${baseUrl}${path}`, {
        signal,
        headers: { accept: "application/json" },
        accept: () => true,
        fetch: fetchImpl,
      });
      return { status: response.status, body: await readCapped(response) };
    } catch {
      return undefined;
    }
  };
  const answers = await Promise.all(PROBE_PATHS.map(get));
  return Object.fromEntries(PROBE_PATHS.map((p, i) => [p, answers[i]])) as Answers;
}

/** A body up to MAX_BODY: a server on a shared port may answer with anything, of any size. */
async function readCapped(response: Response): Promise<string> {
  if (!response.body) return "";
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    text += decoder.decode(chunk, { stream: true });
    if (text.length >= MAX_BODY) break; // leaving the loop cancels the rest of the body
  }
  return text.slice(0, MAX_BODY);
}

function parse(answer: Answer | undefined): Record<string, unknown> | undefined {
  if (answer?.status !== 200) return undefined;
  try {
    const value = JSON.parse(answer.body);
    return value && typeof value === "object" && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export interface Fingerprint {
  kind: ServerKind;
  version?: string;
  /** Up, but still loading its model (llama.cpp's 503 `unavailable_error`). */
  loading?: boolean;
  /** The ids `/v1/models` listed without a key; undefined when it asked for one (401/403). */
  models?: string[];
}

function loadingError(body: string): boolean {
  try {
    const error = (JSON.parse(body) as { error?: { type?: unknown } } | null)?.error;
    return error?.type === "unavailable_error";
  } catch {
    return false;
  }
}

/** Only a tie-breaker between servers that all answered 401 and nothing else unique. */
const KEY_PROTECTED_BY_PORT: Record<string, ServerKind> = { "1337": "jan", "1234": "lmstudio" };

const str = (v: unknown) => (typeof v === "string" && v.length > 0 && v.length < 200 ? v : undefined);

/**
 * The runtime these answers identify, or undefined when they identify none. `hint` is a kind the
 * caller configured for this address; `port` only breaks a tie between servers that answered alike.
 */
export function identify(
  answers: Answers,
  { hint, port }: { hint?: ServerKind | undefined; port?: string | undefined } = {},
): Fingerprint | undefined {
  const root = answers["/"];
  if (root?.status === 200 && root.body.startsWith("Ollama is running")) return { kind: "ollama" };

  const list = answers["/v1/models"];
  // llama-server answers every route but /health with this 503 until its model is loaded.
  if (list?.status === 503 && loadingError(list.body)) return { kind: "llamacpp", models: [], loading: true };
  const needsKey = list?.status === 401 || list?.status === 403;
  const cards = parse(list)?.data;
  if (!needsKey && !Array.isArray(cards)) return undefined; // not an OpenAI-compatible server
  const ids = Array.isArray(cards)
    ? cards.flatMap((c) =>
        c && typeof c === "object" && str((c as { id?: unknown }).id) ? [(c as { id: string }).id] : [],
      )
    : undefined;
  const owners = new Set(
    Array.isArray(cards) ? cards.map((c) => (c as { owned_by?: unknown } | null)?.owned_by).filter(Boolean) : [],
  );
  const found = (kind: ServerKind, version?: string): Fingerprint => ({
    kind,
    ...(version ? { version } : {}),
    ...(ids ? { models: ids } : {}),
  });

  const buildInfo = str(parse(answers["/props"])?.build_info);
  if (buildInfo || owners.has("llamacpp")) return found("llamacpp", buildInfo);
  const serverVersion = str(parse(answers["/version"])?.version);
  const wellKnown = parse(answers["/.well-known/localai.json"]);
  if (wellKnown && !("error" in wellKnown)) return found("localai", serverVersion ?? str(wellKnown.version));
  // vLLM's --api-key guards only /v1/*: a 401 there with its public /version beside it is vLLM.
  if (owners.has("vllm") || (needsKey && serverVersion)) return found("vllm", serverVersion);
  const lmModels = parse(answers["/api/v1/models"])?.models;
  if (Array.isArray(lmModels) && lmModels.every((m) => typeof (m as { key?: unknown } | null)?.key === "string"))
    return found("lmstudio");
  // Nothing unique answered: an OpenAI-compatible server of a kind the caller named; a server
  // asking for a key where Jan (which always does) or LM Studio (with tokens on) listens; or a
  // generic endpoint.
  if (hint && hint !== "ollama") return found(hint);
  const byPort = needsKey && port ? KEY_PROTECTED_BY_PORT[port] : undefined;
  return found(byPort ?? "openai");
}
