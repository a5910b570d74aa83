/** What a run did, for stderr and `--json`: counts per stage, drops by reason, requests, time. */
export interface RunReport {
  status: "written" | "unchanged" | "guarded" | "failed";
  version?: string;
  outDir: string;
  candidates: number;
  routes: Record<string, number>;
  classified: number;
  entries: number;
  byTier: Record<string, number>;
  dropped: Record<string, number>;
  /** Repos a per-repo request failed for, and why (gated, not-found, http-500, …). */
  skipped: { id: string; what: string; reason: string }[];
  requests: { api: number; resolvers: number; total: number; retries: number };
  cache: { hits: number; misses: number };
  durationMs: number;
  message?: string;
}

export function newReport(outDir: string): RunReport {
  return {
    status: "failed",
    outDir,
    candidates: 0,
    routes: {},
    classified: 0,
    entries: 0,
    byTier: {},
    dropped: {},
    skipped: [],
    requests: { api: 0, resolvers: 0, total: 0, retries: 0 },
    cache: { hits: 0, misses: 0 },
    durationMs: 0,
  };
}

export function countDrop(report: RunReport, reason: string, n = 1): void {
  report.dropped[reason] = (report.dropped[reason] ?? 0) + n;
}

export function formatReport(r: RunReport): string {
  const lines = [
    `status:     ${r.status}${r.version ? ` (${r.version})` : ""} → ${r.outDir}`,
    `candidates: ${r.candidates} (${Object.entries(r.routes)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")})`,
    `kept:       ${r.entries} entries (${Object.entries(r.byTier)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")})`,
    `dropped:    ${
      Object.entries(r.dropped)
        .sort(([, a], [, b]) => b - a)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ") || "none"
    }`,
    `skipped:    ${r.skipped.length} repo requests (${[...new Set(r.skipped.map((s) => s.reason))].join(", ") || "none"})`,
    `requests:   ${r.requests.total} (api ${r.requests.api}, resolvers ${r.requests.resolvers}), ${r.requests.retries} retries; cache ${r.cache.hits} hits / ${r.cache.misses} misses`,
    `time:       ${(r.durationMs / 1000).toFixed(1)} s`,
  ];
  if (r.message) lines.push(`note:       ${r.message}`);
  return lines.join("\n");
}
