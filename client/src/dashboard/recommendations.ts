/** "Recommended for this machine": the best picks of each tier, with one-click Install. */

import { bytes, count, params } from "../format.ts";
import type { RecommendationRow, RecommendReport } from "../recommend/recommend-report.ts";
import type { InstalledModel } from "../runtimes/runtime.ts";
import { getJson } from "./api.ts";
import { button, el, fill } from "./dom.ts";
import { pullView } from "./pull-progress.ts";

export interface RecommendHooks {
  onInstalled(): void;
  onError(error: unknown): void;
  installed(): InstalledModel[];
}

function card(row: RecommendationRow, hooks: RecommendHooks): HTMLElement {
  const status = el("div", { class: "card-status" });
  const isInstalled = hooks.installed().some((m) => m.indexId === row.id);
  const install = button(isInstalled ? "Installed" : "Install", async (b) => {
    b.disabled = true;
    const pull = pullView("/api/install", { model: row.id, quant: row.quant });
    fill(status, pull.node);
    try {
      await pull.run();
      fill(status, el("span", { class: "ok", text: `Installed ${row.ref}` }));
      b.textContent = "Installed";
      hooks.onInstalled();
    } catch (error) {
      fill(status, el("span", { class: "bad", text: (error as Error).message }));
      b.disabled = false;
      hooks.onError(error);
    }
  });
  if (isInstalled) install.disabled = true;
  return el(
    "li",
    { class: "card", attrs: { "data-model": row.id } },
    el("div", { class: "card-head" }, el("strong", { text: row.id }), install),
    el("div", {
      class: "card-facts",
      text: `${params(row.params.total)} params · ${row.quant} · ${bytes(row.fileBytes)} download · ~${bytes(row.memoryBytes)} memory · ${count(row.downloads)} downloads`,
    }),
    el("div", { class: "card-why", text: row.why }),
    status,
  );
}

/** Load and show both tiers for what the "plan for" control says (`auto` = this machine). */
export async function showRecommendations(fits: string, hooks: RecommendHooks): Promise<RecommendReport | undefined> {
  const reports: RecommendReport[] = [];
  for (const [tier, id] of [
    ["sub-1b", "rec-sub-1b"],
    ["1b-8b", "rec-1b-8b"],
  ] as const) {
    const list = document.getElementById(id) as HTMLElement;
    fill(list, el("li", { class: "muted", text: "Loading…" }));
    try {
      const q = new URLSearchParams({ tier, limit: "6", ...(fits !== "auto" ? { fits } : {}) });
      const report = await getJson<RecommendReport>(`/api/recommend?${q}`);
      reports.push(report);
      fill(
        list,
        ...(report.recommendations.length
          ? report.recommendations.map((r) => card(r, hooks))
          : [el("li", { class: "muted", text: "Nothing in this tier fits that memory at 4K context." })]),
      );
    } catch (error) {
      fill(list, el("li", { class: "bad", text: (error as Error).message }));
      hooks.onError(error);
    }
  }
  return reports[0];
}
