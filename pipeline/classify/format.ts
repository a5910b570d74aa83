/**
 * How a repo stores its weights, and which bases it declares. The weight format decides whether a
 * repo is a copy (GGUF, MLX, AWQ, FP8, NVFP4, …) that folds into its base or a set of weights of
 * its own; the files, config and the dtypes of the safetensors say it before the tags do.
 */
import type { HubModel } from "../hub/types.ts";
import { nameTokens } from "./names.ts";

export type WeightFormat =
  | "safetensors"
  | "gguf"
  | "mlx"
  | "onnx"
  | "litert"
  | "mlc"
  | "openvino"
  | "awq"
  | "gptq"
  | "bnb"
  | "fp8"
  | "fp4"
  | "exl2"
  | "pytorch";
export type BaseRelation = "finetune" | "quantized" | "adapter" | "merge";

export interface DeclaredBase {
  id: string;
  relation: BaseRelation;
}

const quantConfig = (model: HubModel) =>
  (model.config?.quantization_config ?? {}) as {
    quant_method?: unknown;
    quant_algo?: unknown;
    load_in_4bit?: unknown;
    load_in_8bit?: unknown;
  };

const FP4 = /(^|[^a-z])(nv|mx)?fp4/i;
const FP4_TAGS = ["nvfp4", "fp4", "mxfp4"];
/** Name tokens that say the weights were quantized after training (`-NVFP4`, `-FP8-dynamic`, `-W4A16`). */
const QUANT_TOKEN = /^(fp8|fp4|nvfp4|mxfp4|int4|int8|w4a16|w8a8|w8a16|w4a4|awq|gptq|bnb|4bit|8bit|quantized)$/;
/** Safetensors dtypes of packed or low-precision weights; full weights are BF16, F16 or F32. */
const PACKED_DTYPES = new Set(["U8", "I8", "U32", "I32", "U4", "I4", "F4", "F8_E4M3", "F8_E5M2", "F8_E8M0"]);

/** The share of the stored parameters that are packed integers or 8/4-bit floats. */
export function packedShare(model: HubModel): number {
  const params = (model.safetensors as { parameters?: unknown } | undefined)?.parameters;
  if (!params || typeof params !== "object") return 0;
  let packed = 0;
  let total = 0;
  for (const [dtype, n] of Object.entries(params as Record<string, unknown>)) {
    if (typeof n !== "number") continue;
    total += n;
    if (PACKED_DTYPES.has(dtype)) packed += n;
  }
  return total > 0 ? packed / total : 0;
}

/**
 * How the weights are stored, from the files and config first and tags second: a repo with full
 * safetensors weights that also ships ONNX exports is safetensors, not an ONNX conversion.
 */
export function weightFormat(model: HubModel): WeightFormat {
  const tags = new Set((model.tags ?? []).map((t) => t.toLowerCase()));
  const library = model.library_name;
  const q = quantConfig(model);
  const method = String(q.quant_method ?? "").toLowerCase();
  const algo = String(q.quant_algo ?? "").toLowerCase();
  const fullWeights = model.safetensors?.total !== undefined || tags.has("safetensors");
  const tokens = nameTokens(model.id);
  const fp4 =
    FP4.test(algo) || FP4.test(method) || FP4_TAGS.some((t) => tags.has(t)) || tokens.some((t) => FP4.test(t));
  if (library === "gguf" || ((tags.has("gguf") || model.gguf?.total !== undefined) && !fullWeights)) return "gguf";
  if (library === "mlx" || tags.has("mlx")) return "mlx";
  if (method === "awq" || tags.has("awq")) return "awq";
  if (method === "gptq" || tags.has("gptq")) return "gptq";
  if (method === "bitsandbytes" || q.load_in_4bit === true || q.load_in_8bit === true || tags.has("bitsandbytes"))
    return "bnb";
  if (method === "exl2" || tags.has("exl2")) return "exl2";
  const quantized =
    ["fp8", "compressed-tensors", "modelopt", "fbgemm_fp8", "mxfp4", "hqq", "quanto", "torchao", "quark"].includes(
      method,
    ) ||
    // NVIDIA ModelOpt checkpoints may say so only in a file of their own.
    Boolean(model.siblings?.some((s) => s.rfilename === "hf_quant_config.json")) ||
    (fullWeights && (tags.has("fp8") || tags.has("modelopt") || FP4_TAGS.some((t) => tags.has(t)))) ||
    // Packed low-bit tensors are a quantized copy, unless the model was trained that way (BitNet's
    // ternary weights: its own `quant_method`), which makes it the original.
    (fullWeights && packedShare(model) > 0.3 && method !== "bitnet") ||
    // A quantized-base tag on full weights whose name says how they were quantized (`Qwen3-8B-NVFP4`).
    (fullWeights &&
      (model.tags ?? []).some((t) => t.startsWith("base_model:quantized:")) &&
      tokens.some((t) => QUANT_TOKEN.test(t)));
  if (quantized) return fp4 ? "fp4" : "fp8";
  if (fullWeights) return "safetensors";
  // GGML, llama.cpp's format before GGUF (TheBloke's `*.ggmlv3.q4_0.bin`), is a copy of the same kind.
  const files = model.siblings?.map((f) => f.rfilename.toLowerCase()) ?? [];
  if (
    tags.has("gguf") ||
    model.gguf?.total !== undefined ||
    files.some((f) => /\.ggml(v\d)?\.[^/]*\.bin$|\.ggml$/.test(f))
  )
    return "gguf";
  if (
    tags.has("litert") ||
    tags.has("tflite") ||
    library === "litert" ||
    library === "litert-lm" ||
    library === "mediapipe" ||
    files.some((f) => /\.(tflite|task|litertlm)$/.test(f))
  )
    return "litert";
  if (tags.has("mlc-llm") || library === "mlc-llm") return "mlc";
  if (tags.has("openvino") || library === "openvino") return "openvino";
  if (tags.has("onnx") || library === "transformers.js" || library === "onnx") return "onnx";
  return "pytorch";
}

/** Bases from `base_model:<relation>:<id>` tags, else `cardData.base_model` (author-declared). */
export function declaredBases(model: HubModel, format: WeightFormat): DeclaredBase[] {
  const fromTags: DeclaredBase[] = [];
  for (const tag of model.tags ?? []) {
    const m = /^base_model:(finetune|quantized|adapter|merge):(.+)$/.exec(tag);
    if (m) fromTags.push({ relation: m[1] as BaseRelation, id: m[2] as string });
  }
  const fullWeights = format === "safetensors" || format === "pytorch";
  // A repo with its own full weights is not a quantization, whatever one tag says (SmolLM2-360M-Instruct
  // is tagged `quantized:SmolLM2-360M` because it also ships ONNX exports): trust the files.
  const trusted = (b: DeclaredBase): DeclaredBase =>
    fullWeights && b.relation === "quantized" ? { ...b, relation: "finetune" } : b;
  if (fromTags.length) return fromTags.filter((b) => b.id !== model.id).map(trusted);
  const card = model.cardData?.base_model;
  const ids = (Array.isArray(card) ? card : card ? [card] : []).filter(
    (id) => typeof id === "string" && id !== model.id,
  );
  const declared = model.cardData?.base_model_relation;
  const relation: BaseRelation =
    declared === "finetune" || declared === "quantized" || declared === "adapter" || declared === "merge"
      ? declared
      : ids.length > 1
        ? "merge"
        : fullWeights
          ? "finetune"
          : "quantized";
  return ids.map((id) => trusted({ id, relation }));
}
