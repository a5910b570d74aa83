/**
 * How fast a model will answer here, before anyone downloads it. Pure arithmetic, no I/O, so the
 * pipeline, the client and the site all estimate alike. Facts and data: ../shared/reference/speed.md.
 *
 * Decode (one token at batch 1) is a chain of matrix-vector products: every weight touched is read
 * once per token, and attention reads the whole KV cache, so the time per token is the bytes read
 * over the bandwidth actually reached — plus a fixed cost per layer (kernel launches, synchronisation)
 * that a bandwidth-only formula misses and that dominates small models on fast hardware:
 *
 *   seconds/token = Σ over devices [ layers_d · perLayer_d  +  share_d · bytes / (efficiency_d · bandwidth_d) ]
 *   bytes         = weights · activeFraction + depth · KV bytes per token
 *
 * Prefill (the prompt) is compute-bound instead; time to first token = prompt / prefill rate + one decode step.
 * Calibration from measured runs is in speed-fit.ts.
 */

/** Where the weights are read from: system RAM by the CPU, VRAM by a discrete GPU, Apple unified memory by Metal. */
export type DeviceKind = "cpu" | "gpu" | "apple";

/** The two numbers that describe a device's decode, besides its spec bandwidth. */
export interface DeviceConstants {
  /** Fraction of the spec-sheet bandwidth that decode reaches. */
  efficiency: number;
  /** Fixed time per transformer layer per token, in seconds. */
  layerSeconds: number;
}

/**
 * Defaults from physics and the reference (speed.md §1.2, §1.5, §7.2) — six numbers, chosen per backend, not per
 * device; calibration (speed-fit.ts) replaces them for a machine once it has measured runs.
 * - gpu efficiency 0.85: a GPU copy kernel reaches 0.83–0.92 of spec, and an 8B F16 model, where the fixed cost is
 *   negligible, decodes at 0.80–0.90 of spec on RTX 30/40 cards.
 * - gpu 0.065 ms/layer: two-point fits on an RTX 3060 (Qwen3-0.6B over five context depths, Llama-3.2-3B over two)
 *   give 1.5–1.75 ms for 28 layers; CUDA graphs removing ~10 % of a 7B token's time is the same order.
 * - apple efficiency 0.85: Metal STREAM reaches 0.83–0.92 of spec; F16 decode 0.69–0.91.
 * - apple 0.15 ms/layer: Q8_0-vs-Q4_0 fits per chip on Llama-2-7B give 4.1–7.7 ms for 32 layers; the low end,
 *   since newer builds only got faster (M2 Ultra +15 % from 2023 to 2024).
 * - cpu efficiency 0.55: decode reaches 0.48–0.58 of theoretical DRAM bandwidth (Intel N150, Raspberry Pi 5,
 *   EPYC 12-channel); a multi-thread copy reaches 0.6–0.9, so this is ≈0.85 of a measured copy.
 * - cpu 0.055 ms/layer: poorly determined (CPU time is mostly bandwidth); close to the GPU's, a little lower
 *   because no kernel launches are involved.
 */
export const DEFAULT_CONSTANTS: Readonly<Record<DeviceKind, Readonly<DeviceConstants>>> = {
  gpu: { efficiency: 0.85, layerSeconds: 0.065e-3 },
  apple: { efficiency: 0.85, layerSeconds: 0.15e-3 },
  cpu: { efficiency: 0.55, layerSeconds: 0.055e-3 },
};

/** What a model reads per token. */
export interface ModelTraffic {
  /** GGUF file bytes (all shards): the real size, which for small models is well above params × nominal bits. */
  weightsBytes: number;
  /** Share of the weights read per token: active ÷ total parameters for mixture-of-experts; 1 (default) for dense. */
  activeFraction?: number;
  /** Transformer layers (the GGUF block count). */
  layers: number;
  /** K+V cache bytes one context token adds, over all layers (f16 unless the runtime quantises the cache). */
  kvBytesPerToken: number;
}

/**
 * Layers to assume when a model's are unknown (no config.json, so no `layers` in the index entry): the median
 * block count of 38 reference configs of 0.1–8B models (they range 16–36). It only sets the fixed per-token cost.
 */
export const FALLBACK_LAYERS = 28;

/** A device that holds (part of) the model. */
export interface Device {
  kind: DeviceKind;
  /** Spec-sheet memory bandwidth in GB/s (10⁹ bytes per second). */
  bandwidthGBs: number;
  /** Measured constants for this device (speed-fit.ts); the kind's defaults otherwise. */
  constants?: DeviceConstants;
}

const PROFILE_DEVICE_KINDS = new Map<string, DeviceKind>([
  ["cpu", "cpu"],
  ["gpu", "gpu"],
  ["unified", "apple"],
]);

/**
 * The device a hardware profile of the index reads the model from, or undefined when the profile has no
 * bandwidth (an index older than 1.2) or is of a kind this version does not know.
 */
export function profileDevice(profile: { kind: string; bandwidthGBs?: number | undefined }): Device | undefined {
  const kind = PROFILE_DEVICE_KINDS.get(profile.kind);
  return kind && profile.bandwidthGBs ? { kind, bandwidthGBs: profile.bandwidthGBs } : undefined;
}

/** Bytes read to produce one token with `depth` tokens already in the context. */
export function bytesPerToken(model: ModelTraffic, depth: number): number {
  return model.weightsBytes * (model.activeFraction ?? 1) + Math.max(0, depth) * model.kvBytesPerToken;
}

export function constantsOf(device: Device): DeviceConstants {
  return device.constants ?? DEFAULT_CONSTANTS[device.kind];
}

/** One device's part of a split model: how many of the model's layers it runs. */
export interface DevicePart {
  device: Device;
  layers: number;
}

/**
 * Seconds per token when the layers are split over devices (a GPU and the CPU, or several GPUs), as llama.cpp
 * and Ollama split whole layers: each device reads its layers' share of the bytes at its own bandwidth and pays
 * its own per-layer cost, one after the other. Several identical GPUs therefore add memory, not speed.
 */
export function splitSecondsPerToken(input: {
  model: ModelTraffic;
  depth: number;
  parts: readonly DevicePart[];
}): number {
  const { model, parts } = input;
  const bytes = bytesPerToken(model, input.depth);
  let seconds = 0;
  for (const { device, layers } of parts) {
    const c = constantsOf(device);
    const share = model.layers > 0 ? layers / model.layers : 1;
    seconds += layers * c.layerSeconds + (share * bytes) / (c.efficiency * device.bandwidthGBs * 1e9);
  }
  return seconds;
}

/** Decode tokens/s with the whole model on one device, `depth` tokens into the context. */
export function decodeTokensPerSecond(input: { model: ModelTraffic; depth: number; device: Device }): number {
  return (
    1 /
    splitSecondsPerToken({
      model: input.model,
      depth: input.depth,
      parts: [{ device: input.device, layers: input.model.layers }],
    })
  );
}

/** Decode tokens/s with `gpuLayers` layers on the GPU(s) and the rest on the CPU, reading system RAM. */
export function offloadTokensPerSecond(input: {
  model: ModelTraffic;
  depth: number;
  gpuLayers: number;
  gpu: Device;
  cpu: Device;
}): number {
  const gpuLayers = Math.min(input.model.layers, Math.max(0, input.gpuLayers));
  const parts = [
    { device: input.gpu, layers: gpuLayers },
    { device: input.cpu, layers: input.model.layers - gpuLayers },
  ];
  return 1 / splitSecondsPerToken({ model: input.model, depth: input.depth, parts });
}

/**
 * How many whole layers go to the GPU(s) when the model does not fit, as Ollama places them: each GPU in use
 * keeps `overheadBytes` (compute graph, runtime) and as many layers of `layerBytes` (weights and KV cache of one
 * layer) as its usable memory then holds; several GPUs add up. The rest goes to system RAM.
 */
export function splitLayers(input: {
  totalLayers: number;
  layerBytes: number;
  overheadBytes: number;
  /** Usable memory of each GPU, bytes. */
  gpuUsableBytes: readonly number[];
  /** Usable system RAM for the layers left over, bytes. */
  hostUsableBytes: number;
}): { gpuLayers: number; totalLayers: number; hostBytes: number; hostFits: boolean } {
  const { totalLayers, layerBytes } = input;
  let gpuLayers = 0;
  for (const usable of input.gpuUsableBytes) {
    const room = usable - input.overheadBytes;
    if (room > 0 && layerBytes > 0) gpuLayers += Math.floor(room / layerBytes);
  }
  gpuLayers = Math.min(totalLayers, gpuLayers);
  const hostBytes = Math.ceil((totalLayers - gpuLayers) * layerBytes);
  return { gpuLayers, totalLayers, hostBytes, hostFits: hostBytes <= input.hostUsableBytes };
}

/**
 * Effective FLOP/s of prompt processing (speed.md §1.4), from the best figure available:
 * - `tflops`, the device's spec FP16 TFLOPS (e.g. huggingface.js hardware tables): × 1.5 on NVIDIA (llama.cpp's
 *   matrix kernels use tensor cores that table understates: measured 1.3–1.8×), × 0.6 on Apple GPUs (0.54–0.77);
 * - on a CPU, `cores` (physical cores) × 0.12 TFLOP/s: measured 0.09 per thread on an i3-1315U and 0.16 per core
 *   on a Ryzen 7 7840HS;
 * - otherwise from the bandwidth, which tracks compute within a product line: 80 FLOP per byte of bandwidth on
 *   NVIDIA (63–116 on RTX 30/40), 20 on Apple (14–27 on M1…M3), and a 4-core CPU on the CPU.
 */
export function prefillFlops(device: Device & { tflops?: number; cores?: number }): number {
  if (device.kind === "cpu") return (device.cores ?? 4) * 0.12e12;
  if (device.tflops) return device.tflops * 1e12 * (device.kind === "gpu" ? 1.5 : 0.6);
  return device.bandwidthGBs * 1e9 * (device.kind === "gpu" ? 80 : 20);
}

/** Prompt tokens per second: a forward pass costs about 2 FLOP per active parameter per token. */
export function prefillTokensPerSecond(input: { activeParams: number; flops: number }): number {
  return input.flops / (2 * input.activeParams);
}

/** Seconds until the first answer token: the whole prompt through the model, then one decode step. */
export function timeToFirstToken(input: {
  promptTokens: number;
  prefillTokensPerSecond: number;
  decodeTokensPerSecond: number;
}): number {
  return input.promptTokens / input.prefillTokensPerSecond + 1 / input.decodeTokensPerSecond;
}

/**
 * Two significant digits (4.9, 45, 330): the estimate is good to about ±10–25 %, so more digits would claim a
 * precision it does not have, and rounding keeps the published index byte-stable across platforms.
 */
export function roundSpeed(tokensPerSecond: number): number {
  return Number(tokensPerSecond.toPrecision(2));
}
