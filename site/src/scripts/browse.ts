/**
 * Client-side filtering and sorting of the browse table, with no framework: every row is rendered
 * at build time (the page works without JavaScript); this reads their data attributes once, then
 * on each change filters and sorts them in memory and puts the first PAGE matches in the table,
 * filling the "best quant that fits" cell. Laying out only what is shown keeps a change under
 * 50 ms with thousands of models. The filter state lives in the URL query.
 */

import { type Queryable, queryModels, SORTS, type Sort } from "../../../client/src/catalog/query-models.ts";
import type { MemoryBudget } from "../../../client/src/hardware/budgets.ts";
import { usableBytes } from "../../../schema/profiles.ts";
import { bytes } from "../lib/format.ts";

/** A table row as the shared query sees it: what the static HTML carries in data attributes. */
interface Row extends Queryable {
  el: HTMLTableRowElement;
  cell: HTMLTableCellElement;
  defaultText: string;
  search: string;
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
    const fit = (d.fit ?? "")
      .split(" ")
      .filter(Boolean)
      .map((pair) => {
        const [quant, memory] = pair.split(":");
        return { quant: quant as string, contextLength: 4096, memoryBytes: Number(memory), fits: [] };
      });
    return {
      el,
      cell,
      defaultText: cell.textContent ?? "",
      search: d.search ?? "",
      id: d.id ?? "",
      tier: d.tier ?? "",
      license: d.license ?? "",
      tasks: (d.tasks ?? "").split(" "),
      downloads: Number(d.downloads),
      params: { total: Number(d.params) },
      createdAt: d.created ?? "",
      install: fit.map((f) => ({ quant: f.quant, default: false })) as unknown as Row["install"],
      fit,
    };
  });
  const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
  const more = document.getElementById("more") as HTMLButtonElement;

  function budget(): MemoryBudget | undefined {
    const hw = field("hw")?.value;
    if (!hw) return undefined;
    if (hw === "custom") {
      const gb = Number(field("gb")?.value);
      const kind = (field("kind")?.value ?? "gpu") as "gpu" | "cpu" | "unified";
      return Number.isFinite(gb) && gb > 0
        ? { kind, label: `${gb} GB`, usableBytes: usableBytes(kind, gb * GiB) }
        : undefined;
    }
    const profile = profiles.find((p) => p.id === hw);
    return profile ? { kind: "gpu", label: profile.label, usableBytes: profile.usable } : undefined;
  }

  let limit = PAGE;

  function apply(): void {
    const usable = budget();
    custom.hidden = field("hw")?.value !== "custom";
    fitHead.textContent = usable === undefined ? "Default quant" : `Best fit (${bytes(usable.usableBytes)} usable)`;
    const sort = field("sort")?.value as Sort;
    const found = queryModels(
      rows,
      {
        search: field("q")?.value,
        tier: field("tier")?.value || undefined,
        license: field("license")?.value || undefined,
        task: field("task")?.value || undefined,
        budgets: usable ? [usable] : undefined,
        sort: SORTS.includes(sort) ? sort : "downloads",
      },
      (row) => row.search,
    );
    const matches = found.map((f) => f.model);
    const shown = found.slice(0, limit).map(({ model: row, fit }) => {
      const text = fit ? `${fit.install.quant} · ${bytes(fit.memoryBytes)}` : row.defaultText;
      if (row.cell.textContent !== text) row.cell.textContent = text;
      return row;
    });
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
