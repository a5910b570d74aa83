/** A name that is no model, answered with the index ids closest to it. */
import type { Index } from "../../../schema/index.ts";
import { findModel } from "../catalog/find-model.ts";
import { didYouMean } from "../catalog/similar-ids.ts";
import { SmallLlmError, UnknownModelError } from "../errors/index.ts";

/** `Qwen/Qwen2.5-7B`: an owner, a name, no tag and no registry host. */
const looksLikeHubId = (name: string) => /^[\w.-]+\/[\w.-]+$/.test(name.trim()) && !/^hf\.co\//i.test(name.trim());

/** The error, with "did you mean …" from the index when it says the name is no model and some id is close. */
export function withSuggestions(error: unknown, typed: string, index: Index | undefined): unknown {
  // `Org/Name` that is neither installed nor in the index is a mistyped id, not an Ollama model to install.
  if (error instanceof SmallLlmError && error.code === "model-not-installed" && looksLikeHubId(typed)) {
    const hint = index && !findModel(index, typed) ? didYouMean(index, typed) : "";
    if (hint) return new UnknownModelError(typed, `not in the index.${hint}`, { code: "not-in-index", cause: error });
  }
  if (!(error instanceof UnknownModelError)) return error;
  if (error.code !== "unknown-model" && error.code !== "not-in-index" && error.code !== "invalid-model-name")
    return error;
  const hint = didYouMean(index, typed);
  if (!hint) return error;
  const detail = error.detail.replace(/\.$/, "");
  return new UnknownModelError(error.model, `${detail}.${hint}`, {
    code: error.code,
    cause: error,
  });
}
