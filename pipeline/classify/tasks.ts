/** Task tags from the Hub's tags, the pipeline tag, the chat template and, last, the repo name. */
import type { HubModel } from "../hub/types.ts";
import { nameTokens, repoName } from "./names.ts";

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
  "vlm",
  "llm",
  "mtp",
  "kto",
  "ppo",
]);

/** The chat template, wherever the list answer carries it: the tokenizer's, the processor's, a jinja file's, a GGUF's. */
export function chatTemplate(model: HubModel): string | undefined {
  return chatTemplateIn(model)?.template;
}

function chatTemplateIn(model: HubModel): { template: string; where: string } | undefined {
  const tokenizer = model.config?.tokenizer_config as { chat_template?: unknown } | undefined;
  const processor = model.config?.processor_config as { chat_template?: unknown } | undefined;
  const candidates: [unknown, string][] = [
    [tokenizer?.chat_template, "tokenizer_config"],
    [model.config?.chat_template_jinja, "chat_template.jinja"],
    [processor?.chat_template, "processor_config"],
    [model.gguf?.chat_template, "the GGUF metadata"],
  ];
  for (const [t, where] of candidates) {
    if (typeof t === "string") return { template: t, where };
    // Some tokenizers carry several named templates: [{name, template}].
    if (Array.isArray(t))
      return {
        template: t
          .map((x) => (x as { template?: unknown } | null)?.template)
          .filter((x): x is string => typeof x === "string")
          .join("\n"),
        where,
      };
  }
  return undefined;
}

const CHAT_NAME =
  /^(instruct|instruction|chat|it|sft|dpo|orpo|kto|grpo|rlhf|assistant|zephyr|hermes|thinking|conversational|dialog|dialogue)$/;
/** Where multimodal repos keep their template: the processor's files, not tokenizer_config.json. */
const TEMPLATE_FILE =
  /(^|\/)(chat_template\.(jinja|json)|processor_config\.json|additional_chat_templates\/[^/]+\.jinja)$/;

/** What says a repo is made to chat, and how strongly: a template or the Hub's tag beat a name. */
export interface ChatSignal {
  by: "tag" | "template" | "file" | "name";
  detail: string;
}

/** The first chat evidence: the Hub's `conversational` tag, a chat template, a template file, or its name. */
export function chatSignal(model: HubModel): ChatSignal | undefined {
  const tags = new Set((model.tags ?? []).map((t) => t.toLowerCase()));
  if (tags.has("conversational")) return { by: "tag", detail: "tagged conversational" };
  const template = chatTemplateIn(model);
  if (template) return { by: "template", detail: `a chat template in ${template.where}` };
  const file = model.siblings?.find((s) => TEMPLATE_FILE.test(s.rfilename));
  if (file) return { by: "file", detail: `a chat template in ${file.rfilename}` };
  const token = nameTokens(model.id).find((t) => CHAT_NAME.test(t) || /^(instruct|chat)/.test(t));
  return token ? { by: "name", detail: `named "${token}"` } : undefined;
}

/** Whether the repo is made to chat: the Hub's `conversational` tag, a chat template, or its name. */
export const isChat = (model: HubModel): boolean => chatSignal(model) !== undefined;

/** Whether the chat template or the card says the model calls tools. */
export function callsTools(model: HubModel): boolean {
  const tags = new Set((model.tags ?? []).map((t) => t.toLowerCase()));
  const template = chatTemplate(model) ?? "";
  return (
    ["tool-use", "function-calling", "tool-calling", "tools", "function_calling"].some((t) => tags.has(t)) ||
    /\btools\b|tool_call|<tool_call>|\bfunctions\b/.test(template) ||
    /(^|[-_])(function|tool|tools|fc)([-_]|$)|functionary|toolace|hammer|xlam/.test(repoName(model.id).toLowerCase())
  );
}

/** A multimodal repo named as a pretrained base (`paligemma-3b-pt-224`) continues, it does not chat. */
const BASE_NAME = /^(pt|base|pretrain|pretrained)$/;

/**
 * Task tags. `kind` is why the classifier kept it: a guard is tagged `guard` and never `chat` (it
 * judges conversations, nobody chats with it); a model kept on a multimodal chat pipeline chats
 * unless its name says it is a pretrained base.
 */
export function taskTags(model: HubModel, kind?: string): string[] {
  const tags = new Set((model.tags ?? []).map((t) => t.toLowerCase()));
  const name = repoName(model.id).toLowerCase();
  const tokens = nameTokens(model.id);
  const guard = kind === "guard";
  // Named a base (`Qwen3-4B-Base`, `gemma-3-1b-pt`) and not a chat model: the tokenizer's template
  // (which makes the Hub tag it conversational) does not make it follow instructions.
  const namedBase =
    tokens.some((t) => BASE_NAME.test(t)) && !tokens.some((t) => CHAT_NAME.test(t) || /^(instruct|chat)/.test(t));
  const chat = !guard && !namedBase && (isChat(model) || kind === "multimodal-chat");
  const pipeline = model.pipeline_tag;
  const out = new Set<string>();
  if (guard) out.add("guard");
  if (chat) out.add("chat");
  if (!guard) {
    if (tags.has("code") || /(code|coder|starcoder|codegen|deepseek-coder)/.test(name)) out.add("code");
    if (tags.has("reasoning") || /(reason|think|(^|[-_])r1($|[-_])|qwq|(^|[-_])cot($|[-_]))/.test(name))
      out.add("reasoning");
    if (tags.has("math") || /math/.test(name)) out.add("math");
  }
  if (chat && callsTools(model)) out.add("tools");
  if (
    pipeline === "image-text-to-text" ||
    pipeline === "video-text-to-text" ||
    pipeline === "any-to-any" ||
    (kind === "chat-under-other-pipeline" &&
      (pipeline === "image-to-text" ||
        pipeline === "visual-question-answering" ||
        tags.has("visual-question-answering") ||
        tokens.includes("multimodal"))) ||
    /(^|[-_])vl($|[-_])|vision|omni|(^|[-_])v($|[-_])/.test(name)
  )
    out.add("vision");
  if (
    pipeline === "audio-text-to-text" ||
    pipeline === "any-to-any" ||
    (kind === "chat-under-other-pipeline" && pipeline === "automatic-speech-recognition") ||
    /omni|audio/.test(name)
  )
    out.add("audio");
  if (tags.has("multilingual") || [...tags].filter((t) => LANGUAGE_TAG.test(t) && !NOT_LANGUAGES.has(t)).length >= 5)
    out.add("multilingual");
  if (!chat && !guard) out.add("base");
  return [...out].sort();
}
