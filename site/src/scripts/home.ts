/**
 * The home page's answer: when a machine is chosen, each tier's list shows the models that fit it,
 * best first, with the quant and the command; the choice goes into the URL and into the links to
 * Browse. Everything from the Hub is set as text (textContent), never as HTML.
 */

import { badges } from "../lib/badges.ts";
import { bytes, params } from "../lib/format.ts";
import { type Machine, machineBudget, machineFromParams, machineToParams } from "../lib/machine.ts";
import { type Pick, picksFor, type TierPicks } from "../lib/picks.ts";
import { carryMachine } from "./carry-machine.ts";
import { copyBlock, initCopyButtons } from "./copy.ts";
import { initMachinePicker } from "./machine-picker.ts";

const base = () => document.querySelector<HTMLAnchorElement>("a.brand")?.getAttribute("href")?.replace(/\/$/, "") ?? "";

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function pickItem({ row, fit }: Pick): HTMLLIElement {
  const item = el("li", "pick");
  const link = el("a", undefined, row.name);
  link.href = `${base()}/models/${row.id}/`;
  const tags = el("span", "badges");
  for (const b of badges(row.tasks, row.gated)) {
    const badge = el("span", `badge ${b.kind}`, b.text);
    badge.title = b.title;
    tags.append(badge);
  }
  item.append(link, " ", el("span", "params", params(row.params.total)), " ", tags);
  item.append(
    el(
      "p",
      "pick-fit",
      `${fit.install.quant} · ${bytes(fit.install.fileBytes)} download · ${bytes(fit.memoryBytes)} memory needed`,
    ),
  );
  item.append(copyBlock(`ollama run ${fit.install.ref}`));
  return item;
}

function render(tiers: readonly TierPicks[], machine: Machine | undefined): void {
  const summary = document.getElementById("fits-summary") as HTMLElement;
  if (!machine) return;
  const budget = machineBudget(machine);
  // The heading stays "What fits": a longer one would wrap on a phone and move the lists down.
  summary.textContent =
    budget.usableBytes > 0
      ? `On ${budget.label}: ${bytes(budget.usableBytes)} usable for a model after the system's share; memory needed at 4K tokens of context.`
      : `On ${budget.label}: no memory left for a model after the system's share, so every model does not fit.`;
  for (const tier of tiers) {
    const list = document.querySelector<HTMLOListElement>(`ol[data-picks="${tier.tier}"]`);
    if (!list) continue;
    const { picks, total } = picksFor(tier, budget);
    const items = picks.map(pickItem);
    list.replaceChildren(...(items.length ? items : [el("li", "placeholder", "Nothing in this tier fits.")]));
    const seeAll = list.parentElement?.querySelector<HTMLAnchorElement>(".see-all a");
    if (seeAll) seeAll.textContent = total > picks.length ? `See all ${total} that fit in Browse` : "Open in Browse";
  }
}

export function initHome(): void {
  const form = document.getElementById("machine-form") as HTMLFormElement | null;
  const root = form?.querySelector<HTMLElement>("[data-machine-picker]");
  if (!form || !root) return;
  initCopyButtons();
  const tiers = JSON.parse(document.getElementById("picks-data")?.textContent ?? "[]") as TierPicks[];
  const picker = initMachinePicker(root);
  const initial = machineFromParams(new URLSearchParams(location.search));
  if (initial) picker.write(initial);
  const update = () => {
    const machine = picker.read();
    render(tiers, machine);
    carryMachine(machine);
    const query = machineToParams(machine, new URLSearchParams(location.search)).toString();
    history.replaceState(history.state, "", query ? `?${query}` : location.pathname);
  };
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", (e) => e.preventDefault());
  if (initial) update();
}
