/**
 * Name handling shared by the classifier and the lineage fold: a repo name split into lower-case
 * tokens, and its stem once format and quantisation suffixes are taken off
 * (`Qwen2-1.5B-Instruct-GGUF` → `qwen2-1.5b-instruct`, `Qwen3-4B-MLX-4bit` → `qwen3-4b`).
 */

export const repoName = (id: string): string => id.split("/")[1] ?? id;
export const ownerOf = (id: string): string => id.split("/")[0] ?? "";
export const ownerKey = (id: string) =>
  ownerOf(id)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");

/**
 * Lower-case tokens of a repo name, split at `-`, spaces and `.` between non-digits (`_` stays inside
 * a token, so a quant label like `q4_k_m` is one token and `stablelm-2-zephyr-1_6b` keeps its size).
 */
export function nameTokens(id: string): string[] {
  return repoName(id)
    .toLowerCase()
    .split(/[-\s]+|(?<!\d)\.|\.(?!\d)/)
    .filter(Boolean);
}

/** Whether any token of the name matches. */
export const hasToken = (id: string, re: RegExp): boolean => nameTokens(id).some((t) => re.test(t));

/**
 * Suffix tokens that say how a copy is stored, not what the model is. Stripped from the end of a
 * name, repeatedly: `-GGUF`, `-MLX-4bit`, `-AWQ`, `-GPTQ-Int4`, `-FP8-dynamic`, `-bnb-4bit`,
 * `-ONNX`, `-LiteRT`, `-q4f16_1-MLC`, `-i1`, `-W4A16`, `-EXL2`.
 */
const FORMAT_SUFFIX =
  /^(gguf|ggml|mlx|mlc|awq|gptq|exl2|exl3|bnb|fp8|fp4|nvfp4|mxfp4|int4|int8|w4a16|w8a8|w8a16|w4a4|a16|dynamic|static|block|onnx|onnxruntime|ort|web|webgpu|litert|tflite|openvino|ov|coreml|gs128|gs32|g128|i1|imat|imatrix|quantized|quant|quants|dq|dwq|hqq|\d+(\.\d+)?bpw|hf|qat|\d+bit|\d+-bit|bit|q\d(_k)?(_[msl0-9])*|q\d+f\d+(_\d)?|f16|bf16|fp16|fp32|nf4)$/;

/** Only these count as size-free suffixes when they end a name (`-4b` is also a size: keep it). */
const SIZE_LIKE = /^\d+b$/;

/** The name without its storage suffixes, as separator-free lower case (`qwen2-1.5b-instruct` → `qwen21.5binstruct`). */
export function nameStem(id: string): string {
  const tokens = nameTokens(id);
  while (tokens.length > 1) {
    const last = tokens[tokens.length - 1] as string;
    if (!FORMAT_SUFFIX.test(last) || SIZE_LIKE.test(last)) break;
    tokens.pop();
  }
  return tokens.join("").replace(/_/g, "");
}

/**
 * The stem without a leading owner echo: `meta-llama/Meta-Llama-3-8B-Instruct` → `llama38binstruct`,
 * like `unsloth/llama-3-8b-Instruct`. Only whole leading tokens that begin the repo's own owner are
 * dropped, and only when a name still follows (`Qwen/Qwen3-4B` keeps `qwen34b`).
 */
export function bareStem(id: string): string {
  const stem = nameStem(id);
  const tokens = nameTokens(id).map((t) => t.replace(/_/g, ""));
  const owner = ownerKey(id);
  let prefix = "";
  for (let i = 0; i < tokens.length - 2; i++) {
    const next = tokens[i + 1] as string;
    if (!owner.startsWith(prefix + tokens[i]) || !/^[a-z]/.test(next)) break;
    prefix += tokens[i];
    if (stem.length - prefix.length >= 6) return stem.slice(prefix.length);
  }
  return stem;
}

/** Whether the name carries a storage suffix (it is named as a copy of something). */
export const namedAsCopy = (id: string): boolean => nameStem(id) !== nameTokens(id).join("").replace(/_/g, "");

/**
 * Whether two repos are named as the same model: equal stems, or one stem is the other behind a
 * prefix that begins the other repo's owner (`NousResearch/Meta-Llama-3.1-8B-Instruct` ~
 * `meta-llama/Llama-3.1-8B-Instruct`; bartowski's `google_gemma-3-1b-it` ~ `google/gemma-3-1b-it`).
 */
export function sameName(a: string, b: string): boolean {
  const sa = bareStem(a);
  const sb = bareStem(b);
  if (sa === sb) return true;
  const [long, short, shortId] = sa.length > sb.length ? [sa, sb, b] : [sb, sa, a];
  if (short.length < 5 || !long.endsWith(short)) return false;
  const prefix = long.slice(0, long.length - short.length);
  return prefix.length >= 3 && ownerKey(shortId).startsWith(prefix);
}

/** Finds, among many repos, those named as the same model as a given one (`sameName`), without comparing every pair. */
export function nameIndex(ids: Iterable<string>): (id: string) => string[] {
  const byStem = new Map<string, string[]>();
  for (const id of ids) {
    const stem = bareStem(id);
    byStem.set(stem, [...(byStem.get(stem) ?? []), id]);
  }
  return (id) => {
    const stem = bareStem(id);
    const found = new Set(byStem.get(stem) ?? []);
    // Theirs is mine without a prefix that begins their owner (bartowski's `Qwen_Qwen3-4B` → `Qwen/Qwen3-4B`).
    for (let k = 3; k <= 12 && stem.length - k >= 5; k++) {
      for (const other of byStem.get(stem.slice(k)) ?? [])
        if (ownerKey(other).startsWith(stem.slice(0, k))) found.add(other);
    }
    // Mine is theirs without a prefix that begins my owner (`meta-llama/Llama-…` ← `NousResearch/Meta-Llama-…`).
    const owner = ownerKey(id);
    if (stem.length >= 5)
      for (let k = 3; k <= Math.min(12, owner.length); k++)
        for (const other of byStem.get(owner.slice(0, k) + stem) ?? []) found.add(other);
    found.delete(id);
    return [...found];
  };
}

/**
 * Name tokens that say a model was re-trained or edited, not copied: an abliterated Qwen3-4B is not
 * Qwen3-4B. Instruct and chat are not among them: an instruct GGUF tagged with its base model is
 * a mislabelled copy, which the install stage checks (gguf-repos.ts).
 */
const RETRAINED =
  /^(abliterated|ablated|lorablated|uncensored|decensored|unaligned|unfiltered|jailbroken|jailbreak|heretic|obliterated|orthogonalized|norefusal|nsfw|sft|dpo|orpo|kto|grpo|rlhf|ppo|distill|distilled|finetuned?|tuned|roleplay|rp)(v?\d+)?$/;

/** Whether `copy` is named as a re-trained version of `base` (a token like `abliterated` that `base` lacks). */
export function retrainedFrom(copy: string, base: string): boolean {
  const own = new Set(nameTokens(base));
  return nameTokens(copy).some((t) => RETRAINED.test(t) && !own.has(t));
}

/**
 * Whether two names differ by one letter — substituted, added or dropped — and nothing else
 * (`hmellor/Ilama-3.2-1B` ~ `meta-llama/Llama-3.2-1B`). A digit never counts: `Llama-3.2-1B` and
 * `Llama-3.2-3B` are other models. Nor does a letter of a short word: `gemma-3-1b-it` and
 * `gemma-3-1b-pt` (instruct and pretrained) are two models, so the letter must sit in a run of at
 * least four letters in both names, as a misspelt model name does.
 */
export function oneLetterApart(a: string, b: string): boolean {
  const [x, y] = [bareStem(a), bareStem(b)].sort((p, q) => p.length - q.length) as [string, string];
  if (x.length < 6 || y.length - x.length > 1 || x === y) return false;
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  const letter = (c: string | undefined) => c !== undefined && /[a-z]/.test(c);
  const same =
    x.length === y.length ? letter(x[i]) && x.slice(i + 1) === y.slice(i + 1) : x.slice(i) === y.slice(i + 1);
  return same && letter(y[i]) && letterRun(x, i) >= 4 && letterRun(y, i) >= 4;
}

/** How many letters in a row stand around position `at` of `text` (at itself counted when a letter). */
function letterRun(text: string, at: number): number {
  const isLetter = (j: number) => /[a-z]/.test(text[j] ?? "");
  let start = Math.min(at, text.length);
  while (start > 0 && isLetter(start - 1)) start--;
  let end = at;
  while (isLetter(end)) end++;
  return end - start;
}

/** Stems one deletion away, to find one-letter neighbours without comparing every pair. */
export function deletionKeys(id: string): string[] {
  const stem = bareStem(id);
  return [stem, ...Array.from({ length: stem.length }, (_, i) => stem.slice(0, i) + stem.slice(i + 1))];
}
