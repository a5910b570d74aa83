/**
 * Numbers for people, shared by the CLI and the website so they always agree. Sizes are decimal
 * (1 GB = 10^9 bytes) and rounded the way Ollama prints them (format.HumanBytes): `397 MB`,
 * `4.6 GB`, `12 GB` — the same figures a user sees on the Hub and in `ollama list`.
 */

const UNITS: [number, string][] = [
  [1e12, "TB"],
  [1e9, "GB"],
  [1e6, "MB"],
  [1e3, "KB"],
];

export function bytes(n: number | null | undefined): string {
  if (n === undefined || n === null || !Number.isFinite(n)) return "–";
  for (const [size, unit] of UNITS) {
    if (Math.abs(n) < size) continue;
    const value = n / size;
    // As Ollama's format.HumanBytes: whole units from 10 up, else one decimal, rounded (8.09 → 8.1).
    if (Math.abs(value) >= 10) return `${Math.trunc(value)} ${unit}`;
    return Number.isInteger(value) ? `${value} ${unit}` : `${value.toFixed(1)} ${unit}`;
  }
  return `${Math.round(n)} B`;
}

/** Parameter counts: `135M`, `494M`, `999.9M` (never `1000M`: it stays in its unit), `1.5B`, `8.0B`, `14B`. */
export function params(n: number): string {
  if (n >= 1e9) {
    const b = n / 1e9;
    return b >= 10 ? `${Math.round(b)}B` : `${(Math.round(b * 10) / 10).toFixed(1)}B`;
  }
  const m = n / 1e6;
  if (m >= 10) return Math.round(m) >= 1000 ? `${(Math.floor(m * 10) / 10).toFixed(1)}M` : `${Math.round(m)}M`;
  return `${(Math.round(m * 10) / 10).toFixed(1)}M`;
}

/** Downloads and likes: `950`, `12.3k`, `4.5M`. */
export function count(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

/** Context lengths, which are powers of two in practice: 4096 → `4K`, 40960 → `40K`, 131072 → `128K`. */
export function tokens(n: number | null | undefined): string {
  if (!n) return "–";
  return n >= 1024 ? `${Math.round(n / 1024)}K` : String(n);
}

/** How long ago: `12 min`, `5.0 h`, `3 days`. */
export function age(ms: number): string {
  const h = ms / 3_600_000;
  return h < 1 ? `${Math.round(ms / 60_000)} min` : h < 48 ? `${h.toFixed(1)} h` : `${Math.round(h / 24)} days`;
}

/** What a memory budget leaves: a size, or `does not fit` when there is nothing left. */
export function spare(usable: number, needed: number): string {
  return usable - needed > 0 ? `${bytes(usable - needed)} to spare` : "does not fit";
}

/** A download size, labelled as one. */
export const download = (n: number | undefined) => `${bytes(n)} download`;
/** Memory needed to run, labelled as such. */
export const memory = (n: number | undefined) => `${bytes(n)} memory`;
