/**
 * The machine picker's behaviour (components/MachinePicker.astro). It keeps the picker's own look
 * in step with its two fields, `kind` and `gb`; the page reads the machine from them on the usual
 * input/change events, which a size button raises too, so a page needs only one listener.
 */
import { MACHINE_KINDS, type Machine, type MachineKind, parseGb } from "../lib/machine.ts";

export interface MachinePicker {
  read(): Machine | undefined;
  write(machine: Machine | undefined): void;
}

export function initMachinePicker(root: HTMLElement): MachinePicker {
  const kinds = [...root.querySelectorAll<HTMLInputElement>("input[name=kind]")];
  const gbInput = root.querySelector<HTMLInputElement>("input[name=gb]") as HTMLInputElement;
  const groups = [...root.querySelectorAll<HTMLElement>(".size-group")];
  const kind = () => (kinds.find((k) => k.checked)?.value || undefined) as MachineKind | undefined;

  function sync(): void {
    const chosen = kind();
    const gb = parseGb(gbInput.value);
    for (const group of groups) {
      // With no kind chosen the GPU sizes stay in place, disabled, so choosing one moves nothing.
      group.hidden = group.dataset.kind !== (chosen ?? MACHINE_KINDS[0]?.kind);
      for (const button of group.querySelectorAll<HTMLButtonElement>("button")) {
        button.disabled = !chosen;
        button.setAttribute("aria-pressed", String(chosen !== undefined && Number(button.dataset.gb) === gb));
      }
    }
    gbInput.disabled = !chosen;
    for (const k of kinds) k.parentElement?.classList.toggle("checked", k.checked);
  }

  function raise(el: HTMLElement): void {
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // Capture phase: the picker is in step before the page's own listener reads it.
  root.addEventListener(
    "change",
    (event) => {
      if ((event.target as HTMLInputElement).name !== "kind") return;
      const option = MACHINE_KINDS.find((k) => k.kind === kind());
      if (option && parseGb(gbInput.value) === undefined) gbInput.value = String(option.defaultGb);
      sync();
    },
    true,
  );
  root.addEventListener("input", sync, true);
  for (const k of kinds) {
    k.addEventListener("focus", () => k.parentElement?.classList.toggle("focused", k.matches(":focus-visible")));
    k.addEventListener("blur", () => k.parentElement?.classList.remove("focused"));
  }
  for (const button of root.querySelectorAll<HTMLButtonElement>("button[data-gb]")) {
    button.addEventListener("click", () => {
      gbInput.value = button.dataset.gb ?? "";
      raise(gbInput);
    });
  }

  const picker: MachinePicker = {
    read() {
      const chosen = kind();
      const gb = parseGb(gbInput.value);
      return chosen && gb !== undefined ? { kind: chosen, gb } : undefined;
    },
    write(machine) {
      for (const k of kinds) k.checked = k.value === (machine?.kind ?? "");
      gbInput.value = machine ? String(machine.gb) : "";
      sync();
    },
  };
  sync();
  return picker;
}
