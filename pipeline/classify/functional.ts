/**
 * What a model is for, when that is not chatting or continuing text: test stubs, draft heads,
 * reward and judge heads, speech models, embedders and classifiers, OCR and captioning models,
 * sequence models. Each rule reads architectures, tags, the card's datasets and the name as tokens;
 * none names a repo. Guard models are told apart here too: they answer in text, so they are kept.
 */
import type { HubModel } from "../hub/types.ts";
import { hasToken, nameTokens, repoName } from "./names.ts";

export type FunctionalReason =
  | "test-stub"
  | "draft-head"
  | "reward-or-judge"
  | "speech"
  | "embedding-or-classifier"
  | "document-vision"
  | "not-natural-language";

export interface FunctionalDrop {
  reason: FunctionalReason;
  detail: string;
}

const NON_LLM_TAGS = new Set([
  "sentence-transformers",
  "feature-extraction",
  "sentence-similarity",
  "reranker",
  "reranking",
  "text-ranking",
  "text-classification",
  "fill-mask",
  "token-classification",
  "embeddings",
  "embedding",
  "retrieval",
  "colpali",
  "zero-shot-classification",
  "video-classification",
]);

/** Namespaces that say they hold test models (`hf-internal-testing`, `nm-testing`, `hf-tiny-model-private`). */
const TEST_OWNERS = /(^|[-_])(testing|tests?|ci)([-_]|$)|tiny-model|tiny-random/i;
const TEST_NAME =
  /(^|[-_.])(tiny-random|random-tiny|tiny-dummy|dummy|tiny-testing|internal-testing|unit-test|unittest|test-model|ci-test|testing-model|models-moved|moved|deprecated|placeholder)([-_.]|$)/i;
/** llama.cpp's and others' toy test models: `stories15M`, `tinygemma3`, bare `tiny-<arch>` stubs. */
const TOY_NAME =
  /(^|[-_.])stories\d+[mk]([-_.]|$)|^(stories\d+[mk]([-_].*)?|tinygemma\d*(-.*)?|tiny-?(random-)?(gpt2|llama|mistral|mixtral|qwen\d*(\.\d)?|qwen\d*moe|gemma\d*|phi\d*|opt|bloom|falcon|gptj|gpt-?neox?|mamba)(forcausallm)?(-\d+)?)$/i;

/** Llama Guard, ShieldGemma, Qwen3Guard, WildGuard, Granite Guardian, LlavaGuard. */
const GUARD_NAME = /guard(ian)?\d*$|^shield/;
const GUARD_TAGS = [
  "guard",
  "guardrails",
  "guardrail",
  "safetyguard",
  "safety-guard",
  "content-moderation",
  "moderation",
  "content-safety",
];

/** Whether the name or tags say it is a safety guard: it classifies prompts and answers, in text. */
export function guardSignal(m: HubModel, tags: Set<string>): string | undefined {
  const token = nameTokens(m.id).find((t) => GUARD_NAME.test(t));
  if (token) return `named "${token}"`;
  const tag = GUARD_TAGS.find((t) => tags.has(t));
  return tag ? `tagged ${tag}` : undefined;
}

/** `gemma-4-E4B-it-assistant`: a small model that drafts for the one it is named after. */
const ASSISTANT_HEAD = (id: string) => {
  const tokens = nameTokens(id);
  const [before, last] = tokens.slice(-2);
  return last === "assistant" && /^(it|instruct|chat|pt|base)$/.test(before ?? "");
};

const REWARD_TOKEN =
  /reward|^(rm|orm|verifier|judge|critic|grader)$|^(gen|think|open|process|outcome|math)?(prm|orm|rm)(\d+k?)?$|(verifier|judge)$|^judge/;
/** Rankers named like LLMs: `CodeRankLLM`, `RankLLaMA`, `rank_zephyr`. */
const RANKER_TOKEN =
  /^(re)?rank(er|ing)?$|^rank_?(llm|gpt|t5|llama|zephyr|vicuna|mistral|qwen)|(code|list|pair|point)_?rank/;
const CLASSIFIER_TOKEN = /^(video|image|audio|text)?(cls|classifier|classification)$/;
const EMBED_TOKEN =
  /^(embed|embedding|embeddings|embedder|retriever|retrieval|reranker|colpali|colqwen\d*|colsmol|e5|gte|bge|sentence)$|^embedding/;
/** `ocr` begins or ends a token, or comes before a version (`PPOCRv5`): never inside a word (`Socratic`). */
const DOC_TOKEN =
  /^ocr|ocr(v?\d|_|$)|^(layout|parser|docparser|pdf|formula|latex|parse|parsing|recap|captioner)$|^mineru|markdown$/;
const CAPTION_DATASET = /caption|recap|describ/i;
const OMNI_PIPELINES = new Set(["any-to-any", "audio-text-to-text"]);

function captionDatasets(m: HubModel): boolean {
  const d = m.cardData?.datasets;
  const ids = (Array.isArray(d) ? d : d ? [d] : []).filter((x): x is string => typeof x === "string");
  return ids.length > 0 && ids.every((id) => CAPTION_DATASET.test(id));
}

/** Why a repo is not a standalone chat or base LLM by what it is for, or undefined. */
export function functionalDrop(m: HubModel, tags: Set<string>, archs: string[]): FunctionalDrop | undefined {
  const id = m.id;
  const name = repoName(id);
  const arch = archs.join(" ");
  if (TEST_OWNERS.test(id.split("/")[0] ?? "") || TEST_NAME.test(name) || TOY_NAME.test(name))
    return { reason: "test-stub", detail: "named as a test or CI model" };
  if (
    /medusa|speculator|dflash|mtpdraft|drafter|draftmodel|assistantmodel/i.test(arch) ||
    // An EAGLE head's class (`LlamaForCausalLMEagle3`), not NVIDIA's Eagle2 VLMs (`Eagle2ChatModel`).
    archs.some((a) => /eagle/i.test(a) && !/chat|vl|vision|ConditionalGeneration/i.test(a)) ||
    m.config?.speculators_config !== undefined ||
    m.library_name === "speculators" ||
    ["eagle", "eagle3", "medusa", "speculators", "speculative-decoding", "draft-model", "assistant-model"].some((t) =>
      tags.has(t),
    ) ||
    /eagle3|medusa|speculator|dflash/i.test(name) ||
    hasToken(id, /^(draft|drafter)$/) ||
    ASSISTANT_HEAD(id) ||
    // Plain "EAGLE" is also a model's name (RWKV Eagle, NVIDIA Eagle2): a draft head names the model it drafts for.
    (hasToken(id, /^eagle$/) && hasToken(id, /^(llama|vicuna|qwen|mistral|mixtral|deepseek|gemma|phi)/))
  )
    return {
      reason: "draft-head",
      detail: "a speculative-decoding draft head or assistant model; it cannot run alone",
    };
  if (
    /ForSequenceClassification|ForTokenClassification|RewardModel|ForProcessReward|ValueHead|ForScore|ForGuardModel/i.test(
      arch,
    )
  )
    return {
      reason: "reward-or-judge",
      detail: `a classification or reward head (${arch}): it scores, it does not answer`,
    };
  if (
    (["reward-model", "reward_model", "reward", "prm", "orm", "process-reward-model", "judge", "verifier"].some((t) =>
      tags.has(t),
    ) ||
      hasToken(id, REWARD_TOKEN) ||
      // `llm-as-a-judge`, `lm-judge`, `judge-model`: judge as a word of a tag.
      [...tags].some((t) => /(^|[-_])(judge|verifier)([-_]|$)/.test(t))) &&
    // A safety judge (MD-Judge: `safetyguard`) answers in text: a guard, kept.
    !guardSignal(m, tags)
  )
    return { reason: "reward-or-judge", detail: "a reward, verifier or judge model" };
  // An omni chat model (MiniCPM-o: any-to-any, conversational) lists speaking and listening among its skills.
  const omniChat = tags.has("conversational") && OMNI_PIPELINES.has(m.pipeline_tag ?? "");
  if (
    /TTS|Speech|Wav2Vec|Whisper|Encodec|Vocoder|Audio(Encoder|Decoder|Tokenizer)|Codec/i.test(arch) ||
    (!omniChat &&
      ["tts", "text-to-speech", "text-to-audio", "speech-synthesis", "voice-cloning", "audio-generation"].some((t) =>
        tags.has(t),
      )) ||
    hasToken(id, /^(tts|asr|stt|vocoder|codec|speech|voice|snac)$|^[a-z]{1,8}tts$/)
  )
    return { reason: "speech", detail: "a speech model (TTS, ASR or an audio codec)" };
  if (/For(Video|Image|Audio)Classification/i.test(arch) || hasToken(id, CLASSIFIER_TOKEN))
    return { reason: "embedding-or-classifier", detail: "a classifier on a language or vision backbone" };
  if (
    /Embedding|Embedder|Retriev|ColPali|ColQwen|BiEncoder|ForMaskedLM/i.test(arch) ||
    [...tags].some((t) => NON_LLM_TAGS.has(t)) ||
    m.library_name === "sentence-transformers" ||
    m.library_name === "colpali" ||
    hasToken(id, EMBED_TOKEN) ||
    hasToken(id, RANKER_TOKEN)
  )
    return { reason: "embedding-or-classifier", detail: "an embedding, retrieval, ranking or classification model" };
  // A general vision model (MiniCPM-V: vision, ocr, multi-image, video) lists OCR among its skills;
  // a document model says so by its name or by a document tag besides `ocr`.
  const generalVision = ["multi-image", "video", "video-text-to-text"].some((t) => tags.has(t));
  if (
    (tags.has("ocr") && !generalVision) ||
    [
      "document-parsing",
      "document-understanding",
      "image-captioning",
      "video-captioning",
      "dense-captioning",
      "captioning",
      "video-description",
      "table-recognition",
    ].some((t) => tags.has(t)) ||
    /docling|nougat|caption/i.test(name) ||
    hasToken(id, DOC_TOKEN) ||
    captionDatasets(m)
  )
    return { reason: "document-vision", detail: "an OCR, document-parsing or captioning model" };
  if (
    [
      // Not "biology" or "chemistry": those tag text LLMs too (BioMistral).
      "protein",
      "protein-language-model",
      "dna",
      "genomics",
      "molecule",
      "smiles",
      "time-series",
    ].some((t) => tags.has(t)) ||
    hasToken(id, /^(protgpt2|progen2?|protein|dna|genomic|genome|molgpt|chemgpt|smiles|esm\d*|nucleotide)$/)
  )
    return { reason: "not-natural-language", detail: "a protein, DNA, chemistry or time-series model" };
  return undefined;
}
