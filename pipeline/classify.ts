/**
 * Stage 2, classify: keep chat and base LLMs — text, vision and audio chat models that Ollama can
 * run, and generative safety guards — and say what each repo is: its weight format, the bases it
 * declares, its task tags, and why it was kept. What a repo is comes from signals that generalise
 * (classify/repo-kind.ts); the name is the last resort. Image-, video- and audio-text-to-text and
 * any-to-any repos are kept when they chat — a template wherever it lives, a generative
 * architecture, a language model inside config.json — with the `vision` / `audio` task; their
 * parameter count includes the towers. Those that read documents, caption or classify are dropped.
 */

import { type DeclaredBase, declaredBases, type WeightFormat, weightFormat } from "./classify/format.ts";
import { lookCloser } from "./classify/look-closer.ts";
import { type Drop, type KeepReason, verdict } from "./classify/repo-kind.ts";
import { chatSignal, taskTags } from "./classify/tasks.ts";
import type { StageContext } from "./context.ts";
import type { HubModel } from "./hub/types.ts";

export type { BaseRelation, DeclaredBase, WeightFormat } from "./classify/format.ts";
export { declaredBases, weightFormat } from "./classify/format.ts";
export type { DropReason, KeepReason } from "./classify/repo-kind.ts";
export { isChat, taskTags } from "./classify/tasks.ts";

export interface Classified {
  model: HubModel;
  format: WeightFormat;
  bases: DeclaredBase[];
  tasks: string[];
  /** Why it was kept, for the report. */
  kept: { reason: KeepReason; detail: string };
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
  "fp4",
  "exl2",
]);

export type ClassifyResult = Classified | Drop;

export function classify(model: HubModel): ClassifyResult {
  const format = weightFormat(model);
  const bases = declaredBases(model, format);
  const v = verdict(
    model,
    format,
    chatSignal(model),
    bases.some((b) => b.relation === "adapter"),
  );
  if (!v.keep) return v;
  return { model, format, bases, tasks: taskTags(model, v.reason), kept: { reason: v.reason, detail: v.detail } };
}

export const isDrop = (c: ClassifyResult): c is Drop => !("model" in c);

/**
 * Classify every candidate once; drops are recorded as decisions. Repos the list answer cannot
 * decide get a second look at their config.json (classify/look-closer.ts).
 */
export async function classifyAll(
  ctx: Pick<StageContext, "decisions" | "repos" | "report">,
  models: Iterable<HubModel>,
): Promise<Classified[]> {
  const kept: Classified[] = [];
  const unsure: { model: HubModel; drop: Drop }[] = [];
  for (const model of models) {
    const c = classifySafely(model);
    if (!isDrop(c)) kept.push(c);
    else if (c.needsConfig) unsure.push({ model, drop: c });
    else ctx.decisions.drop(model.id, c.reason, c.detail);
  }
  for (const [model, v] of await lookCloser(ctx, unsure)) {
    if (!v.keep) ctx.decisions.drop(model.id, v.reason, v.detail);
    else {
      const format = weightFormat(model);
      kept.push({
        model,
        format,
        bases: declaredBases(model, format),
        tasks: taskTags(model, v.reason),
        kept: { reason: v.reason, detail: v.detail },
      });
    }
  }
  return kept;
}

/**
 * One repo whose answer has a shape no rule expected is dropped and reported, never the end of the
 * run: the Hub's metadata is whatever its uploaders wrote.
 */
function classifySafely(model: HubModel): ClassifyResult {
  try {
    return classify(model);
  } catch (error) {
    return { reason: "unreadable-metadata", detail: `its metadata could not be read: ${(error as Error).message}` };
  }
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
