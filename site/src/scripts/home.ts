/**
 * The home page's answer: when a machine is chosen, each tier's list shows the models that fit it,
 * best first, with the quant and the command; the choice goes into the URL and into the links to
 * Browse. Everything from the Hub is set as text (textContent), never as HTML.
 */

import { badges } from "../lib/badges.ts";
import { bytes, params } from "../lib/format.ts";
import { type Machine, machineBudget, machineFromParams, machineToParams, type ProfileSpeed } from "../lib/machine.ts";
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

/** ` · ~42 tokens/s`, and a word when that is below the floor the ranking used. */
function speed(fit: Pick["fit"]): string {
  if (!fit.speed) return "";
  const tps = Number(fit.speed.tokensPerSecond.toPrecision(2));
  return ` · ~${tps} tokens/s${fit.usable ? "" : " (slow here)"}`;
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
      `${fit.install.quant}${speed(fit)} · ${bytes(fit.install.fileBytes)} download · ${bytes(fit.memoryBytes)} memory needed`,
    ),
  );
  item.append(copyBlock(`ollama run ${fit.install.ref}`));
  return item;
}

/** What the page's JSON holds: the tiers' candidates, and how fast each profile's memory is read. */
interface PicksData {
  tiers: TierPicks[];
  profiles: ProfileSpeed[];
}

function render({ tiers, profiles }: PicksData, machine: Machine | undefined): void {
  const summary = document.getElementById("fits-summary") as HTMLElement;
  if (!machine) return;
  const budget = machineBudget(machine, profiles);
  const read = budget.device ? `; speeds estimated at ${budget.device.bandwidthGBs} GB/s` : "";
  // The heading stays "What fits": a longer one would wrap on a phone and move the lists down.
  summary.textContent =
    budget.usableBytes > 0
      ? `On ${budget.label}: ${bytes(budget.usableBytes)} usable after the system's share; memory needed at 4K context${read}.`
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
  const data = JSON.parse(
    document.getElementById("picks-data")?.textContent ?? '{"tiers":[],"profiles":[]}',
  ) as PicksData;
  const picker = initMachinePicker(root);
  const initial = machineFromParams(new URLSearchParams(location.search));
  if (initial) picker.write(initial);
  const update = () => {
    const machine = picker.read();
    render(data, machine);
    carryMachine(machine);
    const query = machineToParams(machine, new URLSearchParams(location.search)).toString();
    history.replaceState(history.state, "", query ? `?${query}` : location.pathname);
  };
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", (e) => e.preventDefault());
  if (initial) update();
}
