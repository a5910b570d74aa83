/**
 * What a repo is, from signals that generalise across the Hub: config.json's `architectures` and
 * `model_type` (the list's config digest), tags, `library_name`, the pipeline tag, the file layout
 * (`siblings`), the card's metadata, and — last — tokens of the name. Each rule answers "not a
 * standalone chat or base LLM, because …"; no rule names a repo.
 */
import type { HubModel } from "../hub/types.ts";
import { hasToken, repoName } from "./names.ts";

export type DropReason =
  | "private-or-disabled"
  | "test-stub"
  | "no-weights"
  | "bundle"
  | "adapter-only"
  | "draft-head"
  | "reward-or-judge"
  | "speech"
  | "embedding-or-classifier"
  | "document-vision"
  | "not-natural-language"
  | "encoder-decoder"
  | "vision-only"
  | "not-text-generation";

export interface Drop {
  reason: DropReason;
  /** Which signal decided, for the report. */
  detail: string;
}

/** Pipelines of models that generate text; the multimodal ones only when they chat. */
const TEXT_PIPELINES = new Set(["text-generation"]);
const CHAT_PIPELINES = new Set(["image-text-to-text", "video-text-to-text", "audio-text-to-text", "any-to-any"]);

const ENCODER_DECODER = new Set([
  "t5",
  "mt5",
  "umt5",
  "t5gemma",
  "bart",
  "mbart",
  "pegasus",
  "pegasus_x",
  "marian",
  "whisper",
  "bert",
  "roberta",
  "xlm-roberta",
  "distilbert",
  "modernbert",
  "deberta",
  "deberta-v2",
  "electra",
  "albert",
  "camembert",
  "longt5",
  "led",
  "m2m_100",
  "nllb-moe",
  "fsmt",
  "prophetnet",
  "blenderbot",
  "blenderbot-small",
  "encoder-decoder",
  "speecht5",
  "seamless_m4t",
  "seamless_m4t_v2",
  "switch_transformers",
  "florence2",
  "nomic_bert",
  "jina_bert",
]);
const NON_LLM_TAGS = new Set([
  "sentence-transformers",
  "feature-extraction",
  "sentence-similarity",
  "reranker",
  "text-ranking",
  "text-classification",
  "fill-mask",
  "token-classification",
  "embeddings",
  "embedding",
  "retrieval",
  "colpali",
  "zero-shot-classification",
]);
/** GGUF architectures that are not generative LLMs (embedders, encoders, speech, vision towers, image models). */
const NON_LLM_GGUF =
  /^(bert|nomic-bert|nomic-bert-moe|jina-bert-v2|jina-bert-v3|modern-bert|neo-bert|t5|t5encoder|clip|whisper|wavtokenizer-dec|xlm-roberta|roberta|clip-vision|siglip|stable-diffusion|flux|sd3|wan|ltxv|hunyuan-video|umt5|dac|snac|outetts)/;

/** Namespaces that say they hold test models (`hf-internal-testing`, `nm-testing`, `hf-tiny-model-private`). */
const TEST_OWNERS = /(^|[-_])(testing|tests?|ci)([-_]|$)|tiny-model|tiny-random/i;
const TEST_NAME =
  /(^|[-_.])(tiny-random|random-tiny|tiny-dummy|dummy|tiny-testing|internal-testing|unit-test|unittest|test-model|ci-test|testing-model|models-moved|moved|deprecated|placeholder)([-_.]|$)/i;
/** llama.cpp's and others' toy test models: `stories15M`, `tinygemma3`, bare `tiny-<arch>` stubs. */
const TOY_NAME =
  /(^|[-_.])stories\d+[mk]([-_.]|$)|^(stories\d+[mk]([-_].*)?|tinygemma\d*(-.*)?|tiny-?(random-)?(gpt2|llama|mistral|mixtral|qwen\d*(\.\d)?|qwen\d*moe|gemma\d*|phi\d*|opt|bloom|falcon|gptj|gpt-?neox?|mamba)(forcausallm)?(-\d+)?)$/i;

const WEIGHT_FILE = /\.(safetensors|bin|gguf|pt|pth|ckpt|onnx|npz|h5|msgpack|tflite|litertlm|task|mlmodel|engine)$/i;
const TRAINING_ARTEFACT = /(^|\/)(optimizer|scheduler|rng_state|training_args|trainer_state|scaler)[^/]*$/i;
/** Intermediate training checkpoints: copies of the same weights, not other models. */
const CHECKPOINT_DIR = /(^|\/)(checkpoint|global_step|step|epoch|iter)[-_]?\d+\//i;

const archsOf = (m: HubModel): string[] => {
  const a = m.config?.architectures;
  return Array.isArray(a) ? a.filter((x): x is string => typeof x === "string") : [];
};
const modelTypeOf = (m: HubModel): string => String(m.config?.model_type ?? "").toLowerCase();
const lowerTags = (m: HubModel): Set<string> => {
  const card = m.cardData?.tags;
  const fromCard = Array.isArray(card) ? card.filter((t): t is string => typeof t === "string") : [];
  return new Set([...(m.tags ?? []), ...fromCard].map((t) => t.toLowerCase()));
};

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
    if (
      /(^|\/)onnx\/|\.(onnx|tflite|h5|msgpack|mlmodel|engine|task|litertlm|npz)$/i.test(path) ||
      CHECKPOINT_DIR.test(path)
    )
      continue;
    if (/mmproj|imatrix|projector|vision|audio|tokenizer/i.test(base)) continue;
    const stem = base
      .toLowerCase()
      .replace(WEIGHT_FILE, "")
      .replace(/[-_.]?\d{5}-of-\d{5}$/, "")
      .replace(/\.\d{2}$/, "")
      .replace(/^(tf|flax|rust|openvino|coreml|onnx|pytorch)_/, "")
      .replace(/[-_.]?(pytorch_)?model[-_.]?$/, "")
      .replace(/[-_.](ud-)?(i?q\d[a-z0-9_]*|f16|bf16|f32|fp16|fp8|mxfp4|tq\d_\d)$/i, "");
    stems.add(`${path.includes("/") ? `${path.split("/").slice(0, -1).join("/")}/` : ""}${stem}`);
  }
  return { stems, files, adapters };
}

function layoutDrop(m: HubModel): Drop | undefined {
  const w = weightStems(m);
  if (!w || m.siblings?.length === 0) return undefined;
  if (w.files === 0)
    return { reason: "no-weights", detail: "no weight files in the repo (a placeholder or moved repo)" };
  if (w.adapters > 0 && w.adapters === w.files) return { reason: "adapter-only", detail: "adapter_model files only" };
  // Many unrelated weight sets: a workflow asset pack or a LoRA pack, not one model.
  if (w.stems.size >= 5) return { reason: "bundle", detail: `${w.stems.size} distinct weight files` };
  return undefined;
}

function nameOrTagDrop(m: HubModel, tags: Set<string>, archs: string[]): Drop | undefined {
  const id = m.id;
  const name = repoName(id);
  const arch = archs.join(" ");
  if (TEST_OWNERS.test(id.split("/")[0] ?? "") || TEST_NAME.test(name) || TOY_NAME.test(name))
    return { reason: "test-stub", detail: "named as a test or CI model" };
  if (
    /eagle|medusa|speculator|dflash|mtpdraft/i.test(arch) ||
    m.config?.speculators_config !== undefined ||
    m.library_name === "speculators" ||
    ["eagle", "eagle3", "medusa", "speculators", "speculative-decoding"].some((t) => tags.has(t)) ||
    /eagle3|medusa|speculator|dflash/i.test(name) ||
    // Plain "EAGLE" is also a model's name (RWKV Eagle, NVIDIA Eagle2): a draft head names the model it drafts for.
    (hasToken(id, /^eagle$/) && hasToken(id, /^(llama|vicuna|qwen|mistral|mixtral|deepseek|gemma|phi)/))
  )
    return { reason: "draft-head", detail: "a speculative-decoding draft head; it cannot run alone" };
  if (
    /ForSequenceClassification|ForTokenClassification|RewardModel|ForProcessReward|ValueHead|ForScore/i.test(arch) ||
    ["reward-model", "reward_model", "reward", "prm", "orm", "process-reward-model", "judge", "verifier"].some((t) =>
      tags.has(t),
    ) ||
    hasToken(id, /^(reward|rm|prm|orm|verifier|judge|critic|grader|shieldgemma)$|guard(ian)?\d*$/)
  )
    return { reason: "reward-or-judge", detail: "a reward, verifier or judge model" };
  if (
    /TTS|Speech|Wav2Vec|Whisper|Encodec|Vocoder|Audio(Encoder|Decoder|Tokenizer)|Codec/i.test(arch) ||
    ["tts", "text-to-speech", "text-to-audio", "speech-synthesis", "voice-cloning", "audio-generation"].some((t) =>
      tags.has(t),
    ) ||
    hasToken(id, /^(tts|asr|stt|vocoder|codec|speech|voice|snac)$|^[a-z]{1,8}tts$/)
  )
    return { reason: "speech", detail: "a speech model (TTS, ASR or an audio codec)" };
  if (
    /Embedding|Embedder|Retriev|ColPali|ColQwen|BiEncoder|ForMaskedLM/i.test(arch) ||
    [...tags].some((t) => NON_LLM_TAGS.has(t)) ||
    m.library_name === "sentence-transformers" ||
    m.library_name === "colpali" ||
    hasToken(
      id,
      /^(embed|embedding|embeddings|embedder|retriever|retrieval|rerank|reranker|colpali|colqwen\d*|colsmol|e5|gte|bge|sentence)$|^embedding/,
    )
  )
    return { reason: "embedding-or-classifier", detail: "an embedding, retrieval or classification model" };
  if (
    ["ocr", "document-parsing", "document-understanding", "image-captioning", "table-recognition"].some((t) =>
      tags.has(t),
    ) ||
    /ocr|docling|nougat|caption/i.test(name) ||
    hasToken(id, /^(layout|parser|docparser|pdf|formula|latex)$/)
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

/** Whether the config says it generates text: a causal LM head, or a chat model's conditional generation. */
export function causalArchitecture(m: HubModel): boolean {
  const auto = m.config?.auto_map as Record<string, unknown> | undefined;
  return (
    archsOf(m).some((a) => /ForCausalLM$|LMHeadModel$|ForConditionalGeneration$|ForCausalLMPipe$/.test(a)) ||
    (auto !== undefined && typeof auto === "object" && "AutoModelForCausalLM" in auto)
  );
}

/** Why a repo is not an LLM we index, or undefined to keep it. `chat` says whether it is made to chat. */
export function dropReason(m: HubModel, format: string, chat: boolean, adapterBase: boolean): Drop | undefined {
  if (m.private || m.disabled) return { reason: "private-or-disabled", detail: "private or disabled" };
  const tags = lowerTags(m);
  const archs = archsOf(m);
  const byName = nameOrTagDrop(m, tags, archs);
  if (byName?.reason === "test-stub") return byName;
  if (m.library_name === "peft" || m.config?.peft || adapterBase || (tags.has("lora") && !m.safetensors?.total))
    return { reason: "adapter-only", detail: "a LoRA/PEFT adapter" };
  const layout = layoutDrop(m);
  if (layout) return layout;
  if (byName) return byName;
  if (format === "gguf") {
    const arch = m.gguf?.architecture ?? "";
    if (NON_LLM_GGUF.test(arch) || /embed|bert|rerank/.test(arch))
      return { reason: "embedding-or-classifier", detail: `GGUF architecture ${arch}` };
    // llama.cpp LLM files carry a context length; image and video model GGUFs (ComfyUI's) do not.
    // It is the Hub's own test for offering the Ollama and llama.cpp snippets.
    if (m.gguf && m.gguf.total !== undefined && m.gguf.context_length === undefined)
      return { reason: "not-text-generation", detail: `GGUF ${arch || "file"} without a context length: not an LLM` };
    return undefined; // GGUF repos often have no pipeline tag; the architecture decides.
  }
  const modelType = modelTypeOf(m);
  if (ENCODER_DECODER.has(modelType)) return { reason: "encoder-decoder", detail: `model_type ${modelType}` };
  const pipeline = m.pipeline_tag;
  if (pipeline === undefined) {
    if (causalArchitecture(m) || m.library_name === "mlx") return undefined;
    return { reason: "not-text-generation", detail: "no pipeline tag and no causal-LM architecture" };
  }
  if (TEXT_PIPELINES.has(pipeline)) return undefined;
  if (CHAT_PIPELINES.has(pipeline)) {
    return chat ? undefined : { reason: "vision-only", detail: `${pipeline} without a chat template` };
  }
  return { reason: "not-text-generation", detail: `pipeline ${pipeline}` };
}
