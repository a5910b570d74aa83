/**
 * What an OpenAI-compatible server's failures mean for a user: by HTTP status first (401/403 a
 * key, 429/503 busy, 404 an unknown model when the body says so), then by the server's words
 * (out of memory, a prompt over the context size, an image or tools a model cannot take). A 404 that is not about a model
 * means the server does not speak this API at that address at all.
 */
import {
  ApiKeyError,
  ConnectionDroppedError,
  ContextTooLongError,
  ModelNotInstalledError,
  OutOfMemoryError,
  RuntimeBusyError,
  RuntimeError,
  RuntimeServerError,
  RuntimeUnreachableError,
  SmallLlmError,
  UnsupportedError,
} from "../../errors/index.ts";
import { HttpStatusError, NoAnswerError, StreamError } from "../../http/index.ts";
import { KINDS, type OpenAIKind } from "./kinds.ts";

export interface OpenAIErrorContext {
  kind: OpenAIKind;
  host: string;
  apiKeyEnv: string;
  keyWasSent: boolean;
  model?: string | undefined;
  signal?: AbortSignal | undefined;
}

const OUT_OF_MEMORY =
  /out[- ]of[- ]memory|CUDA error: out of memory|failed to allocate|not enough memory|requires more system memory|unable to allocate|cudaMalloc failed|insufficient memory/i;
const UNKNOWN_MODEL =
  /model_not_found|model .*(not found|does not exist)|does not exist|no such model|unknown model|not found/i;
// llama.cpp exceed_context_size_error, vLLM "maximum context length is", OpenAI context_length_exceeded.
const CONTEXT =
  /context length|context size|context window|context_length_exceeded|exceed_context_size|maximum context|prompt is too long/i;
// A text-only model sent an image, or a model without tool support sent tools.
const UNSUPPORTED_INPUT =
  /image input is not supported|not a multimodal model|image_url is only supported|does not support (images|image input|vision|multimodal|tools|tool calling|function calling)|tools? (is|are) not supported/i;
const BUSY = /busy|too many requests|rate limit|loading model|overloaded/i;

export function classifyOpenAIError(error: unknown, context: OpenAIErrorContext): Error {
  if (error instanceof SmallLlmError) return error;
  const label = KINDS[context.kind].label;
  if (error instanceof NoAnswerError)
    return new RuntimeUnreachableError(context.host, `${label}: ${error.message}`, { cause: error });
  if (error instanceof StreamError) {
    if (error.cut) return new ConnectionDroppedError(context.host, { cause: error });
    return fromText(error.serverMessage ?? error.message, undefined, context, error);
  }
  if (error instanceof HttpStatusError) {
    if (error.status === 401 || error.status === 403)
      return new ApiKeyError(context.host, context.apiKeyEnv, context.keyWasSent, { cause: error });
    const aboutModel = Boolean(context.model) && /model/i.test(`${error.serverMessage ?? ""}`);
    if (error.status === 404 && !aboutModel)
      return new RuntimeError(
        `the server at ${context.host} does not speak the OpenAI API (${error.url} answered 404 ${error.body.slice(0, 60).trim()}). Check the base URL: the server's address, or the API root that holds /models and /chat/completions.`,
        404,
        { cause: error },
      );
    return fromText(`${error.serverMessage ?? ""} ${error.body}`, error.status, context, error);
  }
  return error instanceof Error ? error : new Error(String(error));
}

function fromText(text: string, status: number | undefined, context: OpenAIErrorContext, cause: Error): SmallLlmError {
  const options = { cause };
  const model = context.model ?? "the model";
  const said = (cause as { serverMessage?: string }).serverMessage ?? text.trim().slice(0, 200);
  if (OUT_OF_MEMORY.test(text))
    return new OutOfMemoryError(
      `${model} does not fit in memory on ${context.host} (${said}). Pick a smaller model or quant, or close other models.`,
      options,
    );
  if (status === 429 || status === 503 || (status === undefined && BUSY.test(text)))
    return new RuntimeBusyError(
      `${KINDS[context.kind].label} at ${context.host} is busy (${status ?? "stream"}: ${said}). Try again in a moment.`,
      options,
    );
  if (CONTEXT.test(text))
    return new ContextTooLongError(
      `the prompt is too long for ${model} on ${context.host} (${said}). Shorten it, or use a model or server with a larger context.`,
      options,
    );
  if (UNSUPPORTED_INPUT.test(text))
    return new UnsupportedError(`${model} on ${context.host} cannot take this input (${said}).`, options);
  if (context.model && (status === 404 || status === 400) && UNKNOWN_MODEL.test(text))
    return new ModelNotInstalledError(context.model, KINDS[context.kind].loadHint(context.model), options);
  const failed = `${KINDS[context.kind].label} at ${context.host} failed${status ? ` with ${status}` : " mid-answer"}: ${said}`;
  return status !== undefined && status >= 500
    ? new RuntimeServerError(failed, status, options)
    : new RuntimeError(failed, status, options);
}
