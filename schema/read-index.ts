/**
 * The tolerant reader every consumer uses (client, site, dataset tools). An index may come from a
 * newer pipeline than the reader: it may add fields (kept as they are), and values to the closed
 * vocabularies — a runtime, a count source, a fit basis. Such a value drops only what carries it
 * (the install target, the fit row, the variant, the entry), with a warning, and the rest of the
 * index is used. What is malformed rather than new (a ref with shell characters, a count that is
 * not a number, a schemaVersion this reader does not speak) still rejects the whole index.
 */
import { defineSchemas } from "./entry.ts";
import type { Fit, Index, InstallTarget, ModelEntry } from "./index.ts";
import { parseWith, SchemaValidationError } from "./parse.ts";
import { FIT_BASES, PARAM_SOURCES, PROFILE_KINDS, RUNTIMES, VARIANT_RELATIONS } from "./vocabulary.ts";

/** The reader's shapes: open vocabularies, unknown fields kept; the published JSON Schema is made from these. */
export const ReaderSchemas = defineSchemas("read");

export interface ReadIndexResult {
  index: Index;
  /** What was dropped and why, one line per kind of drop (counted), for the reader to log. */
  warnings: string[];
}

const known = (values: readonly string[]) => (value: string | undefined) =>
  value === undefined || values.includes(value);

export function readIndex(data: unknown, what = "index"): ReadIndexResult {
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  // A later schema is no broken index: the reader is too old, and updating fixes it.
  if (typeof version === "number" && Number.isInteger(version) && version > 1)
    throw new SchemaValidationError(what, [
      {
        path: "schemaVersion",
        message: `v${version} is newer than this small-llm reads (v1): update small-llm (npm i -g small-llm@latest)`,
      },
    ]);
  const parsed = parseWith(ReaderSchemas.Index, data, what) as unknown as Index;
  const dropped = new Map<string, number>();
  const drop = (reason: string) => dropped.set(reason, (dropped.get(reason) ?? 0) + 1);

  const profiles = parsed.profiles.filter((p) => known(PROFILE_KINDS)(p.kind) || void drop(`profile kind "${p.kind}"`));
  const profileIds = new Set(profiles.map((p) => p.id));
  const tiers = new Map(parsed.tiers.map((t) => [t.id, t]));
  const seen = new Set<string>();
  const models: ModelEntry[] = [];
  for (const m of parsed.models) {
    const tier = tiers.get(m.tier);
    if (!known(PARAM_SOURCES)(m.params.source)) drop(`entry with params.source "${m.params.source}"`);
    else if (!tier) drop(`entry in tier "${m.tier}"`);
    else if (seen.has(m.id)) drop("entry with a duplicate id");
    else {
      seen.add(m.id);
      models.push(readEntry(m, profileIds, drop));
    }
  }
  const warnings = [...dropped].map(
    ([reason, n]) =>
      `${what}: ignored ${n} ${reason.replace(/^(entry|profile|install target|fit row|variant)/, (w) => (n === 1 ? w : plural(w)))} unknown to this client (a newer index); update small-llm to use them`,
  );
  return { index: { ...parsed, profiles, models }, warnings };
}

function plural(word: string): string {
  return word === "entry" ? "entries" : `${word}s`;
}

function readEntry(m: ModelEntry, profileIds: Set<string>, drop: (reason: string) => void): ModelEntry {
  const variants = m.variants.filter(
    (v) => known(VARIANT_RELATIONS)(v.relation) || void drop(`variant with relation "${v.relation}"`),
  );
  const install = m.install.filter(
    (t) => known(RUNTIMES)(t.runtime) || void drop(`install target for runtime "${t.runtime}"`),
  );
  const quants = new Set(install.map((t) => t.quant));
  const fit = m.fit
    .filter((f) => known(FIT_BASES)(f.basis) || void drop(`fit row with basis "${f.basis}"`))
    .filter((f) => quants.has(f.quant))
    .map((f) => withKnownProfiles(f, profileIds));
  return { ...m, variants, install: withOneDefault(install), fit };
}

/** A fit row refers to profiles in `fits`, `tokensPerSecond` and `offload`: keep only those this index still has. */
function withKnownProfiles(f: Fit, profileIds: Set<string>): Fit {
  const keys = [...f.fits, ...Object.keys(f.tokensPerSecond ?? {}), ...Object.keys(f.offload ?? {})];
  if (keys.every((p) => profileIds.has(p))) return f;
  const known = <T>(record: Record<string, T> | undefined) =>
    record && Object.fromEntries(Object.entries(record).filter(([p]) => profileIds.has(p)));
  const out: Fit = { ...f, fits: f.fits.filter((p) => profileIds.has(p)) };
  if (f.tokensPerSecond) out.tokensPerSecond = known(f.tokensPerSecond);
  if (f.offload) out.offload = known(f.offload);
  return out;
}

/** Installers need one default: when the default was dropped (or two are marked), pick as the writer does. */
function withOneDefault(install: InstallTarget[]): InstallTarget[] {
  const defaults = install.filter((t) => t.default);
  if (install.length === 0 || defaults.length === 1) return install;
  const pick = defaults[0] ?? install.find((t) => t.quant === "Q4_K_M") ?? install[0];
  return install.map((t) => (t.default === (t === pick) ? t : { ...t, default: t === pick }));
}
