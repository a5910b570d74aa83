/** Ollama version rules: which features need which server. */
/** hf.co refs are served by the Hub's registry from Ollama 0.3.13 on. */
export const HF_REFS_SINCE = "0.3.13";

export function olderThan(version: string, wanted: string): boolean {
  const a = version.split(/[.-]/).map((n) => Number.parseInt(n, 10));
  const b = wanted.split(".").map(Number);
  if (a.slice(0, 3).every((n) => n === 0)) return false; // a source build reports 0.0.0
  for (let i = 0; i < 3; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (Number.isNaN(x)) return false;
    if (x !== y) return x < y;
  }
  return false;
}
