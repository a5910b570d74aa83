/**
 * Copy buttons, for the ones in the static HTML and those the home page renders later: one click
 * listener on the document. "Copied" is announced through the page's live region (a changed button
 * label alone is not read out); when the clipboard is denied, the command's text is selected so
 * Ctrl+C / ⌘C copies it.
 */
import { commandParts } from "../lib/command-parts.ts";

const RESET_MS = 2000;

/** Says something once to screen readers, through the layout's polite live region. */
export function announce(message: string): void {
  const region = document.getElementById("announce");
  if (!region) return;
  // Clearing first makes a repeated message ("Copied" twice) be read again.
  region.textContent = "";
  requestAnimationFrame(() => {
    region.textContent = message;
  });
}

function selectText(el: Element): void {
  const range = document.createRange();
  range.selectNodeContents(el);
  const selection = getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
}

async function copy(button: HTMLButtonElement): Promise<void> {
  const text = button.dataset.copy ?? "";
  const code = button.closest(".copy")?.querySelector("code");
  const label = button.dataset.label ?? "Copy";
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = "Copied";
    announce(`Copied: ${text}`);
  } catch {
    if (code) selectText(code);
    button.textContent = "Press Ctrl+C";
    announce("Copying was not allowed. The command is selected: press Ctrl+C or ⌘C to copy it.");
  }
  setTimeout(() => {
    button.textContent = label;
  }, RESET_MS);
}

export function initCopyButtons(): void {
  if (document.documentElement.dataset.copyBound) return;
  document.documentElement.dataset.copyBound = "1";
  document.addEventListener("click", (event) => {
    const button = (event.target as Element | null)?.closest<HTMLButtonElement>("button[data-copy]");
    if (button) void copy(button);
  });
}

/** The same markup as CopyButton.astro, built in the browser from text (Hub data stays text). */
export function copyBlock(command: string, label = "Copy"): HTMLDivElement {
  const block = document.createElement("div");
  block.className = "copy";
  const code = document.createElement("code");
  for (const part of commandParts(command)) code.append(part, document.createElement("wbr"));
  const button = document.createElement("button");
  button.type = "button";
  button.dataset.copy = command;
  button.dataset.label = label;
  button.setAttribute("aria-label", `${label}: ${command}`);
  button.textContent = label;
  block.append(code, button);
  return block;
}
