/**
 * The one query over the catalogue: filter, search, fit a memory budget, sort. The CLI's `models`,
 * the HTTP API and the website's browse page all answer with this, so they always agree. Pure and
 * browser-safe: it takes entries (or the site's lighter rows), never touches the network or disk.
 */
import type { ModelEntry } from "../../../schema/index.ts";
import { type BestFit, bestFit, type Sizable } from "./best-fit.ts";
import type { MemoryBudget } from "./budgets.ts";

/** What the query reads of an entry. */
export type Queryable = Sizable &
  Pick<ModelEntry, "id" | "tier" | "tasks" | "downloads" | "createdAt"> &
  Partial<Pick<ModelEntry, "name" | "author" | "baseModel" | "architecture" | "license" | "gated">> & {
    params: { total: number };
  };

export const SORTS = ["downloads", "params", "params-asc", "newest", "name"] as const;
export type Sort = (typeof SORTS)[number];

export interface ModelQuery {
  tier?: string | undefined;
  task?: string | undefined;
  license?: string | undefined;
  /**
   * Words that must all match the id, name, author, base model or family; case, spaces, `.`, `-`,
   * `_` ignored. A size (`7b`, `0.5B`, `135m`) matches the parameter count within ±15 %, or the
   * same size named in the id: `qwen 7b` finds Qwen2.5-7B, not Qwen3-1.7B.
   */
  search?: string | undefined;
  /** Only models with a quant that fits one of these budgets (fastest first). */
  budgets?: readonly MemoryBudget[] | undefined;
  /** Context length the fit is computed at (default 4096). */
  contextLength?: number | undefined;
  /** Only models that have an install target. */
  installable?: boolean | undefined;
  sort?: Sort | undefined;
  limit?: number | undefined;
}

export interface ModelMatch<M extends Queryable = ModelEntry> {
  model: M;
  /** The best quant that fits, when `budgets` was given. */
  fit?: BestFit<M["install"][number]>;
}

/** `Qwen2.5-7B` → `qwen257b`: what search compares, so `qwen 7b`, `gemma3` and `phi3` find what people mean. */
export const searchKey = (text: string) => text.toLowerCase().replace(/[\s._\-/]+/g, "");

/** The text a search looks in, already folded; computed once per entry by callers that query often. */
export function searchText(m: Queryable): string {
  return [m.id, m.name, m.author, m.baseModel, m.architecture]
    .filter(Boolean)
    .map((s) => searchKey(s as string))
    .join(" ");
}

const SIZE_TERM = /^(\d+(?:\.\d+)?)([mb])$/i;
const SIZE_TOLERANCE = 0.15;

/** A search word as a test of one entry: a size against the parameter count, any other word against the text. */
function matcher(word: string): (m: Queryable, haystack: string) => boolean {
  const size = SIZE_TERM.exec(word);
  if (!size) {
    const key = searchKey(word);
    return (_m, haystack) => haystack.includes(key);
  }
  const count = Number(size[1]) * ((size[2] as string).toLowerCase() === "b" ? 1e9 : 1e6);
  // The same size as a whole token of the id or name (`gemma-7b` is 8.5B by count, 7B by name).
  const token = new RegExp(`(^|[^0-9.])${word.toLowerCase().replace(".", "\\.")}(?![0-9a-z])`);
  return (m) =>
    Math.abs(m.params.total - count) <= SIZE_TOLERANCE * count ||
    token.test(m.id.toLowerCase()) ||
    token.test((m.name ?? "").toLowerCase());
}

const compare: Record<Sort, (a: Queryable, b: Queryable) => number> = {
  downloads: (a, b) => b.downloads - a.downloads,
  params: (a, b) => b.params.total - a.params.total,
  "params-asc": (a, b) => a.params.total - b.params.total,
  newest: (a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0),
  name: () => 0,
};
const byId = (a: Queryable, b: Queryable) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function queryModels<M extends Queryable>(
  models: readonly M[],
  query: ModelQuery = {},
  text: (m: M) => string = searchText,
): ModelMatch<M>[] {
  const words = (query.search ?? "")
    .split(/\s+/)
    .filter((w) => searchKey(w))
    .map(matcher);
  const contextLength = query.contextLength ?? 4096;
  const out: ModelMatch<M>[] = [];
  for (const model of models) {
    if (query.tier && model.tier !== query.tier) continue;
    if (query.task && !model.tasks.includes(query.task)) continue;
    if (query.license && model.license !== query.license) continue;
    if (query.installable && model.install.length === 0) continue;
    if (words.length) {
      const haystack = text(model);
      if (!words.every((w) => w(model, haystack))) continue;
    }
    if (query.budgets) {
      const fit = bestFit(model, query.budgets, contextLength);
      if (!fit) continue;
      out.push({ model, fit });
    } else out.push({ model });
  }
  const order = compare[query.sort ?? "downloads"];
  out.sort((a, b) => order(a.model, b.model) || byId(a.model, b.model));
  return query.limit === undefined ? out : out.slice(0, query.limit);
}
