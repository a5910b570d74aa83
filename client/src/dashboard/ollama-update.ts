/**
 * Updating Ollama from the dashboard, as `small-llm update-ollama` does: "Check for updates" asks
 * the server to compare with the latest release; an install small-llm manages then offers "Update
 * Ollama" (a verified download with its progress, a restart, a roll back if the new one fails);
 * any other install is described, with its official way to update.
 */
import type { UpdateOllamaResult } from "../provision/update-ollama.ts";
import { button, el, fill } from "./dom.ts";
import { PullCancelled, pullView } from "./pull-progress.ts";

export interface UpdateHooks {
  onUpdated(): void;
  onError(error: unknown): void;
}

function describe(r: UpdateOllamaResult): string {
  const latest = `the latest release is ${r.latest}`;
  if (r.updated)
    return `Updated Ollama ${r.installed ?? ""} → ${r.latest}${r.restarted ? " and restarted the server" : ""}.`;
  if (r.system)
    return `Ollama ${r.installed ?? ""} is managed by ${r.system.managedBy}, not small-llm; ${latest}${r.updateAvailable ? " (update available)" : ""}. To update it: `;
  if (r.remote)
    return `The Ollama answering (${r.installed ?? "?"}) is not installed on this machine; update it where it runs. ${latest}.`;
  if (!r.managed) return `Ollama is not installed; ${latest}. Set it up with small-llm setup.`;
  if (r.updateAvailable) return `Ollama ${r.latest} is available (this is ${r.installed ?? "?"}). `;
  return `Ollama ${r.installed ?? ""} is up to date (${latest}).`;
}

/** The "Check for updates" control, and what it finds, in one element. */
export function ollamaUpdateControl(hooks: UpdateHooks): HTMLElement {
  const status = el("span", { class: "muted update-status", attrs: { "aria-live": "polite" } });
  const box = el("div", { class: "ollama-update" });
  const run = async (check: boolean) => {
    const view = pullView("/api/ollama/update", check ? { check: true } : {});
    fill(status, view.node);
    try {
      const done = await view.run();
      const result = done.result as UpdateOllamaResult;
      const parts: (Node | string)[] = [describe(result)];
      if (result.system) parts.push(el("code", { text: result.system.update }));
      if (check && result.managed && result.updateAvailable) parts.push(button("Update Ollama", () => void run(false)));
      fill(status, ...parts);
      if (result.updated) hooks.onUpdated();
    } catch (error) {
      fill(
        status,
        el("span", { class: "bad", text: error instanceof PullCancelled ? "Cancelled." : (error as Error).message }),
      );
      if (!(error instanceof PullCancelled)) hooks.onError(error);
    }
  };
  box.append(
    button("Check for updates", () => void run(true), "secondary"),
    " ",
    status,
  );
  return box;
}
