/**
 * The browse table's rows as the shared query sees them: read once from the data attributes the
 * build wrote, so filtering never touches the DOM until the matches are put back.
 */
import type { Queryable } from "small-llm/core";
import { FIT_CONTEXT } from "../lib/machine.ts";

export interface Row extends Queryable {
  el: HTMLTableRowElement;
  cell: HTMLTableCellElement;
  /** What the fit cell says with no machine chosen: the default quant and its download. */
  defaultText: string;
  search: string;
}

export function readRows(tbody: HTMLTableSectionElement): Row[] {
  return [...tbody.rows].map((el) => {
    const d = el.dataset;
    const cell = el.querySelector<HTMLTableCellElement>("td.fit") as HTMLTableCellElement;
    const fit = (d.fit ?? "")
      .split(" ")
      .filter(Boolean)
      .map((pair) => {
        const [quant, memory] = pair.split(":");
        // The build computed this at the model's fit context (4K, or its shorter maximum).
        return { quant: quant as string, contextLength: FIT_CONTEXT, memoryBytes: Number(memory), fits: [] };
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
      install: fit.map((f) => ({ quant: f.quant })) as unknown as Row["install"],
      fit,
    };
  });
}
