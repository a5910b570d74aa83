/**
 * Every failure a user of the client can hit, as a class with a literal `name`, a stable string
 * `code` (for programs, the HTTP API and MCP; never renamed), the standard `cause`, and a message
 * that says what to do next. Exit codes belong to the CLI (cli/exit-codes.ts), not to these.
 */
export abstract class SmallLlmError extends Error {
  abstract override readonly name: string;
  /** Stable machine-readable code, e.g. `ollama-not-installed`. */
  abstract readonly code: string;
}

/** No source could provide a valid index: not the cache, any mirror, nor the bundled snapshot. */
export class IndexUnavailableError extends SmallLlmError {
  override readonly name = "IndexUnavailableError";
  readonly code = "index-unavailable";
  constructor(readonly attempts: readonly { source: string; error: string }[]) {
    super(
      `no valid model index could be loaded:\n${attempts.map((a) => `  ${a.source}: ${a.error}`).join("\n")}\n` +
        "Check your network or SMALL_LLM_INDEX_URL, then run `small-llm refresh`.",
    );
  }
}

/** `refresh` was asked for and no mirror gave a valid index; the older copy stays in use. */
export class IndexRefreshError extends SmallLlmError {
  override readonly name = "IndexRefreshError";
  readonly code = "index-refresh-failed";
  constructor(
    fallback: string,
    readonly attempts: readonly { source: string; error: string }[],
  ) {
    super(
      `could not refresh the index:\n${attempts.map((a) => `  ${a.source}: ${a.error}`).join("\n")}\n` +
        `Still using ${fallback}. Check your network or SMALL_LLM_INDEX_URL and try again.`,
    );
  }
}

/** The Ollama binary is not on PATH and no server answers. */
export class OllamaNotInstalledError extends SmallLlmError {
  override readonly name = "OllamaNotInstalledError";
  readonly code = "ollama-not-installed";
  constructor(host: string, options?: ErrorOptions) {
    // When the user named an address, a wrong address is likelier than a missing Ollama: say that first.
    const named = process.env.OLLAMA_HOST?.trim();
    super(
      `${named ? `nothing answers at OLLAMA_HOST=${named} (${host}): check that address. Otherwise, ` : ""}` +
        `Ollama is not installed (no \`ollama\` found, nothing answering at ${host}). Run \`small-llm setup\` to ` +
        "download and start it (no root needed), or install it yourself from https://ollama.com/download, " +
        "or point OLLAMA_HOST at a running Ollama server.",
      options,
    );
  }
}

/** Ollama is installed but its server does not answer. */
export class OllamaServerDownError extends SmallLlmError {
  override readonly name = "OllamaServerDownError";
  readonly code = "ollama-server-down";
  constructor(
    readonly host: string,
    detail?: string,
    options?: ErrorOptions,
  ) {
    super(
      `the Ollama server at ${host} is not running${detail ? ` (${detail})` : ""}. Start it with ` +
        "`small-llm server start` (or `ollama serve`), or set OLLAMA_HOST to where it runs.",
      options,
    );
  }
}

/** Something answers at the Ollama address, but it is not Ollama. */
export class NotOllamaError extends SmallLlmError {
  override readonly name = "NotOllamaError";
  readonly code = "not-ollama";
  constructor(
    readonly host: string,
    answered: string,
    options?: ErrorOptions,
  ) {
    super(
      `the server at ${host} is not Ollama (it answered ${answered}). Point OLLAMA_HOST at your Ollama ` +
        "server, or stop what is using that port.",
      options,
    );
  }
}

/** The name is neither an index id nor a valid Ollama model name, or the registry has no such model. */
export class UnknownModelError extends SmallLlmError {
  override readonly name = "UnknownModelError";
  readonly code = "unknown-model";
  constructor(
    readonly model: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`unknown model "${model}": ${detail}`, options);
  }
}

/** The model is known (index or registry) but not installed in the runtime. */
export class ModelNotInstalledError extends SmallLlmError {
  override readonly name = "ModelNotInstalledError";
  readonly code = "model-not-installed";
  constructor(
    readonly model: string,
    installCommand: string,
    options?: ErrorOptions,
  ) {
    super(`${model} is not installed. Install it with: ${installCommand}`, options);
  }
}

/** The disk filled up during a pull (or would: the pre-flight check). */
export class DiskFullError extends SmallLlmError {
  override readonly name = "DiskFullError";
  readonly code = "disk-full";
  constructor(model: string, serverMessage: string, options?: ErrorOptions) {
    super(
      `the disk is full while pulling ${model} (${serverMessage}). Free space where Ollama keeps models ` +
        "(OLLAMA_MODELS, default ~/.ollama/models), or pick a smaller quant with --quant; " +
        "re-running the install resumes the download.",
      options,
    );
  }
}

/** A pull ended before Ollama said `success`: the network dropped, the server stopped, or Ctrl-C. */
export class PullInterruptedError extends SmallLlmError {
  override readonly name = "PullInterruptedError";
  readonly code = "pull-interrupted";
  constructor(model: string, detail: string, options?: ErrorOptions) {
    super(
      `pulling ${model} was interrupted (${detail}). Run the same command again: Ollama resumes from ` +
        "the part already downloaded.",
      options,
    );
  }
}

/** The runtime answered with an error the categories above do not cover. */
export class OllamaError extends SmallLlmError {
  override readonly name = "OllamaError";
  readonly code = "ollama-error";
  constructor(
    message: string,
    readonly statusCode?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The server is older than a feature needs. */
export class OllamaVersionError extends SmallLlmError {
  override readonly name = "OllamaVersionError";
  readonly code = "ollama-too-old";
  constructor(feature: string, needed: string, actual: string) {
    super(
      `${feature} needs Ollama ${needed} or newer, but the server is ${actual}. Update it with ` +
        "`small-llm update-ollama`, or from https://ollama.com/download",
    );
  }
}

/** The runtime cannot do this at all (e.g. install on an OpenAI-compatible server). */
export class UnsupportedError extends SmallLlmError {
  override readonly name = "UnsupportedError";
  readonly code = "unsupported";
}

/** The caller cancelled (an AbortSignal fired, Ctrl-C). */
export class CancelledError extends SmallLlmError {
  override readonly name = "CancelledError";
  readonly code = "cancelled";
  constructor(what: string, options?: ErrorOptions) {
    super(`${what} was cancelled`, options);
  }
}

/** The runtime is overloaded (Ollama: 503 "server busy"); retrying after a pause usually works. */
export class RuntimeBusyError extends SmallLlmError {
  override readonly name = "RuntimeBusyError";
  readonly code = "busy";
}

/** The model does not fit in memory where the runtime tried to load it. */
export class OutOfMemoryError extends SmallLlmError {
  override readonly name = "OutOfMemoryError";
  readonly code = "out-of-memory";
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

/**
 * An OpenAI-compatible server (Jan, a cloud endpoint, a llama-server started with --api-key) wants an
 * API key, or refused the one given. Names the environment variable, never the key.
 */
export class ApiKeyError extends SmallLlmError {
  override readonly name = "ApiKeyError";
  readonly code = "api-key-required";
  constructor(
    readonly host: string,
    readonly envVar: string | undefined,
    readonly keyWasSent: boolean,
    options?: ErrorOptions,
  ) {
    super(
      keyWasSent
        ? `the server at ${host} refused the API key${envVar ? ` in ${envVar}` : ""}. Check that ${envVar ?? "the key"} holds a valid key for this server.`
        : `the server at ${host} needs an API key: set ${envVar ?? "the API key environment variable"} to the key (it is sent as a Bearer token and never printed).`,
      options,
    );
  }
}

/** Nothing answers at an OpenAI-compatible runtime's address, or the connection dropped mid-answer. */
export class RuntimeUnreachableError extends SmallLlmError {
  override readonly name = "RuntimeUnreachableError";
  readonly code = "runtime-unreachable";
  constructor(
    readonly host: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(
      `the runtime at ${host} did not answer (${detail}). Start it, or check its address; \`small-llm status\` lists the runtimes that answer.`,
      options,
    );
  }
}

/** An OpenAI-compatible runtime answered with an error the other classes do not cover. */
export class RuntimeError extends SmallLlmError {
  override readonly name = "RuntimeError";
  readonly code = "runtime-error";
  constructor(
    message: string,
    readonly statusCode?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

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

/** An address or kind given for a runtime (SMALL_LLM_RUNTIMES, a config) cannot be used as written. */
export class RuntimeTargetError extends SmallLlmError {
  override readonly name = "RuntimeTargetError";
  readonly code = "bad-runtime-target";
}

/** The prompt (plus the room asked for the answer) is longer than the context the runtime serves. */
export class ContextTooLongError extends SmallLlmError {
  override readonly name = "ContextTooLongError";
  readonly code = "context-too-long";
}

/**
 * The embedded runtime (llama.cpp in this process, through node-llama-cpp) was chosen, but the
 * package is not installed, has no binary for this machine, or its binary does not load here.
 */
export class EmbeddedUnavailableError extends SmallLlmError {
  override readonly name = "EmbeddedUnavailableError";
  readonly code = "embedded-unavailable";
}

/**
 * A model download did not complete (HTTP error, dropped connection); the part already fetched is
 * kept and the next try resumes it. Same code as an Ollama release download that stopped short.
 */
export class DownloadError extends SmallLlmError {
  override readonly name = "DownloadError";
  readonly code = "download-incomplete";
  constructor(
    message: string,
    readonly url: string,
    readonly statusCode?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A downloaded model's sha256 is not the one expected: it was deleted, nothing was installed (code shared with Ollama setup's ChecksumError). */
export class ChecksumMismatchError extends SmallLlmError {
  override readonly name = "ChecksumMismatchError";
  readonly code = "checksum-mismatch";
}
