/** A name that is no model, answered with the index ids closest to it. */
import type { Index } from "../../../schema/index.ts";
import { didYouMean } from "../catalog/similar-ids.ts";
import { UnknownModelError } from "../errors/index.ts";

/** The error, with "did you mean …" from the index when it says the name is no model and some id is close. */
export function withSuggestions(error: unknown, typed: string, index: Index | undefined): unknown {
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
