/** Publishing to the Hub, and Modelfiles. */
import { SmallLlmError } from "./base.ts";

/** HF_TOKEN is missing, not a Hugging Face token, rejected, or cannot write where publishing needs to. */
export class HubTokenError extends SmallLlmError {
  override readonly name = "HubTokenError";
  readonly code = "hub-token";
}

/** The repo belongs to a namespace the token's account cannot write to (someone else's, or an org you only read). */
export class HubPermissionError extends SmallLlmError {
  override readonly name = "HubPermissionError";
  readonly code = "hub-forbidden";
}

/** A repo id that breaks the Hub's naming rules (owner/name, letters, digits, `-`, `_`, `.`, at most 96). */
export class InvalidRepoIdError extends SmallLlmError {
  override readonly name = "InvalidRepoIdError";
  readonly code = "hub-invalid-repo";
}

/** The path to publish is not a transformers model, a PEFT adapter, GGUF files or a single .gguf. */
export class NotAModelError extends SmallLlmError {
  override readonly name = "NotAModelError";
  readonly code = "not-a-model";
}

/** The Hub answered with an error (or not at all) while publishing; nothing already sent is lost. */
export class HubError extends SmallLlmError {
  override readonly name = "HubError";
  readonly code = "hub-error";
  constructor(
    message: string,
    readonly statusCode?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A Modelfile (or a `create` option) that Ollama's own parser would reject. */
export class ModelfileError extends SmallLlmError {
  override readonly name = "ModelfileError";
  readonly code = "modelfile-invalid";
}
