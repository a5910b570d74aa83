/**
 * What a path to publish is: a PEFT adapter (`adapter_config.json` + adapter weights), GGUF files
 * (a folder of them, or one `.gguf`), or a transformers model (`config.json` + weights). Anything
 * else is refused with what was found and what would do. The files are listed here, once, with the
 * repo path each will have.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { HUB_REPO_ID } from "../../../schema/patterns.ts";
import { NotAModelError } from "../errors/index.ts";
import { ggufHeaderProblem } from "../gguf-header.ts";

export type ModelKind = "adapter" | "gguf" | "transformers";

export interface LocalFile {
  /** Path in the repo, `/`-separated. */
  path: string;
  /** Where it is on disk. */
  local: string;
  size: number;
}

export interface DetectedModel {
  kind: ModelKind;
  root: string;
  files: LocalFile[];
  /** The base model the folder names (adapter_config.json `base_model_name_or_path`), when it is a Hub id. */
  base?: string;
  /** A base named in the folder that is not a Hub id (a local path), so the caller can say so. */
  unusableBase?: string;
  /** GGUF quant labels, from the file names (`…-Q4_K_M.gguf` → Q4_K_M). */
  quants: string[];
  /** The folder has its own README.md (kept as the model card). */
  hasReadme: boolean;
  /** Whatever else is worth knowing: the adapter's PEFT type, its task. */
  peft?: { type?: string; task?: string; rank?: number };
}

const MAX_DEPTH = 5; // as @huggingface/hub's maxFolderDepth
// Names the Hub never wants and tools leave behind.
const SKIP = /^(\.git|\.cache|\.huggingface|__pycache__|\.DS_Store|\.ipynb_checkpoints)$/;

function walk(root: string, dir = root, depth = 0): LocalFile[] {
  if (depth > MAX_DEPTH) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      if (SKIP.test(name) || (name.startsWith(".") && name !== ".gitattributes")) return [];
      const local = join(dir, name);
      const stat = statSync(local);
      if (stat.isDirectory()) return walk(root, local, depth + 1);
      if (!stat.isFile()) return [];
      return [{ path: relative(root, local).split("\\").join("/"), local, size: stat.size }];
    });
}

const QUANT_IN_NAME =
  /(UD-)?(IQ[1-4]_(?:XXS|XS|NL|S|M)|TQ[12]_0|Q[2-8]_K(?:_(?:XL|S|M|L))?|Q[4-8]_[01]|F16|BF16|F32|MXFP4)/g;

/** The quant label of a GGUF file name, as the Hub's `parseGGUFQuantLabel` reads it (the last match). */
export function quantOf(fileName: string): string | undefined {
  const matches = [...fileName.toUpperCase().matchAll(QUANT_IN_NAME)];
  const last = matches.at(-1);
  return last ? `${last[1] ?? ""}${last[2]}` : undefined;
}

function readJson(file: LocalFile): Record<string, unknown> {
  try {
    const value = JSON.parse(readFileSync(file.local, "utf8"));
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new NotAModelError(`${file.local} is not a JSON object; fix or remove it and publish again.`);
}

export function detectModel(path: string): DetectedModel {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch {
    throw new NotAModelError(`${path} does not exist; give a model folder or a .gguf file.`);
  }
  if (stat.isFile()) {
    const problem = path.toLowerCase().endsWith(".gguf") ? ggufHeaderProblem(path) : "it is not a GGUF file";
    if (problem)
      throw new NotAModelError(
        `${path}: ${problem}; publish a .gguf file, or a folder with a transformers model or a PEFT adapter.`,
      );
    const quant = quantOf(basename(path));
    return {
      kind: "gguf",
      root: join(path, ".."),
      files: [{ path: basename(path), local: path, size: stat.size }],
      quants: quant ? [quant] : [],
      hasReadme: false,
    };
  }
  const files = walk(path);
  const at = (name: string) => files.find((f) => f.path === name);
  const hasReadme = Boolean(at("README.md"));
  const ggufs = files.filter((f) => f.path.toLowerCase().endsWith(".gguf"));
  const adapterConfig = at("adapter_config.json");

  if (adapterConfig) {
    const config = readJson(adapterConfig);
    if (!at("adapter_model.safetensors") && !at("adapter_model.bin"))
      throw new NotAModelError(
        `${path} has adapter_config.json but no adapter_model.safetensors (or .bin): save the adapter with ` +
          "`model.save_pretrained(folder)` and publish that folder.",
      );
    const named = typeof config.base_model_name_or_path === "string" ? config.base_model_name_or_path : undefined;
    const rank = typeof config.r === "number" ? config.r : undefined;
    return {
      kind: "adapter",
      root: path,
      files,
      ...(named && HUB_REPO_ID.test(named) ? { base: named } : named ? { unusableBase: named } : {}),
      quants: [],
      hasReadme,
      peft: {
        ...(typeof config.peft_type === "string" ? { type: config.peft_type } : {}),
        ...(typeof config.task_type === "string" ? { task: config.task_type } : {}),
        ...(rank !== undefined ? { rank } : {}),
      },
    };
  }
  const config = at("config.json");
  const weights = files.filter((f) => /(^|\/)(model.*\.safetensors|pytorch_model.*\.bin)$/.test(f.path));
  if (config && weights.length) {
    readJson(config);
    return { kind: "transformers", root: path, files, quants: [], hasReadme };
  }
  if (ggufs.length) {
    for (const f of ggufs) {
      const problem = ggufHeaderProblem(f.local);
      if (problem) throw new NotAModelError(`${f.local}: ${problem} (a git-lfs pointer?); replace or remove it.`);
    }
    const quants = [...new Set(ggufs.map((f) => quantOf(basename(f.path))).filter((q): q is string => Boolean(q)))];
    return { kind: "gguf", root: path, files, quants, hasReadme };
  }
  const seen = files.slice(0, 8).map((f) => f.path);
  throw new NotAModelError(
    `${path} is not a model: expected a PEFT adapter (adapter_config.json + adapter_model.safetensors), ` +
      "GGUF files (*.gguf), or a transformers model (config.json + *.safetensors), but found " +
      `${seen.length ? `${seen.join(", ")}${files.length > seen.length ? ", …" : ""}` : "no files"}.`,
  );
}
