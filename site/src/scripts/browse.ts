/**
 * Client-side filtering and sorting of the browse table, with no framework: every row is rendered
 * at build time (the page works without JavaScript); this reads their data attributes once, then
 * on each change runs the shared queryModels over them and puts the first matches in the table,
 * filling the "best fit" cell. Laying out only what is shown keeps a change under 50 ms with
 * thousands of models. The filter state lives in the URL query; how many rows are shown lives in
 * the history entry, so Back after "Show more" comes back to the same row.
 */

import { bestFit, queryModels, SORTS, type Sort } from "small-llm/core";
import { bytes } from "../lib/format.ts";
import { FIT_CONTEXT, machineBudget, machineFromParams, machineToParams } from "../lib/machine.ts";
import { readRows } from "./browse-rows.ts";
import { carryMachine } from "./carry-machine.ts";
import { announce } from "./copy.ts";
import { initMachinePicker } from "./machine-picker.ts";

const PAGE = 100;
/** The count is read out when typing pauses, not at every keystroke. */
const ANNOUNCE_AFTER_MS = 800;
const FIELDS = ["q", "tier", "task", "license", "sort"] as const;

export function initBrowse(): void {
  const form = document.getElementById("filters") as HTMLFormElement | null;
  const tbody = document.querySelector<HTMLTableSectionElement>("#models tbody");
  const pickerRoot = form?.querySelector<HTMLElement>("[data-machine-picker]");
  if (!form || !tbody || !pickerRoot) return;
  const status = document.getElementById("count") as HTMLElement;
  const fitHead = document.getElementById("fit-head") as HTMLElement;
  const empty = document.getElementById("empty") as HTMLElement;
  const more = document.getElementById("more") as HTMLButtonElement;
  const installable = form.elements.namedItem("installable") as HTMLInputElement;
  const profiles = JSON.parse(document.getElementById("profiles")?.textContent ?? "[]");
  const rows = readRows(tbody);
  const picker = initMachinePicker(pickerRoot);
  const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;

  let limit = Math.max(PAGE, Number(history.state?.limit) || PAGE);
  let hadMachine = false;
  let announced = "";
  let announceTimer: ReturnType<typeof setTimeout> | undefined;

  function apply(): void {
    const machine = picker.read();
    // "Installable" turns on by itself when a machine is chosen, and off when it is cleared.
    if (Boolean(machine) !== hadMachine) installable.checked = Boolean(machine);
    hadMachine = Boolean(machine);
    const budget = machine && machineBudget(machine);
    const fitting = budget !== undefined && installable.checked;
    fitHead.textContent = budget ? "Best fit" : "Default quant";
    const sort = field("sort")?.value as Sort;
    const found = queryModels(
      rows,
      {
        search: field("q")?.value,
        tier: field("tier")?.value || undefined,
        license: field("license")?.value || undefined,
        task: field("task")?.value || undefined,
        installable: installable.checked || undefined,
        budgets: fitting ? [budget] : undefined,
        sort: SORTS.includes(sort) ? sort : "downloads",
      },
      (row) => row.search,
    );
    const shown = found.slice(0, limit).map(({ model: row, fit: matched }) => {
      const fit = matched ?? (budget && row.install.length ? bestFit(row, [budget], FIT_CONTEXT) : undefined);
      const text = fit
        ? `${fit.install.quant} · ${bytes(fit.memoryBytes)} memory needed`
        : budget && row.install.length
          ? "does not fit"
          : row.defaultText;
      if (row.cell.textContent !== text) row.cell.textContent = text;
      return row;
    });
    tbody?.replaceChildren(...shown.map((r) => r.el));
    empty.hidden = found.length > 0;
    more.hidden = found.length <= limit;
    more.textContent = `Show ${Math.min(PAGE, found.length - limit)} more`;
    const machineText = budget && `${budget.label} (${bytes(budget.usableBytes)} usable)`;
    const where = !budget
      ? " models"
      : budget.usableBytes === 0
        ? ` models: ${budget.label} leaves no memory for a model after the system's share, so nothing fits`
        : fitting
          ? ` models fit ${machineText}`
          : ` models, best fit for ${machineText}`;
    const text = `${found.length} of ${rows.length}${where}${found.length > shown.length ? `, first ${shown.length} shown` : ""}`;
    status.textContent = text;
    clearTimeout(announceTimer);
    announceTimer = setTimeout(() => {
      if (text !== announced) announce(text);
      announced = text;
    }, ANNOUNCE_AFTER_MS);
    writeUrl();
    carryMachine(machine);
  }

  function writeUrl(): void {
    const params = new URLSearchParams();
    for (const name of FIELDS) {
      const value = field(name)?.value;
      if (value && !(name === "sort" && value === "downloads")) params.set(name, value);
    }
    const machine = picker.read();
    machineToParams(machine, params);
    if (installable.checked !== Boolean(machine)) params.set("installable", installable.checked ? "1" : "0");
    const query = params.toString();
    history.replaceState({ limit }, "", query ? `?${query}` : location.pathname);
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
  const machine = machineFromParams(initial, profiles);
  picker.write(machine);
  hadMachine = Boolean(machine);
  installable.checked = initial.has("installable") ? initial.get("installable") === "1" : Boolean(machine);

  const refilter = () => {
    limit = PAGE;
    apply();
  };
  form.addEventListener("input", refilter);
  form.addEventListener("change", refilter);
  form.addEventListener("submit", (e) => e.preventDefault());
  more.addEventListener("click", () => {
    const first = limit;
    limit += PAGE;
    apply();
    // Keyboard and screen-reader users continue at the first new row.
    tbody.rows[first]?.querySelector("a")?.focus();
  });
  document.getElementById("reset")?.addEventListener("click", () => {
    for (const name of FIELDS) {
      const el = field(name);
      if (el) el.value = name === "sort" ? "downloads" : "";
    }
    picker.write(undefined);
    installable.checked = false;
    refilter();
    field("q")?.focus();
  });
  apply();
}
