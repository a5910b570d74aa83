/** A live pull: a progress bar with what Ollama is doing, and a Cancel button that aborts the request. */
import { bytes } from "../core/format.ts";
import { type StreamEvent, stream } from "./api.ts";
import { button, el, fill } from "./dom.ts";

/** The user pressed Cancel: said where the pull was, not raised as an error. */
export class PullCancelled extends Error {
  constructor() {
    super("Cancelled. Installing again resumes the download.");
  }
}

export interface PullView {
  node: HTMLElement;
  /** Resolves with the `done` event, throws on failure or cancel. */
  run(): Promise<StreamEvent>;
}

export function pullView(path: string, body: unknown): PullView {
  const controller = new AbortController();
  const bar = el("progress", { attrs: { max: "1", value: "0", "aria-label": "download progress" } });
  const label = el("span", { class: "pull-status", text: "starting…" });
  const cancel = button("Cancel", () => controller.abort(), "secondary");
  const node = el("div", { class: "pull" }, bar, label, cancel);
  return {
    node,
    async run() {
      try {
        for await (const event of stream(path, body, controller.signal)) {
          if (event.type === "progress") {
            const { status, completed, total, bytesPerSecond } = event as StreamEvent & {
              status: string;
              completed?: number;
              total?: number;
              bytesPerSecond?: number;
            };
            if (total) {
              bar.value = (completed ?? 0) / total;
              const speed = bytesPerSecond ? `, ${bytes(bytesPerSecond)}/s` : "";
              fill(label, `${status}: ${bytes(completed ?? 0)} of ${bytes(total)}${speed}`);
            } else fill(label, status);
          }
          // Updating Ollama says each step in words (verifying, starting the new version).
          if (event.type === "step") fill(label, String(event.text));
          if (event.type === "done") return event;
        }
        throw new Error("the server ended the stream without saying it was done");
      } catch (error) {
        if (controller.signal.aborted) throw new PullCancelled();
        throw error;
      } finally {
        cancel.remove();
      }
    },
  };
}
