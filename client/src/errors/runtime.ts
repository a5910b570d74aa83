/** What a local runtime (Ollama, an OpenAI-compatible server) can fail with. */
import { SmallLlmError } from "./base.ts";

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
  /** `needed` unknown: `actual` names the server (`the one at http://…`), as the server only said "newer". */
  constructor(feature: string, needed: string | undefined, actual: string, options?: ErrorOptions) {
    super(
      `${needed ? `${feature} needs Ollama ${needed} or newer, but the server is ${actual}` : `${feature} needs a newer Ollama than ${actual}`}. ` +
        "Update it with `small-llm update-ollama`, or from https://ollama.com/download",
      options,
    );
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
 * The connection to a runtime dropped in the middle of an answer: a hiccup, not a runtime that is
 * down (that is `ollama-server-down` / `runtime-unreachable`), so another try usually works.
 */
export class ConnectionDroppedError extends SmallLlmError {
  override readonly name = "ConnectionDroppedError";
  readonly code = "connection-dropped";
  constructor(
    readonly host: string,
    options?: ErrorOptions,
  ) {
    super(`the connection to ${host} dropped in the middle of the answer; trying again usually works`, options);
  }
}

/** A runtime answered with a server error (5xx) that the other classes do not cover: worth another try. */
export class RuntimeServerError extends SmallLlmError {
  override readonly name = "RuntimeServerError";
  readonly code = "server-error";
  constructor(
    message: string,
    readonly statusCode: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The embedded runtime (llama.cpp in this process, through node-llama-cpp) was chosen, but the
 * package is not installed, has no binary for this machine, or its binary does not load here.
 */
export class EmbeddedUnavailableError extends SmallLlmError {
  override readonly name = "EmbeddedUnavailableError";
  readonly code = "embedded-unavailable";
}
