/** Numbers for people; shared by the pages and the browse script so they always agree. */
const GiB = 1024 ** 3;

export function bytes(n: number | undefined): string {
  if (n === undefined) return "–";
  if (n >= GiB) return `${(n / GiB).toFixed(1)} GB`;
  return `${Math.max(1, Math.round(n / 1024 ** 2))} MB`;
}

export function params(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(1)}B` : `${Math.round(n / 1e6)}M`;
}

export function count(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : String(n);
}

export function tokens(n: number | undefined): string {
  if (!n) return "–";
  return n >= 1024 ? `${Math.round(n / 1024)}K` : String(n);
}

export const PARAM_SOURCE: Record<string, string> = {
  safetensors: "from the Hub's safetensors metadata",
  gguf: "from the GGUF metadata",
  config: "estimated from config.json",
  name: "guessed from the repo name",
};
