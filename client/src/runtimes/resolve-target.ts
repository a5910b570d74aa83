/**
 * The bridge from the catalogue to a runtime: what to hand Ollama for a name the user typed. An
 * index id (`Qwen/Qwen2.5-0.5B-Instruct`) becomes its install ref (`hf.co/…-GGUF:Q4_K_M`, or the
 * asked quant); anything else is taken as an Ollama ref as is, after checking Ollama's name rules.
 */
import type { Index, InstallTarget, ModelEntry } from "../../../schema/index.ts";
import { OLLAMA_REF, QUANT_LABEL } from "../../../schema/patterns.ts";
import { findModel } from "../catalog/find-model.ts";
import { UnknownModelError } from "../errors/index.ts";
import { sameModel } from "./ollama/refs.ts";
import type { InstalledModel } from "./runtime.ts";

export interface ResolvedRef {
  ref: string;
  model?: ModelEntry;
  target?: InstallTarget;
}

export function resolveRef(idOrRef: string, index: Index | undefined, quant?: string): ResolvedRef {
  const wanted = quant?.toUpperCase();
  if (wanted !== undefined && !QUANT_LABEL.test(wanted)) {
    throw new UnknownModelError(idOrRef, `"${quant}" is not a quant label (e.g. Q4_K_M, Q8_0)`, {
      code: "no-such-quant",
    });
  }
  const model = findModel(index, idOrRef);
  if (model) {
    if (model.install.length === 0) {
      throw new UnknownModelError(
        model.id,
        "the index has no GGUF build of it for Ollama yet; pick another with `small-llm models --installable`",
        { code: "not-installable" },
      );
    }
    const target = wanted ? model.install.find((t) => t.quant === wanted) : model.install.find((t) => t.default);
    if (!target) {
      throw new UnknownModelError(
        model.id,
        `no ${wanted} build; available: ${model.install.map((t) => t.quant).join(", ")} (\`small-llm show ${model.id}\`)`,
        { code: "no-such-quant" },
      );
    }
    return { ref: target.ref, model, target };
  }
  let ref = idOrRef.trim();
  if (wanted) ref = `${ref.replace(/:[^/]*$/, "")}:${wanted}`;
  if (!OLLAMA_REF.test(ref)) {
    throw new UnknownModelError(
      idOrRef,
      "neither an id in the index nor a valid Ollama model name; see `small-llm models --search <words>`",
      { code: "invalid-model-name" },
    );
  }
  const owner = ownerOf(index, ref);
  return owner ? { ref, model: owner, ...targetOf(owner, ref) } : { ref };
}

/** The index entry one of whose install refs this is. */
export function ownerOf(index: Index | undefined, ref: string): ModelEntry | undefined {
  return index?.models.find((m) => m.install.some((t) => sameModel(t.ref, ref)));
}

function targetOf(model: ModelEntry, ref: string): { target?: InstallTarget } {
  const target = model.install.find((t) => sameModel(t.ref, ref));
  return target ? { target } : {};
}

/**
 * The ref to act on for an installed model: for an index id, whichever of its quants is installed
 * (else its default); for a raw ref, the ref.
 */
export function installedRef(idOrRef: string, index: Index | undefined, installed: InstalledModel[]): string {
  const model = findModel(index, idOrRef);
  if (!model) return resolveRef(idOrRef, index).ref;
  const match = model.install.find((t) => installed.some((m) => sameModel(m.name, t.ref)));
  return match?.ref ?? resolveRef(idOrRef, index).ref;
}

/** Mark installed models with the index entry they belong to. */
export function withIndexIds(index: Index | undefined, models: InstalledModel[]): InstalledModel[] {
  return models.map((m) => {
    const owner = ownerOf(index, m.name);
    return owner ? { ...m, indexId: owner.id } : m;
  });
}
