/**
 * `recommend` as data for programs (CLI `--json`, the HTTP API, MCP, the dashboard): the hardware
 * it planned for, which index, and each pick with the quant that fits, its ref and why.
 */
import type { Index, ModelEntry, Profile } from "../../../schema/index.ts";
import type { IndexResult, IndexSource } from "../catalog/get-index.ts";
import { budgetsForFits, checkTier } from "../catalog/model-filters.ts";
import type { MemoryBudget } from "../core/budgets.ts";
import { detectHardware, type Hardware } from "../hardware/detect-hardware.ts";
import { recommend } from "./recommend.ts";

export interface RecommendReportOptions {
  tier?: string | undefined;
  task?: string | undefined;
  contextLength?: number | undefined;
  /** Plan for a profile id or GB of GPU memory instead of this machine (`auto` = this machine). */
  fits?: string | undefined;
  limit?: number | undefined;
  /** Hardware detection, injectable for tests. */
  hardware?: () => Promise<Hardware>;
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
  why: string;
}

export interface RecommendReport {
  hardware: Hardware;
  /** What was planned for: the detected machine, or the `fits` the caller gave. */
  plannedFor: { fits: string; budgets: MemoryBudget[] } | { fits: "auto"; budgets?: undefined };
  contextLength: number;
  index: { version: string; source: IndexSource; models: number };
  /** The index's hardware profiles, for a caller that offers "plan for another machine". */
  profiles: Pick<Profile, "id" | "label">[];
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
  const picks = recommend(index, hardware, {
    tier: options.tier,
    task: options.task,
    contextLength,
    budget: budgets?.[0],
    limit: options.limit,
  });
  return {
    hardware,
    plannedFor: fits && budgets ? { fits, budgets } : { fits: "auto" },
    contextLength,
    index: { version: index.version, source: result.source, models: index.models.length },
    profiles: index.profiles.map((p) => ({ id: p.id, label: p.label })),
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
      why: p.why,
    })),
  };
}
