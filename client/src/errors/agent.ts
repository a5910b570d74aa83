/** Delegation: options, tasks, the config, answers, chains. */
import { SmallLlmError } from "./base.ts";

/** An Ollama option that does not exist or has the wrong type (`run --option`, `ask --option`, `delegate({ options })`). */
export class InvalidOptionError extends SmallLlmError {
  override readonly name = "InvalidOptionError";
  readonly code = "invalid-option";
}

/** `ask --task` / `delegate({ task })` named a task that does not exist. */
export class UnknownTaskError extends SmallLlmError {
  override readonly name = "UnknownTaskError";
  readonly code = "unknown-task";
}

/** `<config>/config.json` is not valid JSON or does not match its schema; the message names the field. */
export class ConfigError extends SmallLlmError {
  override readonly name = "ConfigError";
  readonly code = "invalid-config";
}

/** The model answered, but the answer is unusable: empty, a refusal, a repetition loop, or JSON not matching `format`. */
export class BadAnswerError extends SmallLlmError {
  override readonly name = "BadAnswerError";
  readonly code = "bad-answer";
  constructor(
    readonly kind: "empty" | "refusal" | "repetition" | "bad-json",
    message: string,
  ) {
    super(message);
  }
}

/** No model of a delegation chain is installed (or none fits), and pulling was not allowed. */
export class NoModelAvailableError extends SmallLlmError {
  override readonly name = "NoModelAvailableError";
  readonly code = "no-model";
}
