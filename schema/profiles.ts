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
  };
}

/**
 * Discrete GPUs, whole model offloaded to VRAM. Usable = VRAM − 1 GiB: llama.cpp's `--fit` keeps a
 * 1024 MiB per-device margin (PR #16653) for the CUDA/Metal context and the compute buffers that
 * are not part of our estimate, and the desktop takes some VRAM on a consumer card.
 * Ollama runs 4096 tokens of context below 24 GiB of VRAM and 32768 from 24 GiB (docs/context-length).
 */
function gpu(gb: number): Profile {
  const memoryBytes = gb * GiB;
  return {
    id: `gpu-${gb}gb`,
    label: `GPU, ${gb} GB VRAM`,
    kind: "gpu",
    memoryBytes,
    usableBytes: usableBytes("gpu", memoryBytes),
    contextLength: gb >= 24 ? 32768 : 4096,
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
  return {
    id: `apple-${gb}gb`,
    label: `Apple Silicon, ${gb} GB unified memory`,
    kind: "unified",
    memoryBytes,
    usableBytes: usable,
    contextLength: usable >= 24 * GiB ? 32768 : 4096,
  };
}

/** The hardware profiles every fit verdict refers to, defined once. */
export const PROFILES: readonly Profile[] = [
  ...[8, 16, 32].map(cpu),
  ...[4, 6, 8, 12, 16, 24].map(gpu),
  ...[8, 16, 24, 36].map(unified),
];
