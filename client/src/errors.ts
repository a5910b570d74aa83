/**
 * Every failure a user of the client can hit, as a class with a literal name, the standard `cause`,
 * an exit code for the CLI, and a message that says what to do next.
 */
export abstract class SmallLlmError extends Error {
  abstract override readonly name: string;
  /** The CLI's exit code for this failure (see README). */
  abstract readonly exitCode: number;
}

/** No source could provide a valid index: not the cache, any mirror, nor the bundled snapshot. */
export class IndexUnavailableError extends SmallLlmError {
  override readonly name = "IndexUnavailableError";
  readonly exitCode = 7;
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
  readonly exitCode = 7;
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
  readonly exitCode = 3;
  constructor(host: string, options?: ErrorOptions) {
    super(
      `Ollama is not installed (no \`ollama\` on PATH, nothing answering at ${host}). Install it:\n` +
        "  Linux:   curl -fsSL https://ollama.com/install.sh | sh\n" +
        "  macOS, Windows: download it from https://ollama.com/download\n" +
        "or point OLLAMA_HOST at a running Ollama server.",
      options,
    );
  }
}

/** Ollama is installed but its server does not answer. */
export class OllamaServerDownError extends SmallLlmError {
  override readonly name = "OllamaServerDownError";
  readonly exitCode = 3;
  constructor(host: string, detail?: string, options?: ErrorOptions) {
    super(
      `the Ollama server at ${host} is not running${detail ? ` (${detail})` : ""}. Start it with ` +
        "`ollama serve` (or `small-llm status --start`), or set OLLAMA_HOST to where it runs.",
      options,
    );
  }
}

/** The model is neither in the index nor known to Ollama's registry, or not installed. */
export class UnknownModelError extends SmallLlmError {
  override readonly name = "UnknownModelError";
  readonly exitCode = 4;
  constructor(model: string, detail: string, options?: ErrorOptions) {
    super(`unknown model "${model}": ${detail}`, options);
  }
}

/** The disk filled up during a pull. */
export class DiskFullError extends SmallLlmError {
  override readonly name = "DiskFullError";
  readonly exitCode = 5;
  constructor(model: string, serverMessage: string, options?: ErrorOptions) {
    super(
      `the disk is full while pulling ${model} (${serverMessage}). Free space where Ollama keeps models ` +
        "(OLLAMA_MODELS, default ~/.ollama/models), or pick a smaller quant with --quant; " +
        "re-running the install resumes the download.",
      options,
    );
  }
}

/** A pull ended before Ollama said `success`: the network dropped or the server stopped. */
export class PullInterruptedError extends SmallLlmError {
  override readonly name = "PullInterruptedError";
  readonly exitCode = 6;
  constructor(model: string, detail: string, options?: ErrorOptions) {
    super(
      `pulling ${model} was interrupted (${detail}). Run the same install again: Ollama resumes from ` +
        "the part already downloaded.",
      options,
    );
  }
}

/** The Ollama server answered with an error the categories above do not cover. */
export class OllamaError extends SmallLlmError {
  override readonly name = "OllamaError";
  readonly exitCode = 1;
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
  readonly exitCode = 8;
  constructor(feature: string, needed: string, actual: string) {
    super(
      `${feature} needs Ollama ${needed} or newer, but the server is ${actual}. Update Ollama: https://ollama.com/download`,
    );
  }
}
