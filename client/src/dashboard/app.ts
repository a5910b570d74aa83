/**
 * The "Local models" page: runtime status (start it when it is down), what was recommended for this
 * machine (or for the hardware the user picks), one-click installs, the installed models, and a
 * Refresh of the index. Plain DOM over the local API; no framework, nothing fetched from elsewhere.
 */
import type { MetricsSummary } from "../agent/metrics-summary.ts";
import type { SmallTier } from "../catalog/small-tier.ts";
import { age, bytes } from "../core/format.ts";
import type { Hardware } from "../hardware/detect-hardware.ts";
import type { RecommendReport } from "../recommend/recommend-report.ts";
import type { LocalStatus } from "../runtimes/local-status.ts";
import { KINDS } from "../runtimes/openai-compatible/kinds.ts";
import type { InstalledModel } from "../runtimes/runtime.ts";
import { ApiFailure, getJson, send } from "./api.ts";
import { button, byId, el, fill } from "./dom.ts";
import { showInstalled } from "./installed.ts";
import { ollamaUpdateControl } from "./ollama-update.ts";
import { showRecommendations } from "./recommendations.ts";

let installed: InstalledModel[] = [];
// One control for the page's life: redrawing the status keeps what the last check or update said.
const updateControl = ollamaUpdateControl({ onUpdated: () => void reloadAll(false), onError: (e) => showError(e) });

/** Errors stay on screen until dismissed; the same message is shown once. */
function showError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  const box = byId("errors");
  if ([...box.children].some((c) => c.getAttribute("data-message") === message)) return;
  const code = error instanceof ApiFailure ? error.code : "error";
  const item = el(
    "div",
    { class: "error", attrs: { "data-message": message, "data-code": code } },
    el("span", { text: message }),
  );
  item.append(button("Dismiss", () => item.remove(), "secondary"));
  box.append(item);
}

function describeHardware(h: Hardware): string {
  const gpus = h.gpus.map((g) => `${g.name}${g.vramBytes ? ` (${bytes(g.vramBytes)})` : ""}`).join(", ");
  const memory = h.unifiedMemory ? `${bytes(h.ram.totalBytes)} unified memory` : `${bytes(h.ram.totalBytes)} RAM`;
  // The memory a model is read from: the (first) GPU's or Apple's unified memory, else the RAM.
  const read = h.gpus[0]?.bandwidth ?? h.ram.bandwidth;
  const speed = read ? ` · memory read at ${read.gbs} GB/s (${read.source})` : "";
  return `This machine: ${memory}, ${gpus || "no GPU found"} · ${h.cpu.cores ?? "?"} CPU cores, ${h.platform} ${h.arch}${speed}`;
}

async function showStatus(): Promise<LocalStatus | undefined> {
  const box = byId("runtime");
  try {
    const status = await getJson<LocalStatus>("/api/status");
    const ollama = status.runtimes[0];
    if (ollama?.reachable) {
      const n = ollama.models.length;
      fill(
        box,
        el("span", { class: "dot up" }),
        `Ollama ${ollama.version ?? ""} at ${ollama.host} · ${n} model${n === 1 ? "" : "s"} installed`,
        updateControl,
      );
    } else if (ollama?.binary) {
      const start = button("Start the server", async (b) => {
        b.disabled = true;
        try {
          await send("POST", "/api/runtime/start", {});
          await reloadAll();
        } catch (error) {
          showError(error);
          b.disabled = false;
        }
      });
      fill(box, el("span", { class: "dot down" }), `Ollama is installed (${ollama.binary}) but not running `, start);
    } else {
      fill(
        box,
        el("span", { class: "dot down" }),
        `No Ollama answers at ${ollama?.host ?? "its address"}. Set it up with `,
        el("code", { text: "small-llm setup" }),
        " in a terminal (no root needed), then reload this page.",
      );
    }
    if (Array.isArray(status.others) && status.others.length) {
      const others = status.others.map((r) => {
        const label = r.kind === "ollama" ? "Ollama" : KINDS[r.kind].label;
        const models = r.problem ? r.problem.message : `${r.models.length} model${r.models.length === 1 ? "" : "s"}`;
        return `${label}${r.version ? ` ${r.version}` : ""} at ${r.baseUrl} (${models})`;
      });
      box.append(el("div", { class: "muted others", text: `Also answering: ${others.join(" · ")}` }));
    }
    byId("hardware").textContent = describeHardware(status.hardware);
    const index = status.index;
    byId("index-info").textContent =
      "error" in index
        ? index.error.message
        : `Index ${index.version} · ${index.models} models · from ${index.source}, ${age(index.ageMs)} old`;
    // Test data, a copy standing in for a chosen URL, parts of a newer index skipped: said, not hidden.
    const notes = byId("index-notes");
    fill(notes, ...("error" in index ? [] : index.warnings.map((w) => el("p", { class: "notice", text: w }))));
    notes.hidden = notes.children.length === 0;
    return status;
  } catch (error) {
    fill(box, el("span", { class: "dot down" }), "status unavailable");
    showError(error);
    return undefined;
  }
}

async function loadInstalled(): Promise<void> {
  try {
    installed = await getJson<InstalledModel[]>("/api/installed");
    showInstalled(installed, {
      onChanged: () => void reloadAll(),
      onError: showError,
      onAnswered: () => void showMetrics(),
    });
  } catch (error) {
    installed = [];
    const body = byId("installed-rows");
    fill(body, el("tr", {}, el("td", { class: "bad", text: (error as Error).message, attrs: { colspan: "4" } })));
    showError(error);
  }
}

/** The "plan for" control: this machine, an index profile, or a GPU of N GB. */
function planFor(): string {
  const select = byId<HTMLSelectElement>("plan-for");
  const custom = byId<HTMLInputElement>("custom-gb");
  custom.hidden = select.value !== "custom";
  if (select.value !== "custom") return select.value;
  return custom.value && Number(custom.value) > 0 ? custom.value : "auto";
}

function fillProfiles(report: RecommendReport | undefined): void {
  const select = byId<HTMLSelectElement>("plan-for");
  if (!report || select.options.length > 2) return;
  const customOption = select.querySelector('option[value="custom"]');
  for (const p of report.profiles)
    select.insertBefore(el("option", { text: p.label, attrs: { value: p.id } }), customOption);
}

/** Each change of plan starts a new load; only the latest may draw, so a slow answer never overwrites a newer one. */
let generation = 0;

async function loadRecommendations(): Promise<void> {
  const mine = ++generation;
  const section = byId("recommended");
  section.dataset.settled = "0";
  const report = await showRecommendations(planFor(), {
    installed: () => installed,
    onInstalled: () => void reloadAll(false),
    onError: showError,
    current: () => mine === generation,
  });
  if (mine !== generation) return;
  fillProfiles(report);
  section.dataset.settled = "1";
}

async function reloadAll(recommendations = true): Promise<void> {
  await showStatus();
  await loadInstalled();
  if (recommendations) await loadRecommendations();
}

async function refresh(b: HTMLButtonElement): Promise<void> {
  b.disabled = true;
  const note = byId("refresh-note");
  note.textContent = "Refreshing the index…";
  try {
    const tiers = await getJson<SmallTier>("/api/llm/models/small-tier?refresh=1");
    const total = tiers.sub1B.length + tiers.small1Bto8B.length;
    note.textContent = tiers.fellBack
      ? `Could not reach the index mirrors; still using the ${tiers.source} copy (${tiers.version}).`
      : `Refreshed: index ${tiers.version}, ${total} models.`;
    await reloadAll();
  } catch (error) {
    note.textContent = "";
    showError(error);
  } finally {
    b.disabled = false;
  }
}

async function showMetrics(): Promise<void> {
  const box = byId("metrics");
  try {
    const m = await getJson<MetricsSummary>("/api/metrics?days=30");
    if (!m.total.calls) {
      fill(
        box,
        el("span", {
          class: "muted",
          text: "No delegated calls in the last 30 days. Try a model above, or `small-llm ask`.",
        }),
      );
      return;
    }
    const t = m.total;
    const speed = t.tokensPerSecond.median ? `, median ${t.tokensPerSecond.median.toFixed(1)} tokens/s` : "";
    fill(
      box,
      el("p", {
        text: `Last 30 days: ${t.calls} call${t.calls === 1 ? "" : "s"}, ${Math.round(t.successRate * 100)} % answered, ${t.promptTokens + t.outputTokens} tokens${speed}; ≈ $${m.savings.usd.toFixed(2)} a cloud model would have cost (an estimate).`,
      }),
      el(
        "table",
        { class: "metrics" },
        el(
          "thead",
          {},
          el(
            "tr",
            {},
            ...["Model", "Calls", "Answered", "Tokens", "Median tokens/s"].map((h) => el("th", { text: h })),
          ),
        ),
        el(
          "tbody",
          {},
          ...m.groups.map((g) =>
            el(
              "tr",
              {},
              el("td", { text: g.key }),
              el("td", { text: String(g.calls) }),
              el("td", { text: `${Math.round(g.successRate * 100)} %` }),
              el("td", { text: String(g.promptTokens + g.outputTokens) }),
              el("td", { text: g.tokensPerSecond.median ? g.tokensPerSecond.median.toFixed(1) : "–" }),
            ),
          ),
        ),
      ),
    );
  } catch (error) {
    fill(box, el("span", { class: "bad", text: (error as Error).message }));
  }
}

byId("refresh").addEventListener("click", (e) => void refresh(e.currentTarget as HTMLButtonElement));
byId("plan-for").addEventListener("change", () => void loadRecommendations());
byId("custom-gb").addEventListener("change", () => void loadRecommendations());
await reloadAll();
await showMetrics();
document.body.dataset.ready = "1";
