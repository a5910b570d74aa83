/** "Installed": the models in Ollama, each with Update (and whether it changed), Remove and Try. */

import type { LlmResponse } from "../agent/delegate.ts";
import { bytes } from "../core/format.ts";
import type { InstalledModel, UpdateResult } from "../runtimes/runtime.ts";
import { send, stream } from "./api.ts";
import { button, el, fill } from "./dom.ts";
import { PullCancelled, pullView } from "./pull-progress.ts";

export interface InstalledHooks {
  onChanged(): void;
  onError(error: unknown): void;
  /** A Try answered: the metrics have one more call. */
  onAnswered?(): void;
}

const short = (digest: string) => digest.slice(0, 12);

/** The prompt box: streams the answer in as text, then the speed. */
function tryPanel(model: InstalledModel, hooks: InstalledHooks): HTMLElement {
  const prompt = el("textarea", {
    attrs: { rows: "2", placeholder: `Ask ${model.name} something`, "aria-label": "prompt" },
  });
  const answer = el("pre", { class: "answer", attrs: { "aria-live": "polite" } });
  const stats = el("div", { class: "muted stats" });
  let controller: AbortController | undefined;
  const run = button("Run", async (b) => {
    if (controller) return controller.abort();
    if (!prompt.value.trim()) return;
    controller = new AbortController();
    b.textContent = "Stop";
    answer.textContent = "";
    fill(stats, "waiting for the first token…");
    try {
      // Through delegate(), as an agent would call it: the answer is checked and counted in the metrics.
      const body = { model: model.name, prompt: prompt.value, pull: false };
      for await (const event of stream("/api/ask", body, controller.signal)) {
        if (event.type === "token") answer.textContent += String(event.text);
        // A failed attempt's tokens were streamed too; the retry starts the answer again.
        if (event.type === "attempt" && (event.attempt as { outcome: string }).outcome !== "ok")
          answer.textContent = "";
        if (event.type === "done") {
          const r = event.response as LlmResponse;
          if (!r.success) throw new Error(r.error?.message ?? "the model did not answer");
          answer.textContent = r.text;
          const rate = r.tokensPerSecond ? `${r.tokensPerSecond.toFixed(1)} tokens/s` : "speed not reported";
          fill(stats, `${r.outputTokens} tokens · ${rate} · first token after ${Math.round(r.ttftMs)} ms`);
          hooks.onAnswered?.();
        }
      }
    } catch (error) {
      fill(stats, el("span", { class: "bad", text: controller.signal.aborted ? "stopped" : (error as Error).message }));
      if (!controller.signal.aborted) hooks.onError(error);
    } finally {
      controller = undefined;
      b.textContent = "Run";
    }
  });
  return el("div", { class: "try" }, prompt, run, answer, stats);
}

function row(model: InstalledModel, hooks: InstalledHooks): HTMLElement[] {
  const status = el("td", { class: "row-status" });
  const extra = el("tr", { class: "try-row", attrs: { hidden: "" } }, el("td", { attrs: { colspan: "4" } }));
  const update = button("Update", async (b) => {
    b.disabled = true;
    const pull = pullView("/api/update", { model: model.name });
    fill(status, pull.node);
    try {
      const done = await pull.run();
      const [r] = done.results as UpdateResult[];
      fill(
        status,
        el("span", {
          class: "ok",
          text: r?.changed ? `Updated: ${short(r.from)} → ${short(r.to)}` : "Already up to date",
        }),
      );
    } catch (error) {
      const cancelled = error instanceof PullCancelled;
      fill(status, el("span", { class: cancelled ? "muted" : "bad", text: (error as Error).message }));
      if (!cancelled) hooks.onError(error);
    } finally {
      b.disabled = false;
    }
  });
  // Two clicks: removing a multi-GB download by a stray click would cost the user the download.
  const remove = button(
    "Remove",
    async (b) => {
      if (b.dataset.armed !== "1") {
        b.dataset.armed = "1";
        b.textContent = "Click again to remove";
        return;
      }
      b.disabled = true;
      try {
        await send("DELETE", `/api/installed/${encodeURIComponent(model.name)}`);
        hooks.onChanged();
      } catch (error) {
        fill(status, el("span", { class: "bad", text: (error as Error).message }));
        b.disabled = false;
        hooks.onError(error);
      }
    },
    "danger",
  );
  const tryIt = button("Try", () => {
    const cell = extra.firstElementChild as HTMLElement;
    if (!cell.firstChild) cell.append(tryPanel(model, hooks));
    extra.hidden = !extra.hidden;
  });
  const main = el(
    "tr",
    { attrs: { "data-name": model.name } },
    el(
      "td",
      {},
      el("strong", { text: model.name }),
      model.indexId && el("div", { class: "muted", text: model.indexId }),
    ),
    el("td", { text: `${bytes(model.sizeBytes)}${model.quant ? ` · ${model.quant}` : ""}` }),
    el("td", { class: "actions" }, update, remove, tryIt),
    status,
  );
  return [main, extra];
}

export function showInstalled(models: InstalledModel[], hooks: InstalledHooks): void {
  const body = document.getElementById("installed-rows") as HTMLElement;
  if (!models.length) {
    fill(
      body,
      el(
        "tr",
        {},
        el("td", { class: "muted", text: "No models installed yet: install one above.", attrs: { colspan: "4" } }),
      ),
    );
    return;
  }
  fill(body, ...models.flatMap((m) => row(m, hooks)));
}
