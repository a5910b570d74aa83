import type { Tier } from "./index.ts";

/**
 * The size tiers, defined once. Bounds are inclusive parameter counts.
 * `1b-8b` runs to 8.6e9 so the nominal-8B class stays in it (Llama-3.1-8B 8.03e9, Qwen3-8B 8.19e9,
 * gemma-7b 8.54e9) while the 9B class (gemma-2-9b 9.24e9, GLM-4-9B 9.4e9, the smallest near 8.8e9)
 * stays out. Mixture-of-experts models tier by total parameters: that is what memory must hold.
 */
export const TIERS: readonly Tier[] = [
  { id: "sub-1b", label: "Below 1B parameters", minParams: 0, maxParams: 999_999_999 },
  { id: "1b-8b", label: "1B to 8B parameters", minParams: 1_000_000_000, maxParams: 8_600_000_000 },
];

/** The tier a total parameter count falls in, or undefined when it is out of scope. */
export function tierFor(totalParams: number, tiers: readonly Tier[] = TIERS): Tier | undefined {
  return tiers.find((t) => totalParams >= t.minParams && totalParams <= t.maxParams);
}
