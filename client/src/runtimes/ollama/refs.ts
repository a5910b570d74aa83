/** Ollama model names as Ollama compares them (types/model/name.go). */

/** Ollama's display form: default host and namespace dropped, tag `latest` added. */
export function normalizeRef(ref: string): string {
  let r = ref.replace(/^registry\.ollama\.ai\//i, "").replace(/^library\//i, "");
  if (!/:[^/]+$/.test(r)) r = `${r}:latest`;
  return r.toLowerCase();
}

export function sameModel(a: string, b: string): boolean {
  return normalizeRef(a) === normalizeRef(b);
}

/** A ref served by the Hugging Face Hub's Ollama registry. */
export const isHubRef = (ref: string) => /^(hf\.co|huggingface\.co)\//i.test(ref);
