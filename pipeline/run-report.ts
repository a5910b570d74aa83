/**
 * What a run did, for stderr and `--json`: counts per stage, drops by reason, requests, time; and,
 * for `--report FILE`, every candidate's decision (an entry, folded into another, or dropped and why).
 */
import { compareText } from "./canonical-json.ts";

/**
 * One candidate's fate, one JSON line each in `--report FILE`, with the rule that decided it: why
 * an entry was kept (`reason`, `detail`), what folded a copy (`detail`), why a repo was dropped.
 */
export type Decision = { id: string; routes: string[] } & (
  | { decision: "entry"; tier: string; reason?: string; detail?: string }
  | { decision: "folded"; into: string; relation: string; detail?: string }
  | { decision: "dropped"; reason: string; detail?: string }
);
export type DecisionInput = Decision extends infer D ? (D extends unknown ? Omit<D, "id" | "routes"> : never) : never;

export interface RouteCount {
  /** Repos this route listed, above the popularity floor. Routes overlap, so these add up to more than the candidates. */
  listed: number;
  /** Candidates no other route found. */
  only: number;
}

export interface RunReport {
  status: "written" | "unchanged" | "guarded" | "failed";
  version?: string;
  outDir: string;
  /** Distinct repos the routes found. */
  candidates: number;
  routes: Record<string, RouteCount>;
  /** Candidates that classify as LLMs. */
  classified: number;
  entries: number;
  byTier: Record<string, number>;
  /** Candidates not indexed, by reason (folded copies are not drops: they are listed as variants). */
  dropped: Record<string, number>;
  /** Candidates folded into another entry, by relation. */
  folded: Record<string, number>;
  /** Repos a per-repo request failed for, and why (gated, not-found, http-500, …). */
  skipped: { id: string; what: string; reason: string }[];
  requests: { api: number; resolvers: number; total: number; retries: number };
  /** `stale`: reads that failed this run and were answered from an earlier revision's cache entry. */
  cache: { hits: number; misses: number; stale?: number };
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
    folded: {},
    skipped: [],
    requests: { api: 0, resolvers: 0, total: 0, retries: 0 },
    cache: { hits: 0, misses: 0, stale: 0 },
    durationMs: 0,
  };
}

export function countDrop(report: RunReport, reason: string, n = 1): void {
  report.dropped[reason] = (report.dropped[reason] ?? 0) + n;
}

/** Records decisions; the last one recorded for a repo wins (a later stage knows more). */
export class Decisions {
  private readonly byId = new Map<string, DecisionInput>();
  /** Hub ids are case-insensitive; tags sometimes spell a base differently. */
  private readonly ids = new Map<string, string>();
  constructor(
    private readonly report: RunReport,
    private readonly routesOf: (id: string) => string[] = () => [],
  ) {}

  drop(id: string, reason: string, detail?: string): void {
    this.undo(id);
    countDrop(this.report, reason);
    this.byId.set(id, { decision: "dropped", reason, ...(detail ? { detail } : {}) });
  }

  fold(id: string, into: string, relation: string, detail?: string): void {
    this.undo(id);
    this.report.folded[relation] = (this.report.folded[relation] ?? 0) + 1;
    this.byId.set(id, { decision: "folded", into, relation, ...(detail ? { detail } : {}) });
  }

  entry(id: string, tier: string, why?: { reason: string; detail: string }): void {
    this.undo(id);
    this.byId.set(id, { decision: "entry", tier, ...(why ? { reason: why.reason, detail: why.detail } : {}) });
  }

  get(id: string): DecisionInput | undefined {
    return this.byId.get(this.ids.get(id.toLowerCase()) ?? id);
  }

  private undo(id: string) {
    this.ids.set(id.toLowerCase(), id);
    const was = this.byId.get(id);
    if (was?.decision === "dropped") {
      const n = (this.report.dropped[was.reason] ?? 1) - 1;
      if (n > 0) this.report.dropped[was.reason] = n;
      else delete this.report.dropped[was.reason];
    } else if (was?.decision === "folded") {
      const n = (this.report.folded[was.relation] ?? 1) - 1;
      if (n > 0) this.report.folded[was.relation] = n;
      else delete this.report.folded[was.relation];
    }
  }

  /** Every decision, sorted by id, one JSON object a line. */
  toJsonl(): string {
    return [...this.byId.entries()]
      .sort(([a], [b]) => compareText(a, b))
      .map(([id, d]) => `${JSON.stringify({ id, routes: this.routesOf(id), ...d })}\n`)
      .join("");
  }
}

const counts = (record: Record<string, number>) =>
  Object.entries(record)
    .sort(([ka, a], [kb, b]) => b - a || compareText(ka, kb))
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");

/** The first few skipped repos by name, then how many more. */
function skippedLine(skipped: RunReport["skipped"], show = 3): string {
  if (skipped.length === 0) return "none";
  const named = skipped.slice(0, show).map((s) => `${s.id} (${s.what}: ${s.reason})`);
  const more = skipped.length - named.length;
  return `${skipped.length} repo requests — ${named.join(", ")}${more > 0 ? ` and ${more} more (--json lists them all)` : ""}`;
}

export function formatReport(r: RunReport): string {
  const routes = Object.entries(r.routes)
    .map(([k, v]) => `${k} ${v.listed} (${v.only} only there)`)
    .join(", ");
  const lines = [
    `status:     ${r.status}${r.version ? ` (${r.version})` : ""} → ${r.outDir}`,
    `candidates: ${r.candidates} distinct repos; listed per route, overlapping: ${routes || "none"}`,
    `kept:       ${r.entries} entries (${counts(r.byTier)}) from ${r.classified} LLM repos`,
    `folded:     ${counts(r.folded) || "none"}`,
    `dropped:    ${counts(r.dropped) || "none"}`,
    `skipped:    ${skippedLine(r.skipped)}`,
    `requests:   ${r.requests.total} (api ${r.requests.api}, resolvers ${r.requests.resolvers}), ${r.requests.retries} retries; cache ${r.cache.hits} hits / ${r.cache.misses} misses${r.cache.stale ? ` / ${r.cache.stale} failed reads answered from an earlier revision` : ""}`,
    `time:       ${(r.durationMs / 1000).toFixed(1)} s`,
  ];
  if (r.message) lines.push(`note:       ${r.message}`);
  return lines.join("\n");
}
