import type { Profile } from "./index.ts";

const GiB = 1024 ** 3;

/**
 * Memory a model may take on hardware of a kind with `memoryBytes` of RAM, VRAM or unified memory;
 * the reasons for each rule are on the profile builders below. The client and the site apply the
 * same rule to "my machine: N GB", so every fit verdict means the same thing.
 */
export function usableBytes(kind: Profile["kind"], memoryBytes: number): number {
  switch (kind) {
    case "cpu":
      return Math.max(0, Math.floor(Math.min(0.8 * memoryBytes, memoryBytes - 2 * GiB)));
    case "gpu":
      return Math.max(0, memoryBytes - GiB);
    case "unified":
      return Math.floor((memoryBytes * 2) / 3);
  }
}

/**
 * System RAM bandwidth = MT/s × 8 bytes × 64-bit channels (speed.md §3.1). Dual-channel DDR4-3200 is the
 * common desktop and laptop configuration and llmfit's default (50 GB/s); the RAM size says nothing about
 * channels or speed, so every CPU profile, and the RAM beside every GPU, uses it.
 */
const DDR4_3200_DUAL_GBS = 51.2;
const DDR4_3200_DUAL = "dual-channel DDR4-3200 (51.2 GB/s)";

/**
 * CPU-only machines: the model lives in system RAM beside the OS and the user's apps.
 * Usable = min(80 % of RAM, RAM − 2 GiB), llm-checker's budget (deterministic-selector.js), which
 * leaves the OS at least 2 GiB on small machines and 20 % on large ones.
 */
function cpu(gb: number): Profile {
  const memoryBytes = gb * GiB;
  return {
    id: `cpu-${gb}gb`,
    label: `CPU only, ${gb} GB RAM`,
    kind: "cpu",
    memoryBytes,
    usableBytes: usableBytes("cpu", memoryBytes),
    contextLength: 4096,
    bandwidthGBs: DDR4_3200_DUAL_GBS,
    description: `System RAM: ${DDR4_3200_DUAL}, the common desktop and laptop setup; DDR5 machines read faster, single-channel ones half as fast.`,
  };
}

/** The system RAM a GPU profile's layers spill into when the VRAM cannot hold them all: a 16 GB desktop. */
const GPU_HOST = {
  memoryBytes: 16 * GiB,
  usableBytes: usableBytes("cpu", 16 * GiB),
  bandwidthGBs: DDR4_3200_DUAL_GBS,
};

/**
 * The card whose bandwidth stands for each VRAM size: the x60-class GeForce of that size — the most sold
 * class, and at the low end of its size's bandwidth, so an estimate holds for most owners (GTX 1650 for
 * 4 GB; RTX 3090, the slower of the two 24 GB cards). GB/s = bus bits ÷ 8 × Gbps per pin (speed.md §3.3,
 * llmfit's hardware.rs table). A 16 GB RTX 4060 Ti reads slower than a 12 GB RTX 3060: that is the card.
 */
const GPU_CARDS: Record<number, { card: string; bus: string; gbs: number }> = {
  4: { card: "GeForce GTX 1650", bus: "128-bit GDDR5 at 8 Gbps", gbs: 128 },
  6: { card: "GeForce RTX 2060", bus: "192-bit GDDR6 at 14 Gbps", gbs: 336 },
  8: { card: "GeForce RTX 4060", bus: "128-bit GDDR6 at 17 Gbps", gbs: 272 },
  12: { card: "GeForce RTX 3060 12 GB", bus: "192-bit GDDR6 at 15 Gbps", gbs: 360 },
  16: { card: "GeForce RTX 4060 Ti 16 GB", bus: "128-bit GDDR6 at 18 Gbps", gbs: 288 },
  24: { card: "GeForce RTX 3090", bus: "384-bit GDDR6X at 19.5 Gbps", gbs: 936 },
};

/**
 * Discrete GPUs, whole model offloaded to VRAM. Usable = VRAM − 1 GiB: llama.cpp's `--fit` keeps a
 * 1024 MiB per-device margin (PR #16653) for the CUDA/Metal context and the compute buffers that
 * are not part of our estimate, and the desktop takes some VRAM on a consumer card.
 * Ollama runs 4096 tokens of context below 24 GiB of VRAM and 32768 from 24 GiB (docs/context-length).
 */
function gpu(gb: number): Profile {
  const memoryBytes = gb * GiB;
  const card = GPU_CARDS[gb];
  if (!card) throw new Error(`no reference card for a ${gb} GB GPU profile`);
  return {
    id: `gpu-${gb}gb`,
    label: `GPU, ${gb} GB VRAM`,
    kind: "gpu",
    memoryBytes,
    usableBytes: usableBytes("gpu", memoryBytes),
    contextLength: gb >= 24 ? 32768 : 4096,
    bandwidthGBs: card.gbs,
    description: `VRAM of a ${card.card} (${card.bus}: ${card.gbs} GB/s); layers that do not fit run on the CPU from 16 GB of ${DDR4_3200_DUAL}.`,
    host: GPU_HOST,
  };
}

/**
 * Apple Silicon unified memory. macOS lets the GPU wire about two thirds of RAM on machines up to
 * 36 GB (Metal's recommendedMaxWorkingSetSize, which Ollama and llama.cpp use as the GPU budget);
 * peers use 0.67–0.85 (willitrunai 0.72, canitrun 0.75, llm-checker min(0.85·RAM, RAM − 1.5 GB)).
 * We take the conservative 2/3 so a "fits" verdict holds with the user's apps open.
 * Ollama counts that budget as VRAM, so it stays at 4096 tokens of context below 24 GiB of it.
 */
function unified(gb: number): Profile {
  const memoryBytes = gb * GiB;
  const usable = usableBytes("unified", memoryBytes);
  const chip = APPLE_CHIPS[gb];
  if (!chip) throw new Error(`no reference chip for an Apple profile of ${gb} GB`);
  return {
    id: `apple-${gb}gb`,
    label: `Apple Silicon, ${gb} GB unified memory`,
    kind: "unified",
    memoryBytes,
    usableBytes: usable,
    contextLength: usable >= 24 * GiB ? 32768 : 4096,
    bandwidthGBs: chip.gbs,
    description: chip.text,
  };
}

/**
 * The chip whose bandwidth stands for each unified-memory size (speed.md §3.2, Apple's specs): the base M2/M3
 * (100 GB/s) for the sizes base chips come in — between the M1's 68 and the M4's 120; 36 GB comes only with
 * Pro and Max chips, so the M3 Pro (150 GB/s), the slowest of them.
 */
const APPLE_CHIPS: Record<number, { gbs: number; text: string }> = Object.fromEntries([
  ...[8, 16, 24].map((gb) => [
    gb,
    {
      gbs: 100,
      text: "Unified memory of an Apple M2 or M3 (LPDDR5, 128-bit: 100 GB/s); an M1 reads 68 GB/s, an M4 120.",
    },
  ]),
  [
    36,
    {
      gbs: 150,
      text: "Unified memory of an Apple M3 Pro (LPDDR5, 192-bit: 150 GB/s), the slowest chip sold with 36 GB; Max chips read 300–546 GB/s.",
    },
  ],
]);

/** The hardware profiles every fit verdict refers to, defined once. */
export const PROFILES: readonly Profile[] = [
  ...[8, 16, 32].map(cpu),
  ...[4, 6, 8, 12, 16, 24].map(gpu),
  ...[8, 16, 24, 36].map(unified),
];
