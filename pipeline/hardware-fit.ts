/**
 * Stage 7, hardware fit: memory per quant at the context Ollama runs by default (4096 tokens below 24 GiB of
 * VRAM), and at 32768 — what it runs from 24 GiB — when the model supports that much; and the
 * hardware profiles each fits. The memory model is in model-config/memory.ts.
 */
import type { Fit, InstallTarget, Profile } from "../schema/index.ts";
import type { ModelConfig } from "./model-config/dims.ts";
import { estimateMemory } from "./model-config/memory.ts";

export const FIT_CONTEXTS = [4096, 32768] as const;

export function hardwareFit(input: {
  install: InstallTarget[];
  params: number;
  contextLength: number | undefined;
  config: ModelConfig | undefined;
  profiles: readonly Profile[];
}): Fit[] {
  const contexts = FIT_CONTEXTS.filter((ctx) => ctx === 4096 || (input.contextLength ?? 0) >= ctx);
  return input.install.flatMap((target) =>
    contexts.map((contextLength) => {
      const estimate = estimateMemory({
        fileBytes: target.fileBytes,
        contextLength,
        params: input.params,
        config: input.config,
      });
      return {
        quant: target.quant,
        contextLength,
        memoryBytes: estimate.memoryBytes,
        fits: input.profiles.filter((p) => p.usableBytes >= estimate.memoryBytes).map((p) => p.id),
        kvCacheBytes: estimate.kvCacheBytes,
        basis: estimate.basis,
      };
    }),
  );
}
