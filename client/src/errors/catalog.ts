/** The index, and each way a name can fail to be a model. */
import { SmallLlmError } from "./base.ts";

/** No source could provide a valid index: not the cache, any mirror, nor the bundled snapshot. */
export class IndexUnavailableError extends SmallLlmError {
  override readonly name = "IndexUnavailableError";
  readonly code = "index-unavailable";
  constructor(
    readonly attempts: readonly { source: string; error: string }[],
    options?: { chosen?: boolean },
  ) {
    const list = attempts.map((a) => `  ${a.source}: ${a.error}`).join("\n");
    super(
      options?.chosen
        ? `the index you chose could not be loaded, so nothing else is used in its place:\n${list}\n` +
            "Fix the URL or path (--index-url, SMALL_LLM_INDEX_URL), or leave both out to use the published index."
        : `no valid model index could be loaded:\n${list}\n` +
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

/** Each way a name can fail to be a model; all exit 4 and answer 404 (see the registry). */
export type ModelLookupCode =
  | "unknown-model"
  | "not-in-index"
  | "no-such-quant"
  | "not-installable"
  | "invalid-model-name"
  | "model-file-missing";

/**
 * A name that is no model: the runtime's registry has no such model (`unknown-model`), a Hub id the
 * index does not list (`not-in-index`), a quant the entry has no build of (`no-such-quant`), an
 * entry with nothing to install (`not-installable`), a name no runtime accepts (`invalid-model-name`),
 * or a model file that is not there (`model-file-missing`).
 */
export class UnknownModelError extends SmallLlmError {
  override readonly name = "UnknownModelError";
  readonly code: ModelLookupCode;
  constructor(
    readonly model: string,
    readonly detail: string,
    options?: ErrorOptions & { code?: ModelLookupCode },
  ) {
    // The model is known when only its quant or its builds are missing: not an "unknown model" then.
    const known = options?.code === "no-such-quant" || options?.code === "not-installable";
    super(known ? `${model}: ${detail}` : `unknown model "${model}": ${detail}`, options);
    this.code = options?.code ?? "unknown-model";
  }
}

/** The model is known (index or registry) but not installed in the runtime. */
export class ModelNotInstalledError extends SmallLlmError {
  override readonly name = "ModelNotInstalledError";
  readonly code = "model-not-installed";
  constructor(
    readonly model: string,
    installCommand: string,
    /** `detail` replaces the install hint where installing is not what the user is after (rm, stop). */
    options?: ErrorOptions & { detail?: string },
  ) {
    super(
      `${model} is not installed${options?.detail ? `; ${options.detail}` : `. Install it with: ${installCommand}`}`,
      options,
    );
  }
}
