/**
 * `recommend` as data for programs (CLI `--json`, the HTTP API, MCP, the dashboard): the hardware
 * it planned for and how fast its memory is read, which index, and each pick with the quant to run,
 * its ref, the memory it needs, the download, its tokens/s (measured here or estimated) and why.
 */
import type { Index, ModelEntry, Profile } from "../../../schema/index.ts";
import { roundSpeed } from "../../../schema/speed.ts";
import type { MeasuredHere } from "../agent/measured-runs.ts";
import type { IndexResult, IndexSource } from "../catalog/get-index.ts";
import { budgetsForFits, checkTier } from "../catalog/model-filters.ts";
import { type BandwidthSource, type MemoryBudget, memoryBudgets } from "../core/budgets.ts";
import { DEFAULT_MIN_SPEED, PROMPT_TOKENS } from "../core/estimate-speed.ts";
import { detectHardware, type Hardware } from "../hardware/detect-hardware.ts";
import { type Calibration, calibrateBudgets, measuredLookup } from "./calibrate.ts";
import { recommend } from "./recommend.ts";

export interface RecommendReportOptions {
  tier?: string | undefined;
  task?: string | undefined;
  contextLength?: number | undefined;
  /** Plan for a profile id or GB of GPU memory instead of this machine (`auto` = this machine). */
  fits?: string | undefined;
  limit?: number | undefined;
  /** Tokens/s a model must reach to be usable here (default 8); slower ones are ranked last. */
  minSpeed?: number | undefined;
  /** Hardware detection, injectable for tests. */
  hardware?: () => Promise<Hardware>;
  /** What was measured on this machine (Router.measuredHere); used only when planning for this machine. */
  measured?: (hardware: Hardware) => MeasuredHere;
}

export interface RecommendationRow {
  id: string;
  name: string;
  tier: string;
  params: ModelEntry["params"];
  downloads: number;
  tasks: string[];
  quant: string;
  ref: string;
  fileBytes: number | undefined;
  memoryBytes: number;
  budget: MemoryBudget;
  /** Decode tokens/s here at the planned context (two significant digits); absent when the bandwidth is unknown. */
  tokensPerSecond?: number;
  /** Whether `tokensPerSecond` was `measured` on this machine or `estimated`. */
  source?: "measured" | "estimated";
  /** Seconds before the first token of a 2,000-token prompt (estimated). */
  firstTokenSeconds?: number;
  /** Layers on the GPU when only part of the model fits in VRAM. */
  offload?: { gpuLayers: number; totalLayers: number };
  /** Reaches the speed floor (rows below it come last). */
  usable: boolean;
  why: string;
}

/** How fast each budget's memory is read, and what the speeds assume. */
export interface SpeedBasis {
  minSpeed: number;
  /** The prompt that `firstTokenSeconds` is for. */
  promptTokens: number;
  devices: { budget: string; bandwidthGBs: number; source: BandwidthSource; basis: string }[];
  /** Devices re-fitted from two or more models measured here. */
  calibrations: Calibration[];
}

export interface RecommendReport {
  hardware: Hardware;
  /** What was planned for: the detected machine, or the `fits` the caller gave. */
  plannedFor: { fits: string; budgets: MemoryBudget[] } | { fits: "auto"; budgets?: undefined };
  contextLength: number;
  index: { version: string; source: IndexSource; models: number };
  /** The index's hardware profiles, for a caller that offers "plan for another machine". */
  profiles: Pick<Profile, "id" | "label">[];
  speed: SpeedBasis;
  recommendations: RecommendationRow[];
}

export async function recommendReport(
  result: Pick<IndexResult, "index" | "source">,
  options: RecommendReportOptions = {},
): Promise<RecommendReport> {
  const index: Index = result.index;
  checkTier(index, options.tier);
  const hardware = await (options.hardware ?? detectHardware)();
  const fits = options.fits && options.fits !== "auto" ? options.fits : undefined;
  const budgets = await budgetsForFits(index, fits);
  const contextLength = options.contextLength ?? 4096;
  const minSpeed = options.minSpeed ?? DEFAULT_MIN_SPEED;
  // Measured speeds and the constants fitted from them belong to this machine, not to one a user names.
  const here = budgets ? undefined : options.measured?.(hardware);
  const calibrated = here ? calibrateBudgets(memoryBudgets(hardware), here.runs, index) : undefined;
  const planned = budgets ?? calibrated?.budgets ?? memoryBudgets(hardware);
  const picks = recommend(index, hardware, {
    tier: options.tier,
    task: options.task,
    contextLength,
    budgets: planned,
    limit: options.limit,
    minSpeed,
    measured: measuredLookup(here?.speeds),
  });
  return {
    hardware,
    plannedFor: fits && budgets ? { fits, budgets } : { fits: "auto" },
    contextLength,
    index: { version: index.version, source: result.source, models: index.models.length },
    profiles: index.profiles.map((p) => ({ id: p.id, label: p.label })),
    speed: {
      minSpeed,
      promptTokens: PROMPT_TOKENS,
      devices: planned.flatMap((b) =>
        b.device
          ? [{ budget: b.label, bandwidthGBs: b.device.bandwidthGBs, source: b.device.source, basis: b.device.basis }]
          : [],
      ),
      calibrations: calibrated?.calibrations ?? [],
    },
    recommendations: picks.map((p) => ({
      id: p.model.id,
      name: p.model.name,
      tier: p.model.tier,
      params: p.model.params,
      downloads: p.model.downloads,
      tasks: p.model.tasks,
      quant: p.install.quant,
      ref: p.install.ref,
      fileBytes: p.install.fileBytes,
      memoryBytes: p.memoryBytes,
      budget: p.budget,
      ...(p.speed
        ? {
            tokensPerSecond: roundSpeed(p.speed.tokensPerSecond),
            source: p.speed.source,
            firstTokenSeconds: Math.round(p.speed.firstTokenSeconds * 10) / 10,
            ...(p.speed.offload ? { offload: p.speed.offload } : {}),
          }
        : {}),
      usable: p.usable,
      why: p.why,
    })),
  };
}
