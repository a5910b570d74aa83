/**
 * Tool calls out of an OpenAI-compatible stream: the first delta of a call carries its `index`, `id`
 * and name, later ones only argument fragments for that index (llama.cpp and vLLM stream them so;
 * some servers send each call whole, or the whole message at once). Collected by index, in order;
 * a call without an id gets one.
 */
import type { ToolCall } from "../runtime.ts";
import { newToolCallId } from "../tool-calls.ts";
import type { ToolCallDelta } from "./protocol.ts";

export class ToolCallCollector {
  private readonly byIndex = new Map<number, { id?: string; name: string; arguments: string }>();

  add(deltas: readonly ToolCallDelta[] | null | undefined): void {
    if (!Array.isArray(deltas)) return;
    for (const [position, d] of deltas.entries()) {
      if (!d || typeof d !== "object") continue;
      // A server that leaves out `index` sends each call whole: its position in the list is its index.
      const index = Number.isInteger(d.index) ? (d.index as number) : this.byIndex.size + position;
      let call = this.byIndex.get(index);
      if (!call) {
        call = { name: "", arguments: "" };
        this.byIndex.set(index, call);
      }
      if (typeof d.id === "string" && d.id && !call.id) call.id = d.id;
      if (typeof d.function?.name === "string") call.name += d.function.name;
      if (typeof d.function?.arguments === "string") call.arguments += d.function.arguments;
    }
  }

  calls(): ToolCall[] {
    return [...this.byIndex.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, c]) => ({ id: c.id ?? newToolCallId(), name: c.name, arguments: c.arguments || "{}" }));
  }
}
