/**
 * What a repo is, from signals that generalise across the Hub: config.json's `architectures`,
 * `auto_map` and `model_type` (the list's config digest), tags, `library_name`, the pipeline tag,
 * the file layout (`siblings`), the card's metadata, and — last — tokens of the name. Every repo
 * gets a verdict with the signal that decided it, kept or dropped, for the report; no rule names a
 * repo. When the digest cannot tell (a multimodal repo whose architecture is a bare `…Model`, a
 * repo whose digest is empty), the verdict asks for config.json (`needsConfig`).
 */
import type { HubModel } from "../hub/types.ts";
import {
  archsOf,
  digestNamesModel,
  ENCODER_DECODER,
  ENCODERS,
  generativeArchitecture,
  languageBackbone,
  modelTypeOf,
} from "./architecture.ts";
import { type FunctionalReason, functionalDrop, guardSignal } from "./functional.ts";
import { layoutDrop } from "./layout.ts";
import { nameTokens } from "./names.ts";
import type { ChatSignal } from "./tasks.ts";

export type DropReason =
  | "private-or-disabled"
  | "no-weights"
  | "bundle"
  | "adapter-only"
  | FunctionalReason
  | "encoder"
  | "encoder-decoder"
  | "vision-only"
  | "not-text-generation"
  | "unreadable-metadata";

/** Why a repo is kept: which route through the rules it took. */
export type KeepReason =
  | "text-generation"
  | "multimodal-chat"
  | "chat-under-other-pipeline"
  | "causal-lm-without-pipeline"
  | "gguf"
  | "guard";

export interface Drop {
  keep?: false;
  reason: DropReason;
  /** Which signal decided, for the report. */
  detail: string;
  /** The digest could not tell; config.json could (see look-closer.ts). */
  needsConfig?: boolean;
}
export interface Keep {
  keep: true;
  reason: KeepReason;
  detail: string;
}
export type Verdict = Keep | Drop;

/** Pipelines of models that generate text; the multimodal ones only when they chat. */
const TEXT_PIPELINES = new Set(["text-generation"]);
const CHAT_PIPELINES = new Set(["image-text-to-text", "video-text-to-text", "audio-text-to-text", "any-to-any"]);
/** Other pipelines a multimodal chat model is sometimes filed under (Phi-4-multimodal: speech recognition). */
const TEXT_OUT_PIPELINES = new Set([
  "automatic-speech-recognition",
  "image-to-text",
  "visual-question-answering",
  "text2text-generation",
  "summarization",
  "translation",
  "question-answering",
]);
/**
 * Libraries whose repos have a transformers-style config.json worth reading when the digest is
 * empty (Mistral files its LLMs under vllm).
 */
const CONFIG_LIBRARIES = new Set([undefined, "transformers", "vllm", "mistral-common"]);
/** GGUF architectures that are not generative LLMs (embedders, encoders, speech, vision towers, image models). */
const NON_LLM_GGUF =
  /^(bert|nomic-bert|nomic-bert-moe|jina-bert-v2|jina-bert-v3|modern-bert|neo-bert|t5|t5encoder|clip|whisper|wavtokenizer-dec|xlm-roberta|roberta|clip-vision|siglip|stable-diffusion|flux|sd3|wan|ltxv|hunyuan-video|umt5|dac|snac|outetts)/;

const keep = (reason: KeepReason, detail: string): Keep => ({ keep: true, reason, detail });
const lowerTags = (m: HubModel): Set<string> => {
  const card = m.cardData?.tags;
  const fromCard = Array.isArray(card) ? card.filter((t): t is string => typeof t === "string") : [];
  return new Set([...(m.tags ?? []), ...fromCard].map((t) => t.toLowerCase()));
};
const hasConfigFile = (m: HubModel) => !m.siblings || m.siblings.some((s) => s.rfilename === "config.json");
const canReadConfig = (m: HubModel) => hasConfigFile(m) && CONFIG_LIBRARIES.has(m.library_name);

/**
 * The Hub files custom-code LLMs whose `auto_map` loads them with `AutoModel` under
 * feature-extraction (chatglm3-6b, chatglm-6b); their `auto_map` also names the generator.
 */
const inferredFeatureExtraction = (m: HubModel): boolean =>
  m.pipeline_tag === "feature-extraction" &&
  typeof m.config?.auto_map === "object" &&
  m.config?.auto_map !== null &&
  generativeArchitecture({ auto_map: m.config.auto_map }) !== undefined;

/**
 * The `feature-extraction` tag the Hub adds to custom-code repos that load with `AutoModel`, beside
 * a generating pipeline (InternVL, MiniCPM-V, InternVideo: image-text-to-text): a guess from the
 * loader, not what the model is for. An embedder is filed under feature-extraction or similarity.
 */
const loaderGuessTag = (m: HubModel, tags: Set<string>): boolean =>
  inferredFeatureExtraction(m) ||
  (tags.has("custom_code") && (TEXT_PIPELINES.has(m.pipeline_tag ?? "") || CHAT_PIPELINES.has(m.pipeline_tag ?? "")));

function ggufVerdict(m: HubModel): Verdict {
  const arch = m.gguf?.architecture ?? "";
  if (NON_LLM_GGUF.test(arch) || /embed|bert|rerank/.test(arch))
    return { reason: "embedding-or-classifier", detail: `GGUF architecture ${arch}` };
  // llama.cpp LLM files carry a context length; image and video model GGUFs (ComfyUI's) do not.
  // It is the Hub's own test for offering the Ollama and llama.cpp snippets.
  if (m.gguf && m.gguf.total !== undefined && m.gguf.context_length === undefined)
    return { reason: "not-text-generation", detail: `GGUF ${arch || "file"} without a context length: not an LLM` };
  return keep("gguf", `GGUF weights${arch ? ` of a ${arch} model` : ""}; GGUF repos often have no pipeline tag`);
}

/** Tasks besides transcription that a speech-recognition repo's tags or name may claim. */
const NOT_ONLY_SPEECH = [
  "text-generation",
  "conversational",
  "visual-question-answering",
  "image-text-to-text",
  "nlp",
  "code",
];

/** Filed under speech recognition, and nothing in its tags or name says it does more. */
function transcribesOnly(m: HubModel, tags: Set<string>): boolean {
  if (m.pipeline_tag !== "automatic-speech-recognition") return false;
  const more =
    NOT_ONLY_SPEECH.some((t) => tags.has(t)) ||
    nameTokens(m.id).some((t) => /^(instruct|chat|it|multimodal|omni)$/.test(t));
  return !more;
}

/**
 * The verdict on one repo. `chat` is its chat evidence (a template, the `conversational` tag, a
 * chat name), if any; `adapterBase` whether it declares a base as an adapter.
 */
export function verdict(
  m: HubModel,
  format: string,
  chatEvidence: ChatSignal | undefined,
  adapterBase: boolean,
): Verdict {
  const chat = chatEvidence?.detail;
  const chatBy = chatEvidence?.by;
  if (m.private || m.disabled) return { reason: "private-or-disabled", detail: "private or disabled" };
  const tags = lowerTags(m);
  if (loaderGuessTag(m, tags)) tags.delete("feature-extraction");
  const archs = archsOf(m);
  const functional = functionalDrop(m, tags, archs);
  if (functional?.reason === "test-stub") return functional;
  if (m.library_name === "peft" || m.config?.peft || adapterBase || (tags.has("lora") && !m.safetensors?.total))
    return { reason: "adapter-only", detail: "a LoRA/PEFT adapter" };
  const layout = layoutDrop(m);
  if (layout) return layout;
  if (functional) return functional;
  const guard = guardSignal(m, tags);
  if (format === "gguf") {
    const v = ggufVerdict(m);
    return v.keep && guard ? keep("guard", `GGUF weights of a safety guard (${guard})`) : v;
  }
  const modelType = modelTypeOf(m);
  if (ENCODER_DECODER.has(modelType)) return { reason: "encoder-decoder", detail: `model_type ${modelType}` };
  if (ENCODERS.has(modelType))
    return { reason: "encoder", detail: `model_type ${modelType}: an encoder, not a generative LLM` };
  const generative = generativeArchitecture(m.config);
  if (guard) {
    // Classifier-head guards (Prompt-Guard) were dropped above by their architecture.
    return generative || m.pipeline_tag === "text-generation"
      ? keep("guard", `a generative safety guard (${guard}, ${generative ?? "text-generation"}): it answers in text`)
      : { reason: "reward-or-judge", detail: `a safety guard (${guard}) without a generative architecture` };
  }
  const pipeline = m.pipeline_tag;
  if (pipeline === undefined || inferredFeatureExtraction(m)) {
    const filed = pipeline ? `filed under ${pipeline} (the Hub's guess from AutoModel)` : "no pipeline tag";
    if (generative) return keep("causal-lm-without-pipeline", `${filed}; ${generative}`);
    if (m.library_name === "mlx") return keep("causal-lm-without-pipeline", `${filed}; MLX weights`);
    const drop = { reason: "not-text-generation" as const, detail: `${filed} and no causal-LM architecture` };
    return !digestNamesModel(m) && canReadConfig(m) ? { ...drop, needsConfig: true } : drop;
  }
  if (TEXT_PIPELINES.has(pipeline)) return keep("text-generation", "pipeline text-generation");
  if (CHAT_PIPELINES.has(pipeline)) {
    if (chat) return keep("multimodal-chat", `${pipeline}; it chats: ${chat}`);
    if (generative) return keep("multimodal-chat", `${pipeline}; a language model generates the answer: ${generative}`);
    const drop = { reason: "vision-only" as const, detail: `${pipeline} without a chat template or a language model` };
    return canReadConfig(m) ? { ...drop, needsConfig: true } : drop;
  }
  if (TEXT_OUT_PIPELINES.has(pipeline) && generative && chat && chatBy !== "name" && !transcribesOnly(m, tags))
    return keep("chat-under-other-pipeline", `filed under ${pipeline}, but a ${generative} that chats: ${chat}`);
  return { reason: "not-text-generation", detail: `pipeline ${pipeline}` };
}

/**
 * The verdict again once config.json is read: the language model inside a multimodal config
 * (`text_config`, `llm_config`, a thinker's text model), or a causal LM the digest did not name.
 */
export function verdictWithConfig(m: HubModel, first: Drop, config: Record<string, unknown>): Verdict {
  const pipeline = m.pipeline_tag;
  if (first.reason === "vision-only") {
    const backbone = languageBackbone(config);
    return backbone
      ? keep("multimodal-chat", `${pipeline}; config.json has a language model: ${backbone}`)
      : { reason: "vision-only", detail: `${pipeline}; config.json has no language model` };
  }
  const type = String(config.model_type ?? "").toLowerCase();
  if (ENCODER_DECODER.has(type)) return { reason: "encoder-decoder", detail: `model_type ${type} (config.json)` };
  if (ENCODERS.has(type)) return { reason: "encoder", detail: `model_type ${type} (config.json): an encoder` };
  const generative = generativeArchitecture(config);
  if (generative) return keep("causal-lm-without-pipeline", `no pipeline tag; config.json: ${generative}`);
  return { reason: "not-text-generation", detail: `${first.detail}, in config.json either` };
}
