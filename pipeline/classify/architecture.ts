/**
 * What config.json says a model is: its architectures, `auto_map` and `model_type` (the list's
 * config digest carries these), and — from the full config.json, when the digest cannot tell — the
 * language model inside a multimodal one (`text_config`, `language_config`, `llm_config`,
 * `thinker_config.text_config`, …).
 */
import type { HubModel } from "../hub/types.ts";
import type { ModelConfig } from "../model-config/dims.ts";

type Config = Record<string, unknown>;

/** Sequence-to-sequence families: they translate, summarise or transcribe; Ollama does not run them as chat models. */
export const ENCODER_DECODER = new Set([
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
  "longt5",
  "led",
  "m2m_100",
  "nllb-moe",
  "fsmt",
  "prophetnet",
  "xlm-prophetnet",
  "blenderbot",
  "blenderbot-small",
  "encoder-decoder",
  "vision-encoder-decoder",
  "speecht5",
  "seamless_m4t",
  "seamless_m4t_v2",
  "switch_transformers",
  "florence2",
  "pix2struct",
  "plbart",
]);

/**
 * Encoder families: masked or permutation language models. transformers maps several of them to a
 * causal-LM head (`XLNetLMHeadModel`, `BertLMHeadModel`), so the Hub files them under text-generation.
 */
export const ENCODERS = new Set([
  "bert",
  "roberta",
  "xlm-roberta",
  "xlm-roberta-xl",
  "distilbert",
  "modernbert",
  "deberta",
  "deberta-v2",
  "electra",
  "albert",
  "camembert",
  "flaubert",
  "xlm",
  "xlnet",
  "ernie",
  "mpnet",
  "funnel",
  "big_bird",
  "bert-generation",
  "megatron-bert",
  "mobilebert",
  "squeezebert",
  "convbert",
  "rembert",
  "roformer",
  "roberta-prelayernorm",
  "roc_bert",
  "data2vec-text",
  "xmod",
  "nezha",
  "canine",
  "luke",
  "nomic_bert",
  "jina_bert",
]);

const GENERATIVE_ARCH = /ForCausalLM$|LMHeadModel$|ForConditionalGeneration$|ForCausalLMPipe$/;
/** `auto_map` entries that load a text generator (custom code: chatglm, InternVL, MiniCPM-V, …). */
const GENERATIVE_AUTO = ["AutoModelForCausalLM", "AutoModelForVision2Seq", "AutoModelForImageTextToText"];

export const archsOf = (m: HubModel): string[] => archsIn(m.config);
const archsIn = (config: Config | undefined): string[] => {
  const a = config?.architectures;
  return Array.isArray(a) ? a.filter((x): x is string => typeof x === "string") : [];
};
export const modelTypeOf = (m: HubModel): string => String(m.config?.model_type ?? "").toLowerCase();

/** The architecture or `auto_map` entry that says the model generates text, or undefined. */
export function generativeArchitecture(config: Config | undefined): string | undefined {
  const arch = archsIn(config).find((a) => GENERATIVE_ARCH.test(a));
  if (arch) return arch;
  const auto = config?.auto_map;
  if (!auto || typeof auto !== "object") return undefined;
  const key = GENERATIVE_AUTO.find((k) => k in auto);
  if (key) return `auto_map ${key}`;
  // Older custom code maps only AutoModel, to the generator class itself (chatglm-6b).
  for (const [k, target] of Object.entries(auto)) {
    const cls = typeof target === "string" ? (target.split(".").at(-1) ?? "") : "";
    if (GENERATIVE_ARCH.test(cls)) return `auto_map ${k} → ${cls}`;
  }
  return undefined;
}

/** Whether the config says it generates text: a causal LM head, or a chat model's conditional generation. */
export const causalArchitecture = (m: HubModel): boolean => generativeArchitecture(m.config) !== undefined;

/** Whether the digest names the model at all; an empty one (`{}`) leaves config.json as the only signal. */
export const digestNamesModel = (m: HubModel): boolean =>
  archsOf(m).length > 0 || Boolean(m.config?.auto_map) || modelTypeOf(m) !== "";

/** Keys under which multimodal configs nest their language model. */
const TEXT_PARTS = ["text_config", "language_config", "llm_config", "text_model_config", "lm_config", "decoder"];

/** The text towers of contrastive image-text encoders have decoder-like dimensions but generate nothing. */
const CONTRASTIVE = /clip|siglip|align|owl|flava|bridgetower|blip_text/;

function decoderIn(config: Config, where: string): string | undefined {
  const type = String(config.model_type ?? "").toLowerCase();
  if (ENCODERS.has(type) || ENCODER_DECODER.has(type) || CONTRASTIVE.test(type)) return undefined;
  const arch = generativeArchitecture(config);
  if (arch) return `${where}${arch}`;
  const dims = ["vocab_size", "hidden_size", "num_hidden_layers"].every((k) => typeof config[k] === "number");
  return dims ? `${where}a ${type || "decoder"} language model` : undefined;
}

/**
 * The language model inside a full config.json, described for the report, or undefined when
 * there is none (a vision or audio encoder, a classifier): `UltravoxModel` → its `text_config`
 * Llama, `Qwen2_5OmniModel` → its thinker's text model, `InternVLChatModel` → its `llm_config`.
 */
export function languageBackbone(config: ModelConfig): string | undefined {
  const queue: [Config, string][] = [[config, ""]];
  for (let i = 0; i < queue.length && i < 12; i++) {
    const [c, where] = queue[i] as [Config, string];
    for (const key of [...TEXT_PARTS, "thinker_config"]) {
      const part = c[key];
      if (part && typeof part === "object" && !Array.isArray(part)) queue.push([part as Config, `${where}${key} → `]);
    }
    if (i === 0) {
      const arch = generativeArchitecture(c);
      if (arch) return arch;
      continue;
    }
    const found = decoderIn(c, where);
    if (found) return found;
  }
  // Speech-to-text chat models may name their language model by Hub id only (Ultravox's `text_model_id`).
  const named = config.text_model_id ?? config.llm_model_id;
  if (typeof named === "string" && named.includes("/")) return `the language model ${named}`;
  // A multimodal model that extends its language model's config keeps the dimensions at the top (MiniCPM-V).
  return decoderIn(config, "");
}
