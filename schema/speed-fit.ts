/**
 * Re-fit a device's two constants from tokens/s measured on it (speed.md §7.3), so that models not yet run
 * here are estimated from this machine's behaviour rather than the backend's defaults.
 *
 * Each run i gives 1/tps_i = layers_i · perLayer + bytes_i / (efficiency · bandwidth): linear in the two
 * unknowns. A single multiplicative correction (llmfit's median ratio) cannot do this: the error of an
 * uncalibrated estimate comes mostly from the fixed per-layer term, which a ratio scales the wrong way.
 */
import { bytesPerToken, DEFAULT_CONSTANTS, type DeviceConstants, type DeviceKind, type ModelTraffic } from "./speed.ts";

/** One measured decode: a warm run, batch 1, the whole model on this one device. */
export interface MeasuredRun {
  model: ModelTraffic;
  /** Mean tokens in the context while generating (prompt + half the generated tokens). */
  depth: number;
  tokensPerSecond: number;
}

export interface FittedConstants extends DeviceConstants {
  /**
   * `both`: both constants fitted (runs of different sizes); `efficiency`: too few or too alike runs to separate
   * the two, so the per-layer cost kept its default and only the efficiency was fitted; `default`: no usable run.
   */
  fitted: "both" | "efficiency" | "default";
  /** Runs used. */
  runs: number;
}

/** The bounds of speed.md §7.3: fixed time per token 0–20 ms, effective bandwidth 0.2–1.1 × spec. */
const MAX_FIXED_SECONDS = 0.02;
const EFFICIENCY_RANGE = [0.2, 1.1] as const;
/**
 * Below this the runs barely differ in how their time splits between the two terms (same model, or sizes
 * within a few per cent of each other), and a two-constant fit would only amplify noise.
 */
const MIN_INDEPENDENCE = 0.01;

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/**
 * Least squares on relative error (each run weighted by 1/time², so a 300 tok/s run counts as much as a 5 tok/s
 * one), within the bounds above. Needs runs spanning about 2× in bytes per token to fit both constants
 * (e.g. a ~0.5–1B and a ~3–4B model); with fewer it fits the efficiency only.
 */
export function fitDeviceConstants(input: {
  device: { kind: DeviceKind; bandwidthGBs: number };
  runs: readonly MeasuredRun[];
}): FittedConstants {
  const defaults = DEFAULT_CONSTANTS[input.device.kind];
  const bandwidth = input.device.bandwidthGBs * 1e9;
  const points = input.runs
    .filter((r) => Number.isFinite(r.tokensPerSecond) && r.tokensPerSecond > 0 && r.model.layers > 0)
    .map((r) => ({ layers: r.model.layers, bytes: bytesPerToken(r.model, r.depth), seconds: 1 / r.tokensPerSecond }));
  if (points.length === 0 || !(bandwidth > 0)) return { ...defaults, fitted: "default", runs: 0 };

  // Normal equations of min Σ w (y − c·L − k·x)², w = 1/y², with k = 1/(efficiency · bandwidth).
  let sLL = 0;
  let sLx = 0;
  let sxx = 0;
  let sLy = 0;
  let sxy = 0;
  for (const p of points) {
    const w = 1 / (p.seconds * p.seconds);
    sLL += w * p.layers * p.layers;
    sLx += w * p.layers * p.bytes;
    sxx += w * p.bytes * p.bytes;
    sLy += w * p.layers * p.seconds;
    sxy += w * p.bytes * p.seconds;
  }
  const maxLayerSeconds = MAX_FIXED_SECONDS / Math.max(...points.map((p) => p.layers));
  const kFor = (c: number) => (sxy - c * sLx) / sxx;
  const cFor = (k: number) => (sLy - k * sLx) / sLL;
  const kBounds = [1 / (EFFICIENCY_RANGE[1] * bandwidth), 1 / (EFFICIENCY_RANGE[0] * bandwidth)] as const;
  const result = (c: number, k: number, fitted: FittedConstants["fitted"]): FittedConstants => ({
    efficiency: 1 / (k * bandwidth),
    layerSeconds: c,
    fitted,
    runs: points.length,
  });

  const det = sLL * sxx - sLx * sLx;
  if (points.length >= 2 && det > MIN_INDEPENDENCE * sLL * sxx) {
    let c = (sLy * sxx - sLx * sxy) / det;
    let k = (sLL * sxy - sLx * sLy) / det;
    // Outside the bounds: fix the offending constant at its bound and re-fit the other, then bound that too.
    if (c < 0 || c > maxLayerSeconds) {
      c = clamp(c, 0, maxLayerSeconds);
      k = clamp(kFor(c), ...kBounds);
    } else if (k < kBounds[0] || k > kBounds[1]) {
      k = clamp(k, ...kBounds);
      c = clamp(cFor(k), 0, maxLayerSeconds);
    }
    return result(c, k, "both");
  }

  // One run (or alike runs): keep the default per-layer cost unless a run is faster than that cost alone allows.
  const fastest = Math.min(...points.map((p) => p.seconds / p.layers));
  let c = defaults.layerSeconds;
  while (c >= fastest) c /= 2;
  return result(c, clamp(kFor(c), ...kBounds), "efficiency");
}
