/**
 * What a task pulls when nothing installed can do it: the index model it prefers that fits this
 * machine at the context the call needs and answers at the task's speed floor, by the task's order,
 * then popularity — with the quant recommend would choose.
 */
import type { ModelEntry } from "../../../schema/index.ts";
import { chooseQuant } from "../core/choose-quant.ts";
import { bytes, params as formatParams } from "../core/format.ts";
import { speedNote } from "./chain-speed.ts";
import { type Candidate, type DeriveInput, speedFloor, type TaskSpec } from "./tasks.ts";

export function pullCandidate(input: DeriveInput, spec: TaskSpec): Candidate | undefined {
  const ollama = input.installed.find((r) => r.runtime.kind === "ollama" && r.runtime.capabilities.install)?.runtime;
  if (!ollama || !input.index) return undefined;
  const floor = speedFloor(input);
  const group = (m: ModelEntry) => (spec.prefer.some((t) => m.tasks.includes(t)) ? 0 : spec.only ? 2 : 1);
  const ranked = input.index.models
    .filter((m) => m.install.length > 0 && !m.gated && m.tasks.includes("chat") && group(m) < 2)
    .flatMap((m) => {
      const pick = chooseQuant(m, input.budgets, { contextLength: input.contextTokens, minSpeed: floor });
      return pick ? [{ m, pick }] : [];
    });
  ranked.sort(
    (a, b) =>
      group(a.m) - group(b.m) ||
      Number(b.pick.usable) - Number(a.pick.usable) ||
      (spec.order === "smallest" ? a.m.params.total - b.m.params.total : b.m.params.total - a.m.params.total) ||
      b.m.downloads - a.m.downloads,
  );
  const best = ranked[0];
  if (!best) return undefined;
  const { pick } = best;
  const c: Candidate = {
    runtime: ollama,
    ref: pick.install.ref,
    side: "local",
    installed: false,
    indexId: best.m.id,
    entry: best.m,
    install: pick.install,
    paramsTotal: best.m.params.total,
    ...(pick.speed ? { tokensPerSecond: pick.speed.tokensPerSecond, speedSource: pick.speed.source } : {}),
    why: "",
  };
  c.why = `not installed; the task's first pick from the index (${formatParams(best.m.params.total)}, ${pick.install.quant} needs ~${bytes(pick.memoryBytes)}${speedNote(c, floor)})`;
  return c;
}
