/**
 * Is an answer usable? The signals claude-saver treats as critical (empty output, a refusal, a
 * repetition loop) plus JSON that does not parse or match the `format` schema. A bad answer moves
 * the call to the next model of the chain, like an error. The checks are cheap (well under a
 * millisecond on a few KB) because they run on every call.
 */
import { BadAnswerError } from "../errors/index.ts";

/** Short answers that open with one of these decline the task rather than do it. */
const REFUSAL =
  /^\s*(?:I(?:'m| am) sorry,? but I (?:can(?:'|no)t|am unable|won't)|I (?:can(?:'|no)t|won't|am unable to) (?:help|assist|comply|do that|provide|fulfil)|As an AI(?: language model)?,? I (?:can(?:'|no)t|am unable)|I must decline|Sorry, I can(?:'|no)t (?:help|assist))/i;
/** A refusal is short; a long answer that starts politely usually goes on to do the work. */
const REFUSAL_MAX_CHARS = 400;

/**
 * A loop: the tail of the text is one unit repeated. Short units (a word, `ha`) must repeat many
 * times, long ones (a sentence, a line) a few times, and together cover at least 120 characters.
 */
export function repetitionLoop(text: string): { unit: string; times: number } | undefined {
  const tail = text.slice(-3000);
  if (tail.length < 120) return undefined;
  for (let period = 1; period <= 300 && period * 3 <= tail.length; period++) {
    const unit = tail.slice(-period);
    if (!unit.trim()) continue;
    let times = 1;
    let at = tail.length - 2 * period;
    while (at >= 0 && tail.startsWith(unit, at)) {
      times++;
      at -= period;
    }
    const needed = period < 10 ? 15 : period < 40 ? 6 : 4;
    if (times >= needed && times * period >= 120) return { unit, times };
  }
  return undefined;
}

export interface AnswerCheckInput {
  text: string;
  format?: "json" | Record<string, unknown> | undefined;
  /** Tool calls count as an answer even with no text. */
  toolCalls?: number;
}

/** The reason an answer is bad, or undefined when it is usable. Async only for a JSON Schema check (its validator loads lazily). */
export async function checkAnswer(input: AnswerCheckInput): Promise<BadAnswerError | undefined> {
  const text = input.text;
  if (!text.trim())
    return input.toolCalls ? undefined : new BadAnswerError("empty", "the model returned an empty answer");
  if (text.length <= REFUSAL_MAX_CHARS && REFUSAL.test(text))
    return new BadAnswerError("refusal", `the model refused: "${text.trim().slice(0, 80)}"`);
  const loop = repetitionLoop(text);
  if (loop)
    return new BadAnswerError(
      "repetition",
      `the model got stuck repeating ${JSON.stringify(loop.unit.slice(0, 40))} (${loop.times} times)`,
    );
  if (input.format) return checkJson(text, input.format);
  return undefined;
}

async function checkJson(text: string, format: "json" | Record<string, unknown>): Promise<BadAnswerError | undefined> {
  let value: unknown;
  try {
    // `88e+7003` is JSON's grammar but no number: it parses to Infinity, which a schema's "integer" lets by.
    value = JSON.parse(text, (_key, v: unknown) => {
      if (typeof v === "number" && !Number.isFinite(v)) throw new Error("it holds a number too large to represent");
      return v;
    });
  } catch (error) {
    return new BadAnswerError("bad-json", `the answer is not valid JSON (${(error as Error).message})`);
  }
  if (format === "json") return undefined;
  const { Validator } = await import("@cfworker/json-schema");
  const result = new Validator(format as never, "2020-12", false).validate(value);
  if (result.valid) return undefined;
  const first = result.errors.filter((e) => e.keyword !== "properties" && e.keyword !== "$ref")[0] ?? result.errors[0];
  return new BadAnswerError(
    "bad-json",
    `the JSON answer does not match the format schema: ${first ? `${first.instanceLocation} ${first.error}` : "invalid"}`,
  );
}
