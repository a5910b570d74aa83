/**
 * The catalogue filters every front end takes (CLI flags, HTTP query parameters, MCP tool
 * arguments), checked against the index they apply to: a tier or a `fits` value the index does not
 * know is a typo, reported with what it takes, never an empty result.
 */
import type { Index } from "../../../schema/index.ts";
import { budgetFromFits, type MemoryBudget, memoryBudgets } from "../core/budgets.ts";
import { InvalidArgumentError } from "../errors/index.ts";
import { detectHardware, type Hardware } from "../hardware/detect-hardware.ts";

/** The task tags the index documents (not the agent layer's delegation tasks, which are TASKS). */
export const TASK_TAGS = [
  "chat",
  "code",
  "reasoning",
  "math",
  "tools",
  "vision",
  "audio",
  "multilingual",
  "base",
  "guard",
] as const;

/** Throws unless the tier is one of the index's (or absent). `label` names the field in the message (`--tier`). */
export function checkTier(index: Pick<Index, "tiers">, tier: string | undefined, label = "tier"): void {
  if (tier && !index.tiers.some((t) => t.id === tier))
    throw new InvalidArgumentError(`${label} takes one of ${index.tiers.map((t) => t.id).join(", ")}, not "${tier}"`);
}

/**
 * The memory budgets a `fits` value stands for: `auto` (this machine, detected), a profile id of the
 * index, or GB of GPU memory. Undefined when no `fits` was given.
 */
export async function budgetsForFits(
  index: Pick<Index, "profiles">,
  fits: string | undefined,
  options: { label?: string; hardware?: () => Promise<Hardware> } = {},
): Promise<MemoryBudget[] | undefined> {
  if (fits === undefined) return undefined;
  if (fits === "auto") return memoryBudgets(await (options.hardware ?? detectHardware)());
  const budget = budgetFromFits(index, fits);
  if (!budget)
    throw new InvalidArgumentError(
      `${options.label ?? "fits"} takes "auto", a profile id (${index.profiles.map((p) => p.id).join(", ")}) or a size in GB, not "${fits}"`,
    );
  return [budget];
}
