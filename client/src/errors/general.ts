/** Errors of any layer: cancelled, timed out, not possible, a bad argument. */
import { SmallLlmError } from "./base.ts";

/** The runtime cannot do this at all (e.g. install on an OpenAI-compatible server). */
export class UnsupportedError extends SmallLlmError {
  override readonly name: string = "UnsupportedError";
  readonly code = "unsupported";
}

/**
 * The model cannot think before answering, and `think` asked it to (Ollama: 400 "… does not support
 * thinking"). A delegation's `think` is a wish: the same model then answers without thinking.
 */
export class ThinkingUnsupportedError extends UnsupportedError {
  override readonly name = "ThinkingUnsupportedError";
}

/**
 * The caller cancelled (an AbortSignal fired, Ctrl-C). `phase` says what was under way, so a
 * message can say what happened: a pull can be resumed, an answer was only stopped.
 */
export class CancelledError extends SmallLlmError {
  override readonly name = "CancelledError";
  readonly code = "cancelled";
  readonly phase: "pull" | "answer" | undefined;
  constructor(what: string, options?: ErrorOptions & { phase?: "pull" | "answer" }) {
    super(`${what} was ${options?.phase === "answer" ? "stopped" : "cancelled"}`, options);
    this.phase = options?.phase;
  }
}

/** A call took longer than it was allowed to. */
export class TimeoutError extends SmallLlmError {
  override readonly name = "TimeoutError";
  readonly code = "timeout";
}

/** A value given to the library (a filter, a size, a tier) is not one it takes; the message says what it takes. */
export class InvalidArgumentError extends SmallLlmError {
  override readonly name = "InvalidArgumentError";
  readonly code = "invalid-argument";
}

/** `small-llm serve` on a non-loopback address without SMALL_LLM_API_TOKEN: the API would be open to the network. */
export class ApiTokenRequiredError extends SmallLlmError {
  override readonly name = "ApiTokenRequiredError";
  readonly code = "api-token-required";
  constructor(host: string) {
    super(
      `refusing to serve on ${host} without a token: anyone on the network could install and run models. ` +
        "Set SMALL_LLM_API_TOKEN to a long random secret (clients then send `Authorization: Bearer <token>`), " +
        "or bind 127.0.0.1.",
    );
  }
}

/** A folder the client needs (cache, state, data) cannot be made; the message names it and the variable that chose it. */
export class DirectoryError extends SmallLlmError {
  override readonly name = "DirectoryError";
  readonly code = "directory-unusable";
  constructor(
    label: string,
    readonly path: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`cannot create ${label} ${path}: ${reason}. Point it at a folder you can write to.`, options);
  }
}
