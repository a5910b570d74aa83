/**
 * What to hand Ollama for a name the user typed: an index id (`Qwen/Qwen2.5-0.5B-Instruct`) becomes
 * its install ref (`hf.co/…-GGUF:Q4_K_M`, or the asked quant); anything else is taken as an Ollama
 * ref as is, after checking it against Ollama's name rules.
 */
import { type Index, type InstallTarget, type ModelEntry, OLLAMA_REF, QUANT_LABEL } from "../../../schema/index.ts";
import { UnknownModelError } from "../errors.ts";

export interface ResolvedRef {
  ref: string;
  model?: ModelEntry;
  target?: InstallTarget;
}

export function findModel(index: Index | undefined, id: string): ModelEntry | undefined {
  const lower = id.toLowerCase();
  return index?.models.find((m) => m.id.toLowerCase() === lower);
}

export function resolveRef(idOrRef: string, index: Index | undefined, quant?: string): ResolvedRef {
  const wanted = quant?.toUpperCase();
  if (wanted !== undefined && !QUANT_LABEL.test(wanted)) {
    throw new UnknownModelError(idOrRef, `"${quant}" is not a quant label (e.g. Q4_K_M, Q8_0)`);
  }
  const model = findModel(index, idOrRef);
  if (model) {
    if (model.install.length === 0) {
      throw new UnknownModelError(
        model.id,
        "the index has no GGUF build of it for Ollama yet; pick another with `small-llm models`",
      );
    }
    const target = wanted ? model.install.find((t) => t.quant === wanted) : model.install.find((t) => t.default);
    if (!target) {
      throw new UnknownModelError(
        model.id,
        `no ${wanted} build; available: ${model.install.map((t) => t.quant).join(", ")}`,
      );
    }
    return { ref: target.ref, model, target };
  }
  let ref = idOrRef.trim();
  if (wanted) ref = `${ref.replace(/:[^/]*$/, "")}:${wanted}`;
  if (!OLLAMA_REF.test(ref)) {
    throw new UnknownModelError(
      idOrRef,
      "neither an id in the index nor a valid Ollama model name; see `small-llm models --search …`",
    );
  }
  const owner = index?.models.find((m) => m.install.some((t) => sameModel(t.ref, ref)));
  return owner ? { ref, model: owner } : { ref };
}

/** Ollama's display form: default host and namespace dropped, tag `latest` added (name.go). */
export function normalizeRef(ref: string): string {
  let r = ref.replace(/^registry\.ollama\.ai\//i, "").replace(/^library\//i, "");
  if (!/:[^/]+$/.test(r)) r = `${r}:latest`;
  return r.toLowerCase();
}

export function sameModel(a: string, b: string): boolean {
  return normalizeRef(a) === normalizeRef(b);
}
