/**
 * GGUF quants from best to worst output quality, for choosing "the best quant that fits".
 * Full-precision files come last: a Q8_0 is nearly indistinguishable at half the size, so nobody
 * who can fit F16 should be pointed at it before Q8_0. Unknown labels rank with Q2_K.
 */
export const QUANT_QUALITY = [
  "Q8_0",
  "Q6_K",
  "Q5_K_M",
  "Q5_K_S",
  "Q5_0",
  "Q4_K_M",
  "Q4_K_S",
  "IQ4_XS",
  "IQ4_NL",
  "Q4_0",
  "Q3_K_L",
  "Q3_K_M",
  "IQ3_M",
  "Q3_K_S",
  "IQ3_XS",
  "Q2_K",
  "BF16",
  "F16",
  "F32",
] as const;

/** Lower is better. */
export function quantRank(quant: string): number {
  const i = (QUANT_QUALITY as readonly string[]).indexOf(quant.replace(/^UD-/, ""));
  return i === -1 ? QUANT_QUALITY.indexOf("Q2_K") : i;
}
