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

/** The chat template, wherever the list answer carries it. */
export function chatTemplate(model: HubModel): string | undefined {
  const tokenizer = model.config?.tokenizer_config as { chat_template?: unknown } | undefined;
  const candidates = [tokenizer?.chat_template, model.config?.chat_template_jinja, model.gguf?.chat_template];
  for (const t of candidates) {
    if (typeof t === "string") return t;
    // Some tokenizers carry several named templates: [{name, template}].
    if (Array.isArray(t))
      return t
        .map((x) => (x as { template?: unknown }).template)
        .filter((x): x is string => typeof x === "string")
        .join("\n");
  }
  return undefined;
}

const CHAT_NAME =
  /^(instruct|instruction|chat|it|sft|dpo|orpo|kto|grpo|rlhf|assistant|zephyr|hermes|thinking|conversational|dialog|dialogue)$/;

/** Whether the repo is made to chat: the Hub's `conversational` tag, a chat template, or its name. */
export function isChat(model: HubModel): boolean {
  const tags = new Set((model.tags ?? []).map((t) => t.toLowerCase()));
  const hasTemplateFile = model.siblings?.some((s) => /(^|\/)chat_template\.(jinja|json)$/.test(s.rfilename));
  return (
    tags.has("conversational") ||
    chatTemplate(model) !== undefined ||
    Boolean(hasTemplateFile) ||
    nameTokens(model.id).some((t) => CHAT_NAME.test(t) || /^(instruct|chat)/.test(t))
  );
}

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

export function taskTags(model: HubModel): string[] {
  const tags = new Set((model.tags ?? []).map((t) => t.toLowerCase()));
  const name = repoName(model.id).toLowerCase();
  const chat = isChat(model);
  const pipeline = model.pipeline_tag;
  const out = new Set<string>();
  if (chat) out.add("chat");
  if (tags.has("code") || /(code|coder|starcoder|codegen|deepseek-coder)/.test(name)) out.add("code");
  if (tags.has("reasoning") || /(reason|think|(^|[-_])r1($|[-_])|qwq|(^|[-_])cot($|[-_]))/.test(name))
    out.add("reasoning");
  if (tags.has("math") || /math/.test(name)) out.add("math");
  if (chat && callsTools(model)) out.add("tools");
  if (
    pipeline === "image-text-to-text" ||
    pipeline === "video-text-to-text" ||
    pipeline === "any-to-any" ||
    /(^|[-_])vl($|[-_])|vision|omni|(^|[-_])v($|[-_])/.test(name)
  )
    out.add("vision");
  if (pipeline === "audio-text-to-text" || pipeline === "any-to-any" || /omni|audio/.test(name)) out.add("audio");
  if (tags.has("multilingual") || [...tags].filter((t) => LANGUAGE_TAG.test(t) && !NOT_LANGUAGES.has(t)).length >= 5)
    out.add("multilingual");
  if (!chat) out.add("base");
  return [...out].sort();
}
