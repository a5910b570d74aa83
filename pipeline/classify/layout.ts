/**
 * What a repo's file layout says: no weights at all (a placeholder), adapters only, or many
 * unrelated weight sets (a workflow pack). Weight files are compared by stem — the file name
 * without shard numbers, quant labels and format prefixes — so that the seven quants of one GGUF
 * (`Model-Q4_K_M.gguf`, `Model.i1-IQ2_XS.gguf`, `UD-Q4_K_XL/Model-UD-Q4_K_XL-00001-of-00002.gguf`,
 * `Model-Q5_K_M-imat.gguf`) count as one set of weights.
 */
import type { HubModel } from "../hub/types.ts";

export interface Drop {
  reason: "no-weights" | "adapter-only" | "bundle";
  detail: string;
}

const WEIGHT_FILE = /\.(safetensors|bin|gguf|pt|pth|ckpt|onnx|npz|h5|msgpack|tflite|litertlm|task|mlmodel|engine)$/i;
const TRAINING_ARTEFACT = /(^|\/)(optimizer|scheduler|rng_state|training_args|trainer_state|scaler)[^/]*$/i;
/** Intermediate training checkpoints: copies of the same weights, not other models. */
const CHECKPOINT_DIR = /(^|\/)(checkpoint|global_step|step|epoch|iter)[-_]?\d+\//i;
/** Exports beside the weights (ONNX, TFLite, Core ML, …) and side files (projectors, imatrix data). */
const EXPORT = /(^|\/)onnx\/|\.(onnx|tflite|h5|msgpack|mlmodel|engine|task|litertlm|npz)$/i;
const SIDE_FILE = /mmproj|imatrix|projector|vision|audio|tokenizer/i;

/**
 * A quant label as llama.cpp, unsloth, bartowski and mradermacher write it (llama.cpp's
 * `GGUF_QUANT_RE` plus the float and bit-width spellings), as one separator-bounded part of a name.
 */
const QUANT =
  "(?:ud-)?(?:i?q\\d[a-z0-9]*(?:_[a-z0-9]+)*|tq\\d_\\d|f16|bf16|f32|fp16|fp32|fp8|mxfp4(?:_moe)?|nvfp4|\\d+bit)";
const QUANT_PART = new RegExp(`(^|[-_.])${QUANT}(?=$|[-_.])`, "gi");
const QUANT_DIR = new RegExp(`^${QUANT}$`, "i");
/** Words that ride along with a quant label: importance-matrix and QAT markers, the format's own name. */
const QUANT_COMPANION = /(^|[-_.])(imat|imatrix|i1|qat|gguf|ggml|ggmlv\d)(?=$|[-_.])/gi;

/** The stem of one weight file: what it holds, whatever quant or shard it is. */
export function weightStem(path: string): string {
  const parts = path.split("/");
  const base = (parts.pop() ?? path).toLowerCase();
  // Quants kept in folders of their own (`Q4_K_M/…`, `UD-Q2_K_XL/…`) are still quants of one model.
  const dirs = parts.filter((d) => !QUANT_DIR.test(d));
  const stem = base
    .replace(WEIGHT_FILE, "")
    .replace(/[-_.]?\d{5}-of-\d{5}$/, "")
    .replace(/\.\d{2}$/, "")
    .replace(/^(tf|flax|rust|openvino|coreml|onnx|pytorch)_/, "")
    .replace(QUANT_PART, "")
    .replace(QUANT_COMPANION, "")
    .replace(/[-_.]?(pytorch_)?model[-_.]?$/, "")
    .replace(/^[-_.]+|[-_.]+$/g, "");
  return `${dirs.length ? `${dirs.join("/")}/` : ""}${stem}`;
}

/** Weight files by what they hold, with shard numbers and quant labels removed, ONNX exports aside. */
export function weightStems(m: HubModel): { stems: Set<string>; files: number; adapters: number } | undefined {
  if (!m.siblings) return undefined;
  const stems = new Set<string>();
  let files = 0;
  let adapters = 0;
  for (const { rfilename: path } of m.siblings) {
    if (!WEIGHT_FILE.test(path) || TRAINING_ARTEFACT.test(path)) continue;
    files++;
    const base = path.split("/").pop() ?? path;
    if (/^adapter_model\./.test(base)) adapters++;
    if (EXPORT.test(path) || CHECKPOINT_DIR.test(path) || SIDE_FILE.test(base)) continue;
    stems.add(weightStem(path));
  }
  return { stems, files, adapters };
}

export function layoutDrop(m: HubModel): Drop | undefined {
  const w = weightStems(m);
  if (!w || m.siblings?.length === 0) return undefined;
  if (w.files === 0)
    return { reason: "no-weights", detail: "no weight files in the repo (a placeholder or moved repo)" };
  if (w.adapters > 0 && w.adapters === w.files) return { reason: "adapter-only", detail: "adapter_model files only" };
  // Many unrelated weight sets: a workflow asset pack or a LoRA pack, not one model.
  if (w.stems.size >= 5)
    return {
      reason: "bundle",
      detail: `${w.stems.size} distinct weight files (${[...w.stems].slice(0, 5).join(", ")})`,
    };
  return undefined;
}
