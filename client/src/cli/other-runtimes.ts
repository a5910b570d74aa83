/**
 * The other runtimes `status` shows beside Ollama (the status operation finds them on the default
 * ports plus SMALL_LLM_RUNTIMES), rendered as one line each. Names and versions come from servers, so
 * they are cleaned of control characters before they reach a terminal.
 */
import { scanDefaultPorts } from "../runtimes/detect.ts";
import { KINDS } from "../runtimes/openai-compatible/kinds.ts";
import type { ServerKind } from "../runtimes/runtime.ts";
import { clean } from "./render.ts";

export interface OtherRuntime {
  kind: ServerKind;
  baseUrl: string;
  version?: string;
  models: string[];
  problem?: { code: string; message: string };
}

const MAX_SHOWN = 8;

export function describeOtherRuntimes(runtimes: OtherRuntime[]): string[] {
  if (!runtimes.length) {
    const where = scanDefaultPorts()
      ? "llama.cpp, LM Studio, vLLM, Jan, LocalAI on their default ports"
      : "default ports not scanned: SMALL_LLM_SCAN_DEFAULT_PORTS=0";
    return [`Other runtimes: none answering (${where}; add addresses with SMALL_LLM_RUNTIMES)`];
  }
  const lines = ["Other runtimes:"];
  for (const r of runtimes) {
    const label = r.kind === "ollama" ? "Ollama" : KINDS[r.kind].label;
    const head = `  ${label}${r.version ? ` ${clean(r.version)}` : ""} at ${clean(r.baseUrl)}`;
    // The message names the server again; the line already does.
    if (r.problem) lines.push(`${head}: ${clean(r.problem.message.replace(/^the server at \S+ /, ""))}`);
    else if (!r.models.length) lines.push(`${head}: no models loaded`);
    else {
      const shown = r.models.slice(0, MAX_SHOWN).map(clean).join(", ");
      const more = r.models.length > MAX_SHOWN ? ` and ${r.models.length - MAX_SHOWN} more (--json lists all)` : "";
      lines.push(`${head}: ${r.models.length} model${r.models.length === 1 ? "" : "s"} — ${shown}${more}`);
    }
  }
  return lines;
}
