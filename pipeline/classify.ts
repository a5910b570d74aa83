/**
 * Stage 2, classify: keep only text-generation LLMs, and say what each repo is: its weight format, the bases
 * it declares, and its task tags.
 *
 * Image-text-to-text chat models (gemma-3-4b-it, Qwen2.5-VL) are kept: they chat in text and Ollama
 * runs them; they carry the `vision` task, and their parameter count includes the vision tower.
 * Image-text-to-text repos that cannot chat (captioning, OCR) are dropped as vision-only.
 */
import type { StageContext } from "./context.ts";
import type { HubModel } from "./hub/types.ts";

export type WeightFormat =
  | "safetensors"
  | "gguf"
  | "mlx"
  | "onnx"
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

const KEEP_PIPELINES = new Set(["text-generation", "image-text-to-text"]);
/** GGUF architectures that are not generative LLMs (embedders, encoders, speech, vision towers). */
const NON_LLM_GGUF =
  /^(bert|nomic-bert|nomic-bert-moe|jina-bert-v2|jina-bert-v3|modern-bert|neo-bert|t5|t5encoder|clip|whisper|wavtokenizer-dec|xlm-roberta|roberta|clip-vision|siglip|stable-diffusion|flux)/;
const ENCODER_DECODER = new Set([
  "t5",
  "mt5",
  "umt5",
  "bart",
  "mbart",
  "pegasus",
  "marian",
  "whisper",
  "bert",
  "roberta",
  "xlm-roberta",
  "distilbert",
  "modernbert",
  "deberta-v2",
  "electra",
]);
const NON_LLM_TAGS = new Set([
  "sentence-transformers",
  "feature-extraction",
  "sentence-similarity",
  "reranker",
  "text-classification",
  "fill-mask",
  "token-classification",
]);
const TEST_STUB =
  /(^|[/_-])(tiny-random|random-tiny|dummy|tiny-testing|internal-testing)([/_-]|$)|^(hf-internal-testing|trl-internal-testing|hf-tiny-model-private|optimum-internal-testing)\//i;

export type DropReason =
  | "private-or-disabled"
  | "not-text-generation"
  | "embedding-or-classifier"
  | "encoder-decoder"
  | "adapter-only"
  | "vision-only"
  | "test-stub";

export function weightFormat(model: HubModel): WeightFormat {
  const tags = new Set(model.tags ?? []);
  const library = model.library_name;
  const quantMethod = String(
    (model.config?.quantization_config as { quant_method?: string } | undefined)?.quant_method ?? "",
  );
  if (tags.has("gguf") || library === "gguf" || model.gguf?.total !== undefined) return "gguf";
  if (tags.has("mlx") || library === "mlx") return "mlx";
  if (tags.has("onnx") || library === "transformers.js" || library === "onnx") return "onnx";
  if (quantMethod === "awq" || tags.has("awq")) return "awq";
  if (quantMethod === "gptq" || tags.has("gptq")) return "gptq";
  if (quantMethod === "bitsandbytes" || tags.has("bitsandbytes")) return "bnb";
  if (quantMethod === "exl2" || tags.has("exl2")) return "exl2";
  if (quantMethod === "fp8" || quantMethod === "compressed-tensors" || tags.has("fp8")) return "fp8";
  if (!tags.has("safetensors") && model.safetensors?.total === undefined) return "pytorch";
  return "safetensors";
}

/** Bases from `base_model:<relation>:<id>` tags, else `cardData.base_model` (author-declared). */
export function declaredBases(model: HubModel, format: WeightFormat): DeclaredBase[] {
  const fromTags: DeclaredBase[] = [];
  for (const tag of model.tags ?? []) {
    const m = /^base_model:(finetune|quantized|adapter|merge):(.+)$/.exec(tag);
    if (m) fromTags.push({ relation: m[1] as BaseRelation, id: m[2] as string });
  }
  if (fromTags.length) return fromTags.filter((b) => b.id !== model.id);
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
        : format === "safetensors" || format === "pytorch"
          ? "finetune"
          : "quantized";
  return ids.map((id) => ({ id, relation }));
}

/** Why a repo is not an LLM we index, or undefined to keep it. */
export function dropReason(model: HubModel, format: WeightFormat, bases: DeclaredBase[]): DropReason | undefined {
  if (model.private || model.disabled) return "private-or-disabled";
  if (TEST_STUB.test(model.id)) return "test-stub";
  const tags = new Set(model.tags ?? []);
  if (model.library_name === "peft" || model.config?.peft || bases.some((b) => b.relation === "adapter")) {
    return "adapter-only";
  }
  if (format === "gguf") {
    if (NON_LLM_GGUF.test(model.gguf?.architecture ?? "")) return "embedding-or-classifier";
    if ([...tags].some((t) => NON_LLM_TAGS.has(t))) return "embedding-or-classifier";
    return undefined; // GGUF repos often have no pipeline tag; the architecture decides.
  }
  if ([...tags].some((t) => NON_LLM_TAGS.has(t)) || model.library_name === "sentence-transformers") {
    return "embedding-or-classifier";
  }
  const modelType = String(model.config?.model_type ?? "");
  if (ENCODER_DECODER.has(modelType)) return "encoder-decoder";
  const pipeline = model.pipeline_tag;
  if (pipeline === undefined) {
    const archs = (model.config?.architectures as string[] | undefined) ?? [];
    return archs.some((a) => /ForCausalLM$|ForConditionalGeneration$/.test(a)) ? undefined : "not-text-generation";
  }
  if (pipeline === "image-text-to-text" && !isChat(model)) return "vision-only";
  return KEEP_PIPELINES.has(pipeline) ? undefined : "not-text-generation";
}

const LANGUAGE_TAG = /^[a-z]{2,3}$/;
/** Short tags that look like language codes but are libraries or methods. */
const NOT_LANGUAGES = new Set([
  "tf",
  "mlx",
  "awq",
  "jax",
  "gpt",
  "moe",
  "bnb",
  "dpo",
  "sft",
  "rl",
  "ort",
  "exl",
  "trl",
]);

/** Whether the repo is made to chat: the Hub's `conversational` tag, a chat template, or its name. */
export function isChat(model: HubModel): boolean {
  const tags = new Set((model.tags ?? []).map((t) => t.toLowerCase()));
  const name = (model.id.split("/")[1] ?? "").toLowerCase();
  const tokenizer = model.config?.tokenizer_config as { chat_template?: unknown } | undefined;
  return (
    tags.has("conversational") ||
    tokenizer?.chat_template !== undefined ||
    model.gguf?.chat_template !== undefined ||
    /(instruct|chat|(^|[-_.])it($|[-_.])|sft|dpo|orpo|assistant|zephyr|hermes)/.test(name)
  );
}

/** Task tags from the Hub's tags, the chat template and the repo name. */
export function taskTags(model: HubModel): string[] {
  const tags = new Set((model.tags ?? []).map((t) => t.toLowerCase()));
  const name = (model.id.split("/")[1] ?? "").toLowerCase();
  const chat = isChat(model);
  const out = new Set<string>();
  if (chat) out.add("chat");
  if (tags.has("code") || /(code|coder|starcoder|codegen|deepseek-coder)/.test(name)) out.add("code");
  if (tags.has("reasoning") || /(reason|think|(^|[-_])r1($|[-_])|qwq|(^|[-_])cot($|[-_]))/.test(name))
    out.add("reasoning");
  if (tags.has("math") || /math/.test(name)) out.add("math");
  if (tags.has("tool-use") || tags.has("function-calling") || /(function|tool)/.test(name)) out.add("tools");
  if (model.pipeline_tag === "image-text-to-text" || /(^|[-_])vl($|[-_])|vision/.test(name)) out.add("vision");
  if (tags.has("multilingual") || [...tags].filter((t) => LANGUAGE_TAG.test(t) && !NOT_LANGUAGES.has(t)).length >= 5)
    out.add("multilingual");
  if (!chat) out.add("base");
  return [...out].sort();
}

/** Classify every candidate once; drops are recorded as decisions. */
export function classifyAll(ctx: Pick<StageContext, "decisions">, models: Iterable<HubModel>): Classified[] {
  const kept: Classified[] = [];
  for (const model of models) {
    const c = classify(model);
    if (typeof c === "string") ctx.decisions.drop(model.id, c);
    else kept.push(c);
  }
  return kept;
}

/** A base worth looking up the fine-tunes of: full weights that declare no base themselves. */
export const isBaseModel = (c: Classified): boolean => c.bases.length === 0 && c.format === "safetensors";

export function classify(model: HubModel): Classified | DropReason {
  const format = weightFormat(model);
  const bases = declaredBases(model, format);
  return dropReason(model, format, bases) ?? { model, format, bases, tasks: taskTags(model) };
}
