/**
 * What the Ollama API's failures mean for a user: by HTTP status first, then by the server's own
 * words where they are stable in its source (`pull model manifest: file does not exist`, `no space
 * left on device`, `model '…' not found`, `server busy`, out-of-memory texts). `instanceof` on the
 * HTTP layer's three transport errors decides which rule applies.
 */
import {
  ConnectionDroppedError,
  DiskFullError,
  ModelNotInstalledError,
  NotOllamaError,
  OllamaError,
  OllamaServerDownError,
  OllamaVersionError,
  OutOfMemoryError,
  PullInterruptedError,
  RuntimeBusyError,
  RuntimeServerError,
  SmallLlmError,
  ThinkingUnsupportedError,
  UnknownModelError,
  UnsupportedError,
} from "../../errors/index.ts";
import { HttpStatusError, NoAnswerError, StreamError } from "../../http/index.ts";

export interface ErrorContext {
  host: string;
  model?: string | undefined;
  /** A pull was under way: a cut stream is an interrupted pull, a missing name is a registry miss. */
  pulling?: boolean;
}

const DISK_FULL = /no space left on device|not enough space|disk full/i;
const OUT_OF_MEMORY =
  /requires more system memory|out[- ]of[- ]memory|unable to load full model|cudaMalloc failed|failed to allocate/i;

export function classifyOllamaError(error: unknown, context: ErrorContext): Error {
  if (error instanceof SmallLlmError) return error;
  const model = context.model ?? "the model";
  if (error instanceof NoAnswerError) return new OllamaServerDownError(context.host, error.message, { cause: error });
  if (error instanceof StreamError) {
    if (error.cut) {
      return context.pulling
        ? new PullInterruptedError(model, "the connection to Ollama dropped", { cause: error })
        : new ConnectionDroppedError(context.host, { cause: error });
    }
    return fromServerText(error.serverMessage ?? error.message, undefined, model, context, error);
  }
  if (error instanceof HttpStatusError) {
    if (error.serverMessage !== undefined)
      return fromServerText(error.serverMessage, error.status, model, context, error);
    // The web framework's own answer for a route it does not have: an Ollama older than the feature.
    if (/^\d{3} page not found|method not allowed/i.test(error.body.trim()))
      return new OllamaVersionError(
        `${error.method} ${pathOf(error.url)}`,
        undefined,
        `the one at ${context.host} (it answered "${error.body.trim().slice(0, 40)}")`,
        { cause: error },
      );
    // A failure without Ollama's JSON: a crashed handler, or a proxy in front of a failing server.
    if (error.status >= 500)
      return new RuntimeServerError(`Ollama at ${context.host} answered ${describeAnswer(error)}`, error.status, {
        cause: error,
      });
    return new NotOllamaError(context.host, describeAnswer(error), { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}

function fromServerText(
  text: string,
  status: number | undefined,
  model: string,
  context: ErrorContext,
  cause: Error,
): SmallLlmError {
  const options = { cause };
  if (DISK_FULL.test(text)) return new DiskFullError(model, text, options);
  if (status === 503 || /server busy|maximum pending requests/i.test(text))
    return new RuntimeBusyError(`Ollama at ${context.host} is busy (${text}); try again in a moment`, options);
  if (OUT_OF_MEMORY.test(text))
    return new OutOfMemoryError(
      `${model} does not fit in memory here (${text}); try a smaller quant (--quant Q4_K_M or lower) or a smaller model (\`small-llm recommend\`)`,
      options,
    );
  if (/requires a newer version of Ollama/i.test(text))
    return new OllamaVersionError(model, undefined, `the one at ${context.host}`, options);
  if (/does not support thinking/i.test(text))
    return new ThinkingUnsupportedError(
      `${model} does not think before answering; run it without --think (or think: false)`,
      options,
    );
  if (/does not support/i.test(text)) return new UnsupportedError(`${model}: ${text}`, options);
  // The Hub's own refusals of an hf.co/… tag arrive as `pull model manifest: 400: <its words>`.
  if (context.pulling && /not a valid quantization scheme/i.test(text))
    return new UnknownModelError(
      model,
      "the Hub repo has no GGUF file of that quant; `small-llm show <id>` lists the quants the index knows (or leave the tag out: the Hub then serves Q4_K_M, or the nearest it has)",
      { ...options, code: "no-such-quant" },
    );
  if (context.pulling && /sharded GGUF/i.test(text))
    return new UnknownModelError(
      model,
      "that quant is a GGUF split into several files, which Ollama cannot pull from the Hub; pick a smaller quant, or download the parts and merge them (llama-gguf-split --merge) to run the file by its path",
      { ...options, code: "not-installable" },
    );
  if (context.pulling && /file does not exist|manifest unknown|not found|repository .* not found/i.test(text))
    return new UnknownModelError(
      model,
      "it is not an id in the index, and neither Ollama's registry nor the Hub has that model or tag; find one with `small-llm models --search <words>` (`small-llm show <id>` lists its quants)",
      options,
    );
  // Ollama's own words for a model it does not have: `model "x" not found, try pulling it first`.
  if (status === 404 || /model ["'].*["'] not found/i.test(text))
    return new ModelNotInstalledError(model, `small-llm install ${model}`, options);
  if (/invalid model name|is invalid|model is required/i.test(text))
    return new UnknownModelError(model, "Ollama rejects that name", { ...options, code: "invalid-model-name" });
  if (context.pulling && /max retries exceeded|EOF|connection reset|timeout/i.test(text))
    return new PullInterruptedError(model, text, options);
  const said = `Ollama answered: ${text}${status ? ` (HTTP ${status})` : ""}`;
  return status !== undefined && status >= 500
    ? new RuntimeServerError(said, status, options)
    : new OllamaError(said, status, options);
}

const pathOf = (url: string) => {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
};

/** A short, safe description of what a non-Ollama server sent back. */
function describeAnswer(error: HttpStatusError): string {
  const body = error.body.replace(/\s+/g, " ").trim();
  const title = /<title>([^<]{1,80})<\/title>/i.exec(body)?.[1];
  const shown = title ?? body.replace(/[^\x20-\x7e]/g, "").slice(0, 60);
  return `HTTP ${error.status}${shown ? `: "${shown}${!title && body.length > 60 ? "…" : ""}"` : ""}`;
}
