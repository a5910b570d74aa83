/**
 * Stage 2, classify: keep chat and base LLMs — text, vision and audio chat models that Ollama can
 * run — and say what each repo is: its weight format, the bases it declares, its task tags.
 * What a repo is comes from signals that generalise (classify/repo-kind.ts); the name is the last
 * resort. Image-, video- and audio-text-to-text and any-to-any repos are kept when they chat
 * (gemma-3-4b-it, Qwen2.5-Omni, Ultravox), with the `vision` / `audio` task; their parameter count
 * includes the towers. Those that cannot chat (captioning, OCR) are dropped.
 */

import { type DropReason, dropReason } from "./classify/repo-kind.ts";
import { isChat, taskTags } from "./classify/tasks.ts";
import type { StageContext } from "./context.ts";
import type { HubModel } from "./hub/types.ts";

export type { DropReason } from "./classify/repo-kind.ts";
export { isChat, taskTags } from "./classify/tasks.ts";

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
  | "exl2"
  | "pytorch";
export type BaseRelation = "finetune" | "quantized" | "adapter" | "merge";

export interface DeclaredBase {
  id: string;
  relation: BaseRelation;
}

export interface Classified {
  model: HubModel;
  format: WeightFormat;
  bases: DeclaredBase[];
  tasks: string[];
}

/** Formats whose weights are a copy of a model stored another way; they fold into its entry. */
export const COPY_FORMATS = new Set<WeightFormat>([
  "gguf",
  "mlx",
  "onnx",
  "litert",
  "mlc",
  "openvino",
  "awq",
  "gptq",
  "bnb",
  "fp8",
  "exl2",
]);

const quantConfig = (model: HubModel) =>
  (model.config?.quantization_config ?? {}) as {
    quant_method?: unknown;
    bits?: unknown;
    load_in_4bit?: unknown;
    load_in_8bit?: unknown;
  };

/**
 * How the weights are stored, from the files and config first and tags second: a repo with full
 * safetensors weights that also ships ONNX exports is safetensors, not an ONNX conversion.
 */
export function weightFormat(model: HubModel): WeightFormat {
  const tags = new Set((model.tags ?? []).map((t) => t.toLowerCase()));
  const library = model.library_name;
  const q = quantConfig(model);
  const method = String(q.quant_method ?? "").toLowerCase();
  const fullWeights = model.safetensors?.total !== undefined || tags.has("safetensors");
  if (library === "gguf" || ((tags.has("gguf") || model.gguf?.total !== undefined) && !fullWeights)) return "gguf";
  if (library === "mlx" || tags.has("mlx")) return "mlx";
  if (method === "awq" || tags.has("awq")) return "awq";
  if (method === "gptq" || tags.has("gptq")) return "gptq";
  if (method === "bitsandbytes" || q.load_in_4bit === true || q.load_in_8bit === true || tags.has("bitsandbytes"))
    return "bnb";
  if (method === "exl2" || tags.has("exl2")) return "exl2";
  if (["fp8", "compressed-tensors", "modelopt", "fbgemm_fp8", "mxfp4", "hqq", "quanto", "torchao"].includes(method))
    return "fp8";
  if (tags.has("fp8") && fullWeights) return "fp8";
  if (fullWeights) return "safetensors";
  if (tags.has("gguf") || model.gguf?.total !== undefined) return "gguf";
  if (tags.has("litert") || tags.has("tflite") || library === "litert" || library === "mediapipe") return "litert";
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

export type ClassifyResult = Classified | { reason: DropReason; detail: string };

export function classify(model: HubModel): ClassifyResult {
  const format = weightFormat(model);
  const bases = declaredBases(model, format);
  const drop = dropReason(
    model,
    format,
    isChat(model),
    bases.some((b) => b.relation === "adapter"),
  );
  return drop ?? { model, format, bases, tasks: taskTags(model) };
}

export const isDrop = (c: ClassifyResult): c is { reason: DropReason; detail: string } => "reason" in c;

/** Classify every candidate once; drops are recorded as decisions. */
export function classifyAll(ctx: Pick<StageContext, "decisions">, models: Iterable<HubModel>): Classified[] {
  const kept: Classified[] = [];
  for (const model of models) {
    const c = classify(model);
    if (isDrop(c)) ctx.decisions.drop(model.id, c.reason, c.detail);
    else kept.push(c);
  }
  return kept;
}

/** A base worth looking up the fine-tunes of: full weights that declare no base themselves. */
export const isBaseModel = (c: Classified): boolean => c.bases.length === 0 && c.format === "safetensors";

/** Drops whose class a fine-tune keeps: a fine-tuned embedder still embeds, a fine-tuned TTS still speaks. */
const INHERITED_BY_FINE_TUNES = new Set<string>([
  "draft-head",
  "reward-or-judge",
  "speech",
  "embedding-or-classifier",
  "document-vision",
  "not-natural-language",
]);
/** Drops that say nothing about a copy of the repo (a copy of a private repo is still a model). */
const NOT_INHERITED = new Set<string>(["private-or-disabled", "test-stub", "no-weights", "bundle", "adapter-only"]);

/**
 * Repos that declare a base the classifier dropped share its fate: a GGUF of a TTS model is a TTS
 * model even when its own name and tags do not say so. Copies inherit every drop that is about what
 * the weights are; fine-tunes only the functional classes. Returns what is still kept.
 */
export function inheritDrops(ctx: Pick<StageContext, "decisions">, kept: Classified[]): Classified[] {
  return kept.filter((c) => {
    for (const base of c.bases) {
      const d = ctx.decisions.get(base.id);
      if (d?.decision !== "dropped" || NOT_INHERITED.has(d.reason)) continue;
      const copy = base.relation === "quantized" || COPY_FORMATS.has(c.format);
      if (base.relation === "adapter" || base.relation === "merge") continue;
      if (copy || INHERITED_BY_FINE_TUNES.has(d.reason)) {
        ctx.decisions.drop(
          c.model.id,
          d.reason,
          `${copy ? "a copy" : "a fine-tune"} of ${base.id}, dropped as ${d.reason}`,
        );
        return false;
      }
    }
    return true;
  });
}
