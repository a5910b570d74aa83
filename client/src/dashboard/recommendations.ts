/** "Recommended for this machine": the best picks of each tier, with one-click Install. */

import { bytes, count, params } from "../core/format.ts";
import type { RecommendationRow, RecommendReport } from "../recommend/recommend-report.ts";
import type { InstalledModel } from "../runtimes/runtime.ts";
import { getJson } from "./api.ts";
import { button, el, fill } from "./dom.ts";
import { PullCancelled, pullView } from "./pull-progress.ts";

export interface RecommendHooks {
  onInstalled(): void;
  onError(error: unknown): void;
  installed(): InstalledModel[];
  /** False once a newer load has started: this one must not draw. */
  current(): boolean;
}

/** Installs in flight, by model id: a redrawn list (another "plan for") keeps showing their progress. */
const inFlight = new Map<string, { status: HTMLElement; button: HTMLButtonElement }>();

function card(row: RecommendationRow, hooks: RecommendHooks): HTMLElement {
  const running = inFlight.get(row.id);
  if (running) return cardNode(row, running.button, running.status);
  const status = el("div", { class: "card-status" });
  const isInstalled = hooks.installed().some((m) => m.indexId === row.id);
  const install = button(isInstalled ? "Installed" : "Install", async (b) => {
    b.disabled = true;
    const pull = pullView("/api/install", { model: row.id, quant: row.quant });
    fill(status, pull.node);
    inFlight.set(row.id, { status, button: b });
    try {
      await pull.run();
      fill(status, el("span", { class: "ok", text: `Installed ${row.ref}` }));
      b.textContent = "Installed";
      hooks.onInstalled();
    } catch (error) {
      const cancelled = error instanceof PullCancelled;
      fill(status, el("span", { class: cancelled ? "muted" : "bad", text: (error as Error).message }));
      b.disabled = false;
      if (!cancelled) hooks.onError(error);
    } finally {
      inFlight.delete(row.id);
    }
  });
  if (isInstalled) install.disabled = true;
  return cardNode(row, install, status);
}

/** `~42 tokens/s` or `38 tokens/s measured here`, and what makes it worth a second look. */
function speedFact(row: RecommendationRow): string {
  if (row.tokensPerSecond === undefined) return "";
  const speed =
    row.source === "measured" ? `${row.tokensPerSecond} tokens/s measured here` : `~${row.tokensPerSecond} tokens/s`;
  const slow = row.usable ? "" : " (below the speed floor)";
  const wait =
    row.firstTokenSeconds !== undefined && row.firstTokenSeconds >= 10
      ? ` · first token ~${Math.round(row.firstTokenSeconds)} s`
      : "";
  return ` · ${speed}${slow}${wait}`;
}

function cardNode(row: RecommendationRow, install: HTMLButtonElement, status: HTMLElement): HTMLElement {
  return el(
    "li",
    { class: "card", attrs: { "data-model": row.id } },
    el("div", { class: "card-head" }, el("strong", { text: row.id }), install),
    el("div", {
      class: "card-facts",
      text: `${params(row.params.total)} params · ${row.quant}${speedFact(row)} · ${bytes(row.fileBytes)} download · ~${bytes(row.memoryBytes)} memory · ${count(row.downloads)} downloads`,
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
    try {
      const q = new URLSearchParams({ tier, limit: "6", ...(fits !== "auto" ? { fits } : {}) });
      const report = await getJson<RecommendReport>(`/api/recommend?${q}`);
      if (!hooks.current()) return undefined;
      reports.push(report);
      fill(
        list,
        ...(report.recommendations.length
          ? report.recommendations.map((r) => card(r, hooks))
          : [el("li", { class: "muted", text: "Nothing in this tier fits that memory at 4K context." })]),
      );
    } catch (error) {
      if (!hooks.current()) return undefined;
      fill(list, el("li", { class: "bad", text: (error as Error).message }));
      hooks.onError(error);
    }
  }
  return reports[0];
}
