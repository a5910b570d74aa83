/**
 * `ask --explain` and `explainChain()`: the chain a call would try, in order, with why each model
 * is there, which installed models were left out and why, and what would be pulled — the same plan
 * `delegate()` runs, without calling any model.
 */
import type { ChatMessage } from "../runtimes/runtime.ts";
import { type DelegateOptions, defaultRouter } from "./delegate.ts";
import { planDelegation } from "./plan.ts";
import type { Router } from "./router.ts";
import { TASKS, type TaskName } from "./tasks.ts";

export interface Explanation {
  task: TaskName;
  description: string;
  /** Where the chain came from: `call`, `route`, `config` or `derived`. */
  source: string;
  promptTokens: number;
  contextTokens: number;
  chain: { model: string; runtime?: string; side: string; installed: boolean; why: string; unusable?: string }[];
  excluded: { model: string; why: string }[];
  pull?: { model: string; indexId?: string; why: string };
  unreachable: { runtime: string; host: string; why: string }[];
  /** The same, as lines for people. */
  lines: string[];
}

/** The explanation on the default Router, as `delegate()` would plan it. */
export async function explainChain(input: string | ChatMessage[], options: DelegateOptions = {}): Promise<Explanation> {
  return defaultRouter().explain(input, options);
}

export async function explainPlan(
  router: Router,
  input: string | ChatMessage[],
  options: DelegateOptions,
): Promise<Explanation> {
  const plan = await planDelegation(router, input, options, true);
  const { resolved } = plan;
  const chain = resolved.links.map((l) => ({
    model: l.ref,
    ...(l.runtime ? { runtime: l.runtime.kind } : {}),
    side: l.side,
    installed: l.installed,
    why: l.why,
    ...(l.unusable ? { unusable: l.unusable.message } : {}),
  }));
  const excluded = (resolved.derivation?.excluded ?? []).map((e) => ({ model: e.ref, why: e.why }));
  const pull = resolved.derivation?.pull;
  const unreachable = plan.down.map((d) => ({ runtime: d.runtime.kind, host: d.runtime.host, why: d.error.message }));
  const sourceText: Record<string, string> = {
    call: "the models given on this call",
    route: "a routing rule of config.json",
    config: "the chain pinned in config.json",
    derived: "derived from the installed models, their index tags and what fits here",
  };
  const lines = [
    `task ${plan.task}: ${TASKS[plan.task].description}`,
    `chain: ${sourceText[resolved.source] ?? resolved.source}; prompt ~${plan.promptTokens} tokens, needs ~${plan.contextTokens} tokens of context`,
  ];
  if (!chain.length) lines.push("  (no installed model qualifies)");
  chain.forEach((c, i) => {
    const state = c.unusable ? `unusable: ${c.unusable}` : c.installed ? "installed" : "not installed";
    lines.push(
      `  ${i + 1}. ${c.model}${c.runtime ? ` [${c.runtime}${c.side === "cloud" ? ", cloud" : ""}]` : ""} (${state}) — ${c.why}`,
    );
  });
  if (pull)
    lines.push(
      `${chain.some((c) => c.installed) ? "would pull, if none of these were installed" : "would pull first (ask does, unless --no-pull)"}: ${pull.ref} — ${pull.why}`,
    );
  for (const e of excluded) lines.push(`  left out: ${e.model} — ${e.why}`);
  for (const u of unreachable) lines.push(`  unreachable: ${u.runtime} at ${u.host} — ${u.why}`);
  return {
    task: plan.task,
    description: TASKS[plan.task].description,
    source: resolved.source,
    promptTokens: plan.promptTokens,
    contextTokens: plan.contextTokens,
    chain,
    excluded,
    ...(pull ? { pull: { model: pull.ref, ...(pull.indexId ? { indexId: pull.indexId } : {}), why: pull.why } } : {}),
    unreachable,
    lines,
  };
}
