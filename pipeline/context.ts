/**
 * What every stage is given besides its data: the Hub client, the per-repo reads (cached by sha),
 * the run report with its per-candidate decisions, and a progress log. Stages read and write only
 * through it, so each one can be run on its own in a test.
 */
import type { HubClient } from "./hub/client.ts";
import type { RepoReads } from "./hub/repo-reads.ts";
import type { Decisions, RunReport } from "./run-report.ts";

export interface StageContext {
  hub: HubClient;
  repos: RepoReads;
  report: RunReport;
  decisions: Decisions;
  log: (line: string) => void;
  /** Whether requests carry a token (gated files are readable). */
  authorized: boolean;
}

/** A per-repo request failed: the repo is listed in the report's `skipped`, the run goes on. */
export function skip(ctx: Pick<StageContext, "report">, id: string, what: string, reason: string): void {
  if (ctx.report.skipped.some((s) => s.id === id && s.what === what)) return;
  ctx.report.skipped.push({ id, what, reason });
}
