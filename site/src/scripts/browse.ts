/**
 * Client-side filtering and sorting of the browse table, with no framework: every row is rendered
 * at build time (the page works without JavaScript); this reads their data attributes once, then
 * on each change filters and sorts them in memory and puts the first PAGE matches in the table,
 * filling the "best quant that fits" cell. Laying out only what is shown keeps a change under
 * 50 ms with thousands of models. The filter state lives in the URL query.
 */
import { usableBytes } from "../../../schema/profiles.ts";
import { bytes } from "../lib/format.ts";

interface Row {
  el: HTMLTableRowElement;
  cell: HTMLTableCellElement;
  defaultText: string;
  text: string;
  tier: string;
  license: string;
  tasks: string[];
  downloads: number;
  params: number;
  created: string;
  /** Quants best-first with their memory at 4096 tokens. */
  fit: [string, number][];
}

const GiB = 1024 ** 3;
const PAGE = 100;
const FIELDS = ["q", "tier", "hw", "gb", "kind", "license", "task", "sort"] as const;

export function initBrowse(): void {
  const form = document.getElementById("filters") as HTMLFormElement | null;
  const tbody = document.querySelector<HTMLTableSectionElement>("#models tbody");
  if (!form || !tbody) return;
  const status = document.getElementById("count") as HTMLElement;
  const fitHead = document.getElementById("fit-head") as HTMLElement;
  const custom = form.querySelector<HTMLFieldSetElement>("fieldset.custom") as HTMLFieldSetElement;
  const profiles = JSON.parse(document.getElementById("profiles")?.textContent ?? "[]") as {
    id: string;
    label: string;
    usable: number;
  }[];
  const rows: Row[] = [...tbody.rows].map((el) => {
    const d = el.dataset;
    const cell = el.querySelector<HTMLTableCellElement>("td.fit") as HTMLTableCellElement;
    return {
      el,
      cell,
      defaultText: cell.textContent ?? "",
      text: `${d.id ?? ""} ${d.base ?? ""}`,
      tier: d.tier ?? "",
      license: d.license ?? "",
      tasks: (d.tasks ?? "").split(" "),
      downloads: Number(d.downloads),
      params: Number(d.params),
      created: d.created ?? "",
      fit: (d.fit ?? "")
        .split(" ")
        .filter(Boolean)
        .map((pair) => {
          const [quant, memory] = pair.split(":");
          return [quant as string, Number(memory)] as [string, number];
        }),
    };
  });
  const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
  let order = "downloads";
  const more = document.getElementById("more") as HTMLButtonElement;

  function budget(): number | undefined {
    const hw = field("hw")?.value;
    if (!hw) return undefined;
    if (hw === "custom") {
      const gb = Number(field("gb")?.value);
      const kind = (field("kind")?.value ?? "gpu") as "gpu" | "cpu" | "unified";
      return Number.isFinite(gb) && gb > 0 ? usableBytes(kind, gb * GiB) : undefined;
    }
    return profiles.find((p) => p.id === hw)?.usable;
  }

  const by: Record<string, (a: Row, b: Row) => number> = {
    downloads: (a, b) => b.downloads - a.downloads,
    params: (a, b) => b.params - a.params,
    "params-asc": (a, b) => a.params - b.params,
    newest: (a, b) => b.created.localeCompare(a.created),
  };
  let limit = PAGE;
  let sorted = rows;

  function apply(): void {
    const q = (field("q")?.value ?? "").trim().toLowerCase();
    const tier = field("tier")?.value ?? "";
    const license = field("license")?.value ?? "";
    const task = field("task")?.value ?? "";
    const usable = budget();
    custom.hidden = field("hw")?.value !== "custom";
    fitHead.textContent = usable === undefined ? "Default quant" : `Best fit (${bytes(usable)} usable)`;
    const sort = field("sort")?.value || "downloads";
    if (sort !== order) {
      const compare = by[sort] ?? (by.downloads as (a: Row, b: Row) => number);
      sorted = [...rows].sort((a, b) => compare(a, b) || a.text.localeCompare(b.text));
      order = sort;
    }
    const matches: Row[] = [];
    for (const row of sorted) {
      if (q && !row.text.includes(q)) continue;
      if ((tier && row.tier !== tier) || (license && row.license !== license) || (task && !row.tasks.includes(task)))
        continue;
      const best = usable === undefined ? undefined : row.fit.find(([, memory]) => memory <= usable);
      if (usable !== undefined && !best) continue;
      if (matches.length < limit) {
        const text = best ? `${best[0]} · ${bytes(best[1])}` : row.defaultText;
        if (row.cell.textContent !== text) row.cell.textContent = text;
      }
      matches.push(row);
    }
    const shown = matches.slice(0, limit);
    tbody?.replaceChildren(...shown.map((r) => r.el));
    more.hidden = matches.length <= limit;
    more.textContent = `Show ${Math.min(PAGE, matches.length - limit)} more`;
    status.textContent = `${matches.length} of ${rows.length} models${matches.length > shown.length ? ` (showing the first ${shown.length})` : ""}`;
    const params = new URLSearchParams();
    for (const name of FIELDS) {
      const value = field(name)?.value;
      const isDefault =
        (name === "sort" && value === "downloads") ||
        ((name === "gb" || name === "kind") && field("hw")?.value !== "custom");
      if (value && !isDefault) params.set(name, value);
    }
    const query = params.toString();
    history.replaceState(null, "", query ? `?${query}` : location.pathname);
  }

  // Restore a shared view from the URL, ignoring values the form does not offer.
  const initial = new URLSearchParams(location.search);
  for (const name of FIELDS) {
    const value = initial.get(name);
    const el = field(name);
    if (value === null || !el) continue;
    if (el instanceof HTMLSelectElement && ![...el.options].some((o) => o.value === value)) continue;
    el.value = value;
  }
  const reset = () => {
    limit = PAGE;
    apply();
  };
  form.addEventListener("input", reset);
  form.addEventListener("change", reset);
  more.addEventListener("click", () => {
    limit += PAGE;
    apply();
  });
  form.addEventListener("submit", (e) => e.preventDefault());
  apply();
}
