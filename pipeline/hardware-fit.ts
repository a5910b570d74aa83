/**
 * Stage 7, hardware fit: memory per quant at the context Ollama runs by default (4096 tokens below 24 GiB of
 * VRAM), and at 32768 — what it runs from 24 GiB — when the model supports that much; the hardware profiles
 * each fits; the GPU profiles that run it split between VRAM and system RAM; and the decode speed on each.
 * The memory model is in model-config/memory.ts, the speed model in schema/speed.ts.
 */
import type { Fit, InstallTarget, Profile } from "../schema/index.ts";
import {
  decodeTokensPerSecond,
  FALLBACK_LAYERS,
  type ModelTraffic,
  offloadTokensPerSecond,
  profileDevice,
  roundSpeed,
  splitLayers,
} from "../schema/speed.ts";
import { type ModelConfig, readDims } from "./model-config/dims.ts";
import { estimateMemory } from "./model-config/memory.ts";

export const FIT_CONTEXTS = [4096, 32768] as const;

export function hardwareFit(input: {
  install: InstallTarget[];
  params: number;
  /** Parameters active per token, for mixture-of-experts models. */
  activeParams?: number | undefined;
  contextLength: number | undefined;
  config: ModelConfig | undefined;
  profiles: readonly Profile[];
}): Fit[] {
  const contexts = FIT_CONTEXTS.filter((ctx) => ctx === 4096 || (input.contextLength ?? 0) >= ctx);
  const layers = (input.config && readDims(input.config)?.layers) || FALLBACK_LAYERS; // such rows say `basis: "heuristic"`
  const activeFraction =
    input.activeParams !== undefined && input.params > 0 ? Math.min(1, input.activeParams / input.params) : 1;
  return input.install.flatMap((target) =>
    contexts.map((contextLength) => {
      const memory = (ctx: number) =>
        estimateMemory({ fileBytes: target.fileBytes, contextLength: ctx, params: input.params, config: input.config });
      const estimate = memory(contextLength);
      // The speed is the mean over a conversation that fills the context: the KV cache read at half of it.
      const depth = contextLength / 2;
      const traffic: ModelTraffic = {
        weightsBytes: target.fileBytes,
        activeFraction,
        layers,
        kvBytesPerToken: memory(depth).kvCacheBytes / depth,
      };
      const fits = input.profiles.filter((p) => p.usableBytes >= estimate.memoryBytes);
      const tokensPerSecond: Record<string, number> = {};
      for (const p of fits) {
        const device = profileDevice(p);
        if (device) tokensPerSecond[p.id] = roundSpeed(decodeTokensPerSecond({ model: traffic, depth, device }));
      }
      const offload: NonNullable<Fit["offload"]> = {};
      for (const p of input.profiles) {
        if (fits.includes(p)) continue;
        const split = partialOffload(p, target.fileBytes, estimate, layers);
        const gpu = profileDevice(p);
        if (!split || !gpu || !p.host) continue;
        offload[p.id] = { gpuLayers: split.gpuLayers, totalLayers: layers };
        const cpu = { kind: "cpu" as const, bandwidthGBs: p.host.bandwidthGBs };
        tokensPerSecond[p.id] = roundSpeed(
          offloadTokensPerSecond({ model: traffic, depth, gpuLayers: split.gpuLayers, gpu, cpu }),
        );
      }
      return {
        quant: target.quant,
        contextLength,
        memoryBytes: estimate.memoryBytes,
        fits: fits.map((p) => p.id),
        kvCacheBytes: estimate.kvCacheBytes,
        basis: estimate.basis,
        tokensPerSecond,
        ...(Object.keys(offload).length > 0 ? { offload } : {}),
      };
    }),
  );
}

/**
 * A GPU profile that cannot hold the model runs it split, as Ollama does, when at least one whole layer fits in
 * VRAM beside the compute graph and runtime (the part of the memory estimate that is neither weights nor KV
 * cache) and the host's RAM holds the remaining layers. Weights and KV cache are spread evenly over the layers.
 */
function partialOffload(
  profile: Profile,
  fileBytes: number,
  estimate: { memoryBytes: number; kvCacheBytes: number },
  layers: number,
): { gpuLayers: number } | undefined {
  if (profile.kind !== "gpu" || !profile.host) return undefined;
  const split = splitLayers({
    totalLayers: layers,
    layerBytes: (fileBytes + estimate.kvCacheBytes) / layers,
    overheadBytes: estimate.memoryBytes - fileBytes - estimate.kvCacheBytes,
    gpuUsableBytes: [profile.usableBytes],
    hostUsableBytes: profile.host.usableBytes,
  });
  const gpuLayers = Math.min(split.gpuLayers, layers - 1);
  return gpuLayers >= 1 && split.hostFits ? { gpuLayers } : undefined;
}
