/**
 * What the embedded runtime accepts as a model: a GGUF file on disk (`./model.gguf`, an absolute
 * path, `~/…`, `file:…`), or a Hub ref as the index writes them, `hf.co/{owner}/{repo}:{QUANT}`, or
 * naming the file, `hf.co/{owner}/{repo}:{path/in/repo.gguf}` (also `huggingface.co/…`, `hf:…`).
 * No tag means Q4_K_M, as Ollama and node-llama-cpp default.
 */
import { homedir } from "node:os";
import { basename, isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { UnknownModelError } from "../../errors/index.ts";

export const DEFAULT_QUANT = "Q4_K_M";

export type EmbeddedRef =
  | { kind: "path"; path: string }
  | { kind: "hub"; repo: string; file?: string; quant?: string }
  /** A bare name: a file already in the models directory (`Qwen2.5-0.5B-Instruct-Q4_K_M.gguf`). */
  | { kind: "name"; name: string };

const HUB = /^(?:hf:|hf\.co\/|huggingface\.co\/|https?:\/\/(?:hf\.co|huggingface\.co)\/)([\w.-]+\/[\w.-]+)(?::(.+))?$/i;
const REPO_PART = /^[\w][\w.-]{0,95}$/;

export function isLocalPath(ref: string): boolean {
  return (
    ref.startsWith("file:") ||
    isAbsolute(ref) ||
    /^~[/\\]/.test(ref) ||
    /^\.\.?[/\\]/.test(ref) ||
    /^[a-zA-Z]:[/\\]/.test(ref) ||
    (/\.gguf$/i.test(ref) && /[/\\]/.test(ref) && !HUB.test(ref))
  );
}

/** A GGUF file on disk, named by path (`./model.gguf`, `/abs/model.gguf`, `~/model.gguf`, `file:…`). */
export const isGgufPath = (name: string) => isLocalPath(name.trim()) && /\.gguf$/i.test(name.trim());

export function parseRef(ref: string, cwd = process.cwd()): EmbeddedRef {
  const trimmed = ref.trim();
  if (isLocalPath(trimmed)) {
    if (trimmed.startsWith("file:")) return { kind: "path", path: fileURLToPath(trimmed) };
    if (/^~[/\\]/.test(trimmed)) return { kind: "path", path: resolve(homedir(), trimmed.slice(2)) };
    return { kind: "path", path: resolve(cwd, trimmed) };
  }
  const hub = HUB.exec(trimmed);
  if (hub) {
    const repo = hub[1] as string;
    const [owner, name] = repo.split("/") as [string, string];
    if (!REPO_PART.test(owner) || !REPO_PART.test(name) || repo.includes(".."))
      throw new UnknownModelError(ref, "not a Hugging Face repo id (owner/name)");
    const tag = hub[2] ?? DEFAULT_QUANT;
    if (/\.gguf$/i.test(tag)) {
      if (tag.split("/").some((part) => part === ".." || part === "" || part === "."))
        throw new UnknownModelError(ref, "the file must be a plain path inside the repo");
      return { kind: "hub", repo, file: tag };
    }
    return { kind: "hub", repo, quant: tag.toUpperCase() };
  }
  if (/^[\w.-]+\.gguf$/i.test(trimmed)) return { kind: "name", name: trimmed };
  throw new UnknownModelError(
    ref,
    "the embedded runtime takes a GGUF file (`./model.gguf`) or a Hub ref (`hf.co/owner/repo:Q4_K_M`, " +
      "`hf.co/owner/repo:file.gguf`)",
  );
}

/** The quant label in a GGUF file name (`…-Q4_K_M.gguf` → `Q4_K_M`, `model.q8_0.gguf` → `Q8_0`), if any. */
export function quantOf(file: string): string | undefined {
  const stem = basename(file)
    .replace(/\.gguf$/i, "")
    .replace(/-\d{5}-of-\d{5}$/, "");
  const found = [
    ...stem.matchAll(
      /(?:^|[-._])((?:UD-)?(?:I?Q\d(?:_[A-Z0-9]+){0,3}|BF16|F16|F32|MXFP4(?:_MOE)?|TQ\d_\d))(?=$|[-._])/gi,
    ),
  ];
  return found.at(-1)?.[1]?.toUpperCase();
}

/** `model-00001-of-00003.gguf` → the three shard names; a single file → itself. */
export function shardsOf(file: string): string[] {
  const split = /^(.*)-00001-of-(\d{5})\.gguf$/i.exec(file);
  if (!split) return [file];
  const count = Number(split[2]);
  return Array.from({ length: count }, (_, i) => `${split[1]}-${String(i + 1).padStart(5, "0")}-of-${split[2]}.gguf`);
}

/** A later shard (`-00002-of-00003`), listed and removed with its first. */
export const isLaterShard = (file: string) => /-\d{5}-of-\d{5}\.gguf$/i.test(file) && !/-00001-of-/i.test(file);
