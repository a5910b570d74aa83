/**
 * The chosen machine goes with the visitor: links marked `data-carry-machine` (the home page's
 * Browse links, the header's Browse link) get `kind` and `gb` in their query.
 */
import { type Machine, machineToParams } from "../lib/machine.ts";

export function carryMachine(machine: Machine | undefined): void {
  for (const link of document.querySelectorAll<HTMLAnchorElement>("a[data-carry-machine]")) {
    const url = new URL(link.href, location.href);
    machineToParams(machine, url.searchParams);
    link.href = url.pathname + url.search;
  }
}
