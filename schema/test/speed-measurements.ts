/**
 * Published decode speeds to hold the estimator to: the 71 measurements of ../shared/reference/speed.md §5
 * (38 from [S1], 17 from [S2], 16 from [S3]), and a few later or less certain ones held out from the count.
 *
 * Sources (tags as in the reference):
 * - S1: llama.cpp discussion #4167, "Performance of llama.cpp on Apple Silicon M-series", one fixed build
 *   (8e672ef, 2023-11-21), llama-bench tg128, Llama-2-7B Q8_0 and Q4_0; values as transcribed, with that build
 *   pinned, in a public `bench/apple_project.py` (code-search id 66222232380): every chip M1 … M4 Max.
 * - S2: XiongjieDai/GPU-Benchmarks-on-LLM-Inference README (snapshot 2024-05), llama-bench tg1024, Llama-3-8B
 *   Q4_K_M and F16: every single-device row.
 * - S3: geerlingguy/ai-benchmarks README (as of the reference's snapshot, 2025-12), Ollama `--verbose` eval rate for
 *   llama3.2:3b (Q4_K_M): rows on GeForce RTX cards (CUDA) and Apple chips (Metal), and the two CPU-only machines
 *   whose memory configuration is known. Rows run through Vulkan are left out (another backend with no constants).
 * - S5: localmaxxing.com community runs as cached in llmfit (llmfit-core/data/benchmark_cache.json, 2026-08).
 * Bandwidths: Apple from S1's column and Apple's specs; GeForce from llmfit's table (hardware.rs); RAM as
 * MT/s × 8 bytes × channels (speed.md §3).
 *
 * `depth` is the mean number of tokens in the context while generating: llama-bench tgN starts empty (N/2);
 * Ollama's one-line prompt with its chat template and a few hundred tokens of answer is taken as 256.
 */
import type { DeviceKind, ModelTraffic } from "../speed.ts";

const GiB = 1024 ** 3;

export interface Measurement {
  source: "S1" | "S2" | "S3" | "S5";
  device: string;
  kind: DeviceKind;
  bandwidthGBs: number;
  model: string;
  quant: "Q4_0" | "Q8_0" | "Q4_K_M" | "F16";
  /** Parameter count, for the llmfit comparison (its formula works from parameters, not file bytes). */
  params: number;
  traffic: ModelTraffic;
  depth: number;
  tokensPerSecond: number;
}

/** Llama-2-7B: 32 layers, 32 KV heads of 128 → 2 · 32 · 32 · 128 · 2 B = 512 KiB per context token. */
const llama2 = (quant: "Q4_0" | "Q8_0" | "F16") => ({
  model: "Llama-2-7B",
  quant,
  params: 6.74e9,
  // llama-bench's reported file sizes in S1
  traffic: { weightsBytes: { Q4_0: 3.56, Q8_0: 6.67, F16: 12.55 }[quant] * GiB, layers: 32, kvBytesPerToken: 524_288 },
});
/** Llama-3-8B: 32 layers, 8 KV heads of 128 → 128 KiB per token; sizes from llama-quantize's table (S8) and S2. */
const llama3 = (quant: "Q4_K_M" | "F16") => ({
  model: "Llama-3-8B",
  quant,
  params: 8.03e9,
  traffic: { weightsBytes: { Q4_K_M: 4.58, F16: 14.96 }[quant] * GiB, layers: 32, kvBytesPerToken: 131_072 },
});
/** Llama-3.2-3B Q4_K_M as Ollama serves it: 2,019,377,696 B (ai-benchmarks issue #53); 28 layers, 112 KiB per token. */
const llama32 = {
  model: "Llama-3.2-3B",
  quant: "Q4_K_M" as const,
  params: 3.21e9,
  traffic: { weightsBytes: 2_019_377_696, layers: 28, kvBytesPerToken: 114_688 },
};

/** S1: chip, spec GB/s, tg128 for Q8_0 and Q4_0. */
const S1: [string, number, number, number][] = [
  ["M1 8c", 68.25, 7.91, 14.15],
  ["M1 Pro 16c", 200, 22.34, 36.41],
  ["M1 Max 32c", 400, 40.2, 61.19],
  ["M1 Ultra 64c", 800, 59.87, 83.73],
  ["M2 10c", 100, 12.21, 21.91],
  ["M2 Pro 19c", 200, 23.01, 38.86],
  ["M2 Max 38c", 400, 41.83, 65.95],
  ["M2 Ultra 76c", 800, 66.64, 94.27],
  ["M3 10c", 100, 12.27, 21.34],
  ["M3 Pro 18c", 150, 17.53, 30.74],
  ["M3 Max 30c", 300, 34.3, 56.58],
  ["M3 Max 40c", 400, 42.75, 66.31],
  ["M3 Ultra 60c", 819.2, 63.55, 88.4],
  ["M3 Ultra 80c", 819.2, 63.93, 92.14],
  ["M4 10c", 120, 13.54, 24.11],
  ["M4 Pro 16c", 273, 30.54, 49.64],
  ["M4 Pro 20c", 273, 30.69, 50.74],
  ["M4 Max 32c", 410, 43.87, 69.95],
  ["M4 Max 40c", 546, 54.05, 83.06],
];

/** S2: device, kind, spec GB/s, quant, tg1024. */
const S2: [string, DeviceKind, number, "Q4_K_M" | "F16", number][] = [
  ["RTX 3070 8GB", "gpu", 448, "Q4_K_M", 70.94],
  ["RTX 3080 10GB", "gpu", 760, "Q4_K_M", 106.4],
  ["RTX 3080 Ti 12GB", "gpu", 912, "Q4_K_M", 106.71],
  ["RTX 4070 Ti 12GB", "gpu", 504, "Q4_K_M", 82.21],
  ["RTX 4080 16GB", "gpu", 717, "Q4_K_M", 106.22],
  ["RTX 4080 16GB", "gpu", 717, "F16", 40.29],
  ["RTX 3090 24GB", "gpu", 936, "Q4_K_M", 111.74],
  ["RTX 3090 24GB", "gpu", 936, "F16", 46.51],
  ["RTX 4090 24GB", "gpu", 1008, "Q4_K_M", 127.74],
  ["RTX 4090 24GB", "gpu", 1008, "F16", 54.34],
  ["M1 7c 8GB", "apple", 68.25, "Q4_K_M", 9.72],
  ["M1 Max 32c 64GB", "apple", 400, "Q4_K_M", 34.49],
  ["M1 Max 32c 64GB", "apple", 400, "F16", 18.43],
  ["M2 Ultra 76c 192GB", "apple", 800, "Q4_K_M", 76.28],
  ["M2 Ultra 76c 192GB", "apple", 800, "F16", 36.25],
  ["M3 Max 40c 64GB", "apple", 400, "Q4_K_M", 50.74],
  ["M3 Max 40c 64GB", "apple", 400, "F16", 22.39],
];

/** S3: system, kind, spec GB/s, Ollama eval rate for llama3.2:3b. */
const S3: [string, DeviceKind, number, number][] = [
  ["RTX 4090, Core Ultra 265K host", "gpu", 1008, 334.67],
  ["RTX 5090, i9-13900K host", "gpu", 1792, 271.4],
  ["RTX 3080 Ti, Core Ultra 265K host", "gpu", 912, 263.24],
  ["RTX 4090, Ryzen 9 7900X host", "gpu", 1008, 237.05],
  ["RTX 4090, i9-13900K host", "gpu", 1008, 216.48],
  ["RTX 4080, Ryzen 9 7950X host", "gpu", 717, 204.45],
  ["RTX 4070 Ti Super, Ryzen 9 7950X host", "gpu", 672, 198.95],
  ["RTX 4070 Ti, Core Ultra 265K host", "gpu", 504, 196.15],
  ["RTX 2080 Ti, Core Ultra 265K host", "gpu", 616, 180.38],
  ["RTX 4070, Ryzen 9 5950X host", "gpu", 504, 160.72],
  ["RTX 3060 12GB, Core Ultra 265K host", "gpu", 360, 122.85],
  ["M1 Ultra 48c Mac Studio", "apple", 800, 108.67],
  ["M1 Max Mac Studio", "apple", 400, 59.38],
  ["M4 10c Mac mini", "apple", 120, 41.31],
  ["Intel N150, DDR5-4800 one channel", "cpu", 38.4, 9.06],
  ["Raspberry Pi 5, LPDDR4X-4267 32-bit", "cpu", 17.1, 4.88],
];

export const MEASUREMENTS: readonly Measurement[] = [
  ...S1.flatMap(([device, bandwidthGBs, q8, q4]) => [
    {
      source: "S1" as const,
      device,
      kind: "apple" as const,
      bandwidthGBs,
      ...llama2("Q8_0"),
      depth: 64,
      tokensPerSecond: q8,
    },
    {
      source: "S1" as const,
      device,
      kind: "apple" as const,
      bandwidthGBs,
      ...llama2("Q4_0"),
      depth: 64,
      tokensPerSecond: q4,
    },
  ]),
  ...S2.map(([device, kind, bandwidthGBs, quant, tps]) => ({
    source: "S2" as const,
    device,
    kind,
    bandwidthGBs,
    ...llama3(quant),
    depth: 512,
    tokensPerSecond: tps,
  })),
  ...S3.map(([device, kind, bandwidthGBs, tps]) => ({
    source: "S3" as const,
    device,
    kind,
    bandwidthGBs,
    ...llama32,
    depth: 256,
    tokensPerSecond: tps,
  })),
];

/**
 * Not in the 71: rows added to S3 after the reference's snapshot (the M1 Ultra 64c in PR #49, 2026-02; the
 * M3 Ultra of issue #42, opened 2025-12-08, which the reference's count of 16 leaves out), F16 rows of S1 from
 * other transcriptions of the same thread, and S5's runs at two context depths. A check on data the constants
 * were not read from.
 */
export const HELD_OUT: readonly Measurement[] = [
  {
    source: "S3",
    device: "M3 Ultra 80c Mac Studio",
    kind: "apple",
    bandwidthGBs: 819.2,
    ...llama32,
    depth: 256,
    tokensPerSecond: 154.6,
  },
  {
    source: "S3",
    device: "M1 Ultra 64c Mac Studio",
    kind: "apple",
    bandwidthGBs: 800,
    ...llama32,
    depth: 256,
    tokensPerSecond: 127.6,
  },
  {
    source: "S1",
    device: "M1 Max 32c",
    kind: "apple",
    bandwidthGBs: 400,
    ...llama2("F16"),
    depth: 64,
    tokensPerSecond: 23.03,
  },
  {
    source: "S1",
    device: "M4 Max 40c",
    kind: "apple",
    bandwidthGBs: 546,
    ...llama2("F16"),
    depth: 64,
    tokensPerSecond: 31.64,
  },
  {
    source: "S5",
    device: "RTX 3060 12GB",
    kind: "gpu",
    bandwidthGBs: 360,
    ...llama32,
    depth: 512,
    tokensPerSecond: 128.08,
  },
  {
    source: "S5",
    device: "RTX 3060 12GB",
    kind: "gpu",
    bandwidthGBs: 360,
    ...llama32,
    depth: 4096,
    tokensPerSecond: 110.82,
  },
];
