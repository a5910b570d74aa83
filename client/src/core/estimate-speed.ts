/**
 * How fast a quant of a model answers on a memory budget — this machine's, or a machine a user
 * names — with the index's estimator (schema/speed.ts): decode tokens/s from the bytes read per token
 * (the GGUF file, its active share, the KV cache at half the context), the budget's bandwidth and the
 * per-layer cost; split between a GPU and the CPU when only the RAM holds it all; and the wait before
 * the first token of a typical agent prompt. Browser-safe: the site estimates with it too.
 */
import {
  DEFAULT_CONSTANTS,
  type Device,
  decodeTokensPerSecond,
  FALLBACK_LAYERS,
  type ModelTraffic,
  prefillFlops,
  splitLayers,
  splitSecondsPerToken,
} from "../../../schema/speed.ts";
import { memoryAt, type Sizable } from "./best-fit.ts";
import type { BudgetDevice, MemoryBudget } from "./budgets.ts";

/** Tokens/s below which a model is not usable (speed.md §6: below ~5 sluggish, 10–20 comfortable for chat). */
export const DEFAULT_MIN_SPEED = 8;
/** A typical agent prompt (system prompt, tools, a file or two): what time to first token is estimated for. */
export const PROMPT_TOKENS = 2000;
/** From this many seconds the wait before the first token is worth showing (speed.md §6 flags ~10 s). */
export const LONG_FIRST_TOKEN_SECONDS = 10;

/** What a speed estimate reads of an entry; ModelEntry has it, and so do the site's lighter rows. */
export interface Speedable extends Sizable {
  install: readonly { quant: string; fileBytes: number; ref?: string }[];
  layers?: number | undefined;
  params: { total: number; active?: number | undefined };
}

export interface SpeedEstimate {
  /** Decode tokens/s (unrounded: round where it is shown). */
  tokensPerSecond: number;
  /** `measured` on this machine (bench or a delegated call), or `estimated` from bandwidth and bytes. */
  source: "measured" | "estimated";
  /** Seconds before the first token of a PROMPT_TOKENS prompt. */
  firstTokenSeconds: number;
  /** Layers on the GPU when only part of the model fits in VRAM (the rest runs from RAM). */
  offload?: { gpuLayers: number; totalLayers: number };
}

/**
 * KV cache bytes read per token at `depth` tokens of context, over that depth, from the quant's fit
 * rows (0 when the index does not say). Two rows (4K and 32K) give the cache's growth and its fixed
 * part — sliding-window layers stop growing at their window — so a Gemma 3 is not taken for a model
 * whose whole cache grows with every token.
 */
export function kvBytesPerToken(model: Sizable, quant: string, depth: number): number {
  const rows = model.fit
    .filter((f) => f.quant === quant && f.kvCacheBytes)
    .sort((a, b) => a.contextLength - b.contextLength);
  const [first, second] = rows;
  if (!first?.kvCacheBytes || depth <= 0) return 0;
  if (!second?.kvCacheBytes) return first.kvCacheBytes / first.contextLength;
  const growth = (second.kvCacheBytes - first.kvCacheBytes) / (second.contextLength - first.contextLength);
  const fixed = Math.max(0, first.kvCacheBytes - growth * first.contextLength);
  return (fixed + growth * depth) / depth;
}

/** What one token of this quant reads, as the index's fit rows estimate it. */
export function trafficOf(model: Speedable, quant: string, contextLength: number): ModelTraffic | undefined {
  const install = model.install.find((t) => t.quant === quant);
  if (!install) return undefined;
  const active = model.params.active;
  return {
    weightsBytes: install.fileBytes,
    activeFraction: active && model.params.total > 0 ? Math.min(1, active / model.params.total) : 1,
    layers: model.layers || FALLBACK_LAYERS,
    kvBytesPerToken: kvBytesPerToken(model, quant, contextLength / 2),
  };
}

/**
 * The estimator's device for a budget. A measured bandwidth is a copy benchmark's, which CPU decode
 * reaches about 0.85 of (speed.md §4.5) — the 0.55 default is of the theoretical figure a table gives.
 */
export function deviceOf(d: BudgetDevice): Device {
  const measuredCpu = d.kind === "cpu" && d.source === "measured";
  const constants = d.constants ?? (measuredCpu ? { ...DEFAULT_CONSTANTS.cpu, efficiency: 0.85 } : undefined);
  return { kind: d.kind, bandwidthGBs: d.bandwidthGBs, ...(constants ? { constants } : {}) };
}

/** Physical cores behind `cores` logical ones: x86 desktops above 4 threads run two per core. */
const physicalCores = (cores: number | undefined) => (cores && cores > 4 ? Math.ceil(cores / 2) : cores);

export interface EstimateInput {
  model: Speedable;
  quant: string;
  contextLength: number;
  /** The budget the quant fits. */
  budget: MemoryBudget;
  /** Every budget of the machine, fastest first: a GPU before the RAM makes a RAM fit a split. */
  budgets?: readonly MemoryBudget[];
  /** Tokens/s measured here for a ref, which beats any estimate. */
  measured?: ((ref: string) => number | undefined) | undefined;
}

/** Decode speed and time to first token, or undefined when the budget's bandwidth is unknown. */
export function estimateSpeed(input: EstimateInput): SpeedEstimate | undefined {
  const { model, quant, contextLength, budget } = input;
  const traffic = trafficOf(model, quant, contextLength);
  if (!traffic || !budget.device) return undefined;
  const depth = contextLength / 2;
  const ram = deviceOf(budget.device);
  const gpuBudget = input.budgets?.find((b) => b.kind === "gpu" && b.device && b !== budget);
  const split = budget.kind === "cpu" && gpuBudget ? offloadSplit(input, traffic, gpuBudget) : undefined;
  const parts =
    split && gpuBudget
      ? [
          { device: deviceOf(gpuBudget.device as BudgetDevice), layers: split.gpuLayers, budget: gpuBudget },
          { device: ram, layers: traffic.layers - split.gpuLayers, budget },
        ]
      : [{ device: ram, layers: traffic.layers, budget }];
  const estimated = split
    ? 1 / splitSecondsPerToken({ model: traffic, depth, parts })
    : decodeTokensPerSecond({ model: traffic, depth, device: ram });
  const ref = model.install.find((t) => t.quant === quant)?.ref;
  const measured = ref ? input.measured?.(ref) : undefined;
  const tokensPerSecond = measured ?? estimated;
  // Each part processes its layers' share of the prompt at its own rate (a forward pass ≈ 2 FLOP per active parameter).
  const activeParams = model.params.active ?? model.params.total;
  let prefill = 0;
  for (const p of parts) {
    const d = p.budget.device as BudgetDevice;
    const flops = prefillFlops({ ...p.device, cores: physicalCores(d.cores) });
    prefill += ((p.layers / traffic.layers) * PROMPT_TOKENS * 2 * activeParams) / flops;
  }
  return {
    tokensPerSecond,
    source: measured !== undefined ? "measured" : "estimated",
    firstTokenSeconds: prefill + 1 / tokensPerSecond,
    ...(split ? { offload: { gpuLayers: split.gpuLayers, totalLayers: traffic.layers } } : {}),
  };
}

/**
 * The layers a GPU takes of a model that only the RAM holds, as Ollama places them (and as the
 * pipeline's `offload` rows do): whole layers beside the compute graph on each card, the rest in RAM.
 */
function offloadSplit(input: EstimateInput, traffic: ModelTraffic, gpu: MemoryBudget) {
  const { model, quant, contextLength, budget } = input;
  const memory = memoryAt(model, quant, contextLength);
  if (memory === undefined) return undefined;
  const kv = kvBytesPerToken(model, quant, contextLength) * contextLength;
  const split = splitLayers({
    totalLayers: traffic.layers,
    layerBytes: (traffic.weightsBytes + kv) / traffic.layers,
    overheadBytes: Math.max(0, memory - traffic.weightsBytes - kv),
    gpuUsableBytes: gpu.device?.gpuUsableBytes ?? [gpu.usableBytes],
    hostUsableBytes: budget.usableBytes,
  });
  const gpuLayers = Math.min(split.gpuLayers, traffic.layers - 1);
  return gpuLayers >= 1 ? { gpuLayers } : undefined;
}

/** Is a first-token wait long enough to mention? */
export const longFirstToken = (s: SpeedEstimate | undefined) =>
  s !== undefined && s.firstTokenSeconds >= LONG_FIRST_TOKEN_SECONDS;
