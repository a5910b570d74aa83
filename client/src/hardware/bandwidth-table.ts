/**
 * Memory bandwidth by chip name (GB/s, spec sheet), for the chips whose name settles it: Apple Silicon
 * (unified memory soldered beside the chip), desktop GeForce and Radeon cards, and SoCs with soldered
 * RAM. A desktop CPU's name says nothing about its RAM (one channel or two, DDR4 or DDR5), so those
 * are measured instead (measure-bandwidth.ts). Figures and their sources: ../shared/reference/speed.md
 * §3 (Apple's and vendors' specs, llmfit's hardware.rs table; GB/s = bus bits ÷ 8 × Gbps per pin).
 */

/**
 * Apple chips, by name as `machdep.cpu.brand_string` gives it. Binned Max chips read at two speeds,
 * told apart by GPU cores: [fewer cores' GB/s, cores up to which it applies, the full chip's GB/s].
 */
const APPLE: Record<string, number | [number, number, number]> = {
  M1: 68.25,
  "M1 Pro": 200,
  "M1 Max": 400,
  "M1 Ultra": 800,
  M2: 100,
  "M2 Pro": 200,
  "M2 Max": 400,
  "M2 Ultra": 800,
  M3: 100,
  "M3 Pro": 150,
  "M3 Max": [300, 30, 400],
  "M3 Ultra": 819.2,
  M4: 120,
  "M4 Pro": 273,
  "M4 Max": [410, 32, 546],
  M5: 153,
  "M5 Pro": 307,
  "M5 Max": [460, 32, 614],
};

export interface TableHit {
  gbs: number;
  /** The name matched, as people know it. */
  basis: string;
}

/** `Apple M3 Max` (+ 40 GPU cores) → 400. Without the core count a binned chip gets its slower figure. */
export function appleBandwidth(brand: string | undefined, gpuCores?: number): TableHit | undefined {
  const m = /\bApple (M\d+)(?: (Pro|Max|Ultra))?\b/.exec(brand ?? "");
  if (!m) return undefined;
  const chip = m[2] ? `${m[1]} ${m[2]}` : (m[1] as string);
  const entry = APPLE[chip];
  if (entry === undefined) return undefined;
  if (typeof entry === "number") return { gbs: entry, basis: `Apple ${chip}` };
  const [slow, upTo, full] = entry;
  if (gpuCores === undefined) return { gbs: slow, basis: `Apple ${chip} (GPU cores unknown: the slower bin)` };
  return { gbs: gpuCores <= upTo ? slow : full, basis: `Apple ${chip}, ${gpuCores} GPU cores` };
}

/**
 * Desktop cards, longest name first so `4070 Ti Super` wins over `4070 Ti` and `4070`. Two cards share
 * a name but not a bus: [GB/s below the VRAM size, size in GB, GB/s from it].
 */
const NVIDIA: [string, number | [number, number, number]][] = [
  ["GTX 1650 Super", 192],
  ["GTX 1650", 128],
  ["GTX 1660 Super", 336],
  ["GTX 1660 Ti", 288],
  ["GTX 1660", 192],
  ["RTX 2060", 336],
  ["RTX 2070", 448],
  ["RTX 2080 Super", 496],
  ["RTX 2080 Ti", 616],
  ["RTX 2080", 448],
  ["RTX 3050", [168, 8, 224]],
  ["RTX 3060 Ti", 448],
  ["RTX 3060", [240, 12, 360]],
  ["RTX 3070 Ti", 608],
  ["RTX 3070", 448],
  ["RTX 3080 Ti", 912],
  ["RTX 3080", 760],
  ["RTX 3090 Ti", 1008],
  ["RTX 3090", 936],
  ["RTX 4060 Ti", 288],
  ["RTX 4060", 272],
  ["RTX 4070 Ti Super", 672],
  ["RTX 4070 Ti", 504],
  ["RTX 4070 Super", 504],
  ["RTX 4070", 504],
  ["RTX 4080 Super", 736],
  ["RTX 4080", 717],
  ["RTX 4090", 1008],
  ["RTX 5060 Ti", 448],
  ["RTX 5070 Ti", 896],
  ["RTX 5070", 672],
  ["RTX 5080", 960],
  ["RTX 5090", 1792],
];

const AMD: [string, number][] = [
  ["RX 6600 XT", 256],
  ["RX 6600", 224],
  ["RX 6700 XT", 384],
  ["RX 6800 XT", 512],
  ["RX 6800", 512],
  ["RX 6900 XT", 512],
  ["RX 6950 XT", 576],
  ["RX 7600 XT", 288],
  ["RX 7600", 288],
  ["RX 7700 XT", 432],
  ["RX 7800 XT", 624],
  ["RX 7900 GRE", 576],
  ["RX 7900 XTX", 960],
  ["RX 7900 XT", 800],
  ["RX 9070 XT", 624],
  ["RX 9070", 488],
];

const byLength = <T>(table: [string, T][]) => [...table].sort((a, b) => b[0].length - a[0].length);
const NVIDIA_BY_LENGTH = byLength(NVIDIA);
const AMD_BY_LENGTH = byLength(AMD);
const words = (s: string) =>
  ` ${s
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, " ")
    .trim()} `;

/**
 * A discrete GPU by the name nvidia-smi or rocm-smi prints. Laptop parts share desktop names but not
 * buses (an RTX 4090 Laptop GPU reads about half as fast), so they are not matched at all.
 */
export function gpuBandwidth(vendor: string, name: string, vramBytes?: number | null): TableHit | undefined {
  if (/laptop|mobile|max-q/i.test(name)) return undefined;
  const text = words(name);
  const table = vendor === "nvidia" ? NVIDIA_BY_LENGTH : vendor === "amd" ? AMD_BY_LENGTH : [];
  for (const [card, entry] of table) {
    if (!text.includes(words(card))) continue;
    if (typeof entry === "number") return { gbs: entry, basis: card };
    const [small, fromGb, large] = entry;
    const gb = vramBytes ? vramBytes / 1024 ** 3 : undefined;
    if (gb === undefined) return { gbs: small, basis: `${card} (VRAM unknown: the slower model)` };
    return { gbs: gb >= fromGb - 0.5 ? large : small, basis: `${card} ${Math.round(gb)} GB` };
  }
  return undefined;
}

/**
 * Systems whose RAM is soldered, so their name settles it: AMD Strix Halo (LPDDR5X-8000 on a 256-bit
 * bus) and the Raspberry Pi 5 (LPDDR4X-4267, 32-bit). `model` is the CPU name or the board's.
 */
const SOLDERED: [RegExp, number, string][] = [
  [/Ryzen AI Max/i, 256, "AMD Ryzen AI Max (Strix Halo, 256-bit LPDDR5X-8000)"],
  [/Raspberry Pi 5/i, 17.1, "Raspberry Pi 5 (32-bit LPDDR4X-4267)"],
];

export function systemRamBandwidth(...names: (string | null | undefined)[]): TableHit | undefined {
  for (const [pattern, gbs, basis] of SOLDERED) if (names.some((n) => n && pattern.test(n))) return { gbs, basis };
  return undefined;
}
