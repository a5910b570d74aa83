/**
 * Strict patterns for the identifiers that travel from the Hub to a shell or a web page.
 * Every value that passes these can be pasted into a terminal or an HTML attribute unquoted:
 * no spaces, quotes, `;`, `$`, `<`, `>`, backslashes, and no `..` path segments.
 */

/** One part of a Hub repo id: starts and ends with a letter, digit or `_`; `.`/`-` inside too (huggingface_hub's REPO_ID_REGEX, `\b[\w\-.]+\b`). */
const HUB_PART = "[A-Za-z0-9_](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9_])?";

/** `owner/name`, as the Hub spells canonical repo ids. `--` and `..` are rejected as the Hub does. */
export const HUB_REPO_ID = new RegExp(`^(?!.*(?:--|\\.\\.))${HUB_PART}/${HUB_PART}$`);

/**
 * A GGUF quant label as `parseGGUFQuantLabel` (@huggingface/tasks) returns it: upper case,
 * optional unsloth `UD-` prefix, e.g. `Q4_K_M`, `IQ3_XXS`, `BF16`, `UD-Q2_K_XL`, `MXFP4`.
 */
export const QUANT_LABEL = /^(?:UD-)?[A-Z][A-Z0-9]*(?:_[A-Z0-9]+){0,3}$/;

/**
 * An Ollama model reference, `[host/][namespace/]model[:tag]`, following Ollama's own name rules
 * (types/model/name.go): parts start with `[A-Za-z0-9_]`, then `[A-Za-z0-9_.-]`; the namespace
 * takes no `.`; the host may carry a port. `..` anywhere is rejected.
 */
export const OLLAMA_REF =
  /^(?!.*\.\.)(?:(?:[A-Za-z0-9_][A-Za-z0-9_.-]{0,253}(?::\d{1,5})?\/)?[A-Za-z0-9_][A-Za-z0-9_-]{0,79}\/)?[A-Za-z0-9_][A-Za-z0-9_.-]{0,79}(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,79})?$/;

/** `YYYY-MM-DD.` + the first 8 hex digits of the content hash, e.g. `2026-11-23.3f9a1c2b`. */
export const INDEX_VERSION = /^\d{4}-\d{2}-\d{2}\.[0-9a-f]{8}$/;

/** A short lower-case identifier: tier ids, profile ids, task tags. */
export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The Ollama ref for a GGUF repo on the Hub and one of its quants: `hf.co/{repo}:{QUANT}`. */
export function hfOllamaRef(ggufRepo: string, quant: string): string {
  return `hf.co/${ggufRepo}:${quant}`;
}

/**
 * A file path inside a Hub repo: relative, `/`-separated, no `..` segment, no spaces or shell
 * metacharacters (GGUF file names on the Hub are plain `[A-Za-z0-9._-]`, sometimes in folders).
 */
export const REPO_FILE_PATH =
  /^(?!.*(?:^|\/)\.\.(?:\/|$))[A-Za-z0-9_][A-Za-z0-9._+-]*(?:\/[A-Za-z0-9_][A-Za-z0-9._+-]*)*$/;
