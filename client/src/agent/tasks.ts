/**
 * Tasks and their model chains, derived, never hand-kept: the models installed on each runtime,
 * matched to their index entry for task tags, size and memory; kept when they fit this machine at
 * the context the call needs; ordered by what the task prefers (quick: the fastest here, measured
 * or estimated; coding: code-tuned first; analysis/creative: the largest that answers at a usable
 * speed; translation: multilingual first; reasoning: reasoning-tuned first; vision: vision models
 * only; heavy: the largest that is still fast enough, 10 tokens/s), models below the speed floor
 * after the usable ones (chain-speed.ts), then the general chat models as fallbacks. Models made on
 * this machine (personas) are left out: they are used where named. Each link says why it is there,
 * for `ask --explain`.
 */
import type { Index, InstallTarget, ModelEntry } from "../../../schema/index.ts";
import { findModel } from "../catalog/find-model.ts";
import { memoryAt } from "../core/best-fit.ts";
import type { MemoryBudget } from "../core/budgets.ts";
import { DEFAULT_MIN_SPEED } from "../core/estimate-speed.ts";
import { bytes, params as formatParams, tokens } from "../core/format.ts";
import { sameModel } from "../runtimes/ollama/refs.ts";
import { ownerOf } from "../runtimes/resolve-target.ts";
import type { InstalledModel, Runtime } from "../runtimes/runtime.ts";
import { addSpeed, chainOrder, speedNote } from "./chain-speed.ts";
import { pullCandidate } from "./pull-candidate.ts";

export const TASK_NAMES = [
  "quick",
  "coding",
  "analysis",
  "translation",
  "creative",
  "reasoning",
  "vision",
  "heavy",
] as const;
export type TaskName = (typeof TASK_NAMES)[number];

/** What `heavy` calls fast enough unless config.json says otherwise: about reading speed. */
export const HEAVY_MIN_TOKENS_PER_SECOND = 10;

export interface TaskSpec {
  description: string;
  /** Index task tags that put a model in the first group. */
  prefer: readonly string[];
  /** Within a group: the fastest first, or the largest (most capable) that answers at a usable speed. */
  order: "smallest" | "largest";
  /** Only the preferred group qualifies (a model that cannot see cannot do vision). */
  only?: boolean;
  /** Its own speed floor (tokens/s), which config.json's `tasks.<task>.minTokensPerSecond` replaces. */
  minSpeed?: number;
}

export const TASKS: Record<TaskName, TaskSpec> = {
  quick: {
    description: "short answers, fast: the fastest chat model here (measured, else estimated)",
    prefer: ["chat"],
    order: "smallest",
  },
  coding: {
    description: "code: code-tuned models first, then the largest chat model",
    prefer: ["code"],
    order: "largest",
  },
  analysis: {
    description: "reading and summarising: the largest chat model that answers at a usable speed",
    prefer: ["chat"],
    order: "largest",
  },
  translation: {
    description: "between languages: multilingual models first",
    prefer: ["multilingual"],
    order: "largest",
  },
  creative: {
    description: "writing: the largest chat model that answers at a usable speed",
    prefer: ["chat"],
    order: "largest",
  },
  reasoning: {
    description: "step-by-step problems: reasoning or math models first",
    prefer: ["reasoning", "math"],
    order: "largest",
  },
  vision: { description: "images: vision models only", prefer: ["vision"], order: "largest", only: true },
  heavy: {
    description: "the largest chat model that is still fast enough here (10 tokens/s, measured or estimated)",
    prefer: ["chat"],
    order: "largest",
    minSpeed: HEAVY_MIN_TOKENS_PER_SECOND,
  },
};

/** The tokens/s a task's models must reach here to go before the slower ones. */
export function speedFloor(input: Pick<DeriveInput, "task" | "minSpeed" | "minTokensPerSecond">): number {
  return input.minTokensPerSecond ?? TASKS[input.task].minSpeed ?? input.minSpeed ?? DEFAULT_MIN_SPEED;
}

/** A model a chain may try: where it runs, what the index knows of it, and why it is in the chain. */
export interface Candidate {
  runtime: Runtime;
  ref: string;
  side: "local" | "cloud";
  installed: boolean;
  indexId?: string;
  entry?: ModelEntry;
  install?: InstallTarget;
  paramsTotal?: number;
  /** Largest context it can run here: the model's maximum, capped by what fits in memory. */
  maxContext?: number;
  /** Decode tokens/s here at the call's context, and whether it was measured or estimated. */
  tokensPerSecond?: number;
  speedSource?: "measured" | "estimated";
  why: string;
}

export interface Derivation {
  task: TaskName;
  contextTokens: number;
  chain: Candidate[];
  /** Installed models left out, and why. */
  excluded: { ref: string; why: string }[];
  /** What to pull when nothing installed qualifies: the task's first pick from the index. */
  pull?: Candidate;
}

export interface DeriveInput {
  task: TaskName;
  installed: { runtime: Runtime; models: InstalledModel[] }[];
  index: Index | undefined;
  budgets: readonly MemoryBudget[];
  /** Context the call needs (prompt estimate + room for the answer). */
  contextTokens: number;
  /** Measured generation speed (tokens/s) by ref: `small-llm bench` and local calls' metrics. */
  measured?: ReadonlyMap<string, number>;
  /** Tokens/s a model must reach to be usable here (default 8). */
  minSpeed?: number;
  /** Also name the model that would be pulled, even when something installed qualifies. */
  explain?: boolean;
  /** Installed models made on this machine (personas): left out unless named (Router.madeHere). */
  madeHere?: ReadonlySet<string>;
  /** The task's speed floor from config.json (`tasks.<task>.minTokensPerSecond`), over the task's own and minSpeed. */
  minTokensPerSecond?: number;
}

/** `7.6B` → 7.6e9; `494M` → 4.94e8; a name hint (`qwen2.5:7b`) when there is nothing else. */
export function parseParamSize(text: string | undefined): number | undefined {
  const m = /(\d+(?:\.\d+)?)\s*([mb])\b/i.exec(text ?? "");
  if (!m) return undefined;
  return Number(m[1]) * (m[2]?.toLowerCase() === "b" ? 1e9 : 1e6);
}

/**
 * Task tags of a model the index does not know: from what Ollama says it can do (≥ 0.30), else
 * from its name. A model that cannot complete text (an embedder) does not chat.
 */
function tagsOf(m: InstalledModel): string[] {
  const n = m.name.toLowerCase();
  const can = (c: string) => m.capabilities?.includes(c) ?? false;
  if (m.capabilities?.length && !can("completion")) return can("embedding") ? ["embedding"] : m.capabilities;
  const tags = ["chat"];
  if (!m.capabilities?.length && /embed|bge-|minilm|rerank/.test(n)) return ["embedding"];
  if (/code|coder|starcoder|codestral/.test(n)) tags.push("code");
  if (can("thinking") || /\br1\b|-r1|reason|qwq|think|deepseek-r/.test(n)) tags.push("reasoning");
  if (can("vision") || /vision|-vl|llava|moondream|gemma3|minicpm-v/.test(n)) tags.push("vision");
  return tags;
}

/** The largest context (a power of two, up to the model's maximum) whose memory fits the best budget. */
export function maxContextHere(entry: ModelEntry, quant: string, budgets: readonly MemoryBudget[]): number | undefined {
  const limit = entry.contextLength ?? 131072;
  const usable = Math.max(0, ...budgets.map((b) => b.usableBytes));
  if (!budgets.length) return limit;
  let best: number | undefined;
  for (let ctx = 2048; ctx <= limit; ctx *= 2) {
    const need = memoryAt(entry, quant, ctx);
    if (need === undefined || need > usable) break;
    best = ctx;
  }
  const atLimit = memoryAt(entry, quant, limit);
  if (atLimit !== undefined && atLimit <= usable) best = limit;
  return best;
}

function describe(c: Candidate): string {
  const size = c.paramsTotal ? formatParams(c.paramsTotal) : "size unknown";
  return `${size}${c.maxContext ? `, up to ${tokens(c.maxContext)} context here` : ""}`;
}

/** Match an installed model to its index entry: by install ref (Ollama), else by id or name. */
function entryOf(
  index: Index | undefined,
  runtime: Runtime,
  name: string,
): { entry?: ModelEntry; install?: InstallTarget } {
  if (!index) return {};
  const owner = ownerOf(index, name);
  if (owner) {
    const install = owner.install.find((t) => sameModel(t.ref, name));
    return install ? { entry: owner, install } : { entry: owner };
  }
  if (runtime.kind === "ollama") return {};
  const found = findModel(index, name) ?? findModel(index, name.split("/").pop() ?? name);
  return found ? { entry: found } : {};
}

export function deriveChain(input: DeriveInput): Derivation {
  const spec = TASKS[input.task];
  const usable = Math.max(0, ...input.budgets.map((b) => b.usableBytes));
  const excluded: Derivation["excluded"] = [];
  const preferred: Candidate[] = [];
  const general: Candidate[] = [];
  const tooSmall: Candidate[] = [];
  for (const { runtime, models } of input.installed) {
    for (const m of models) {
      const { entry, install } = entryOf(input.index, runtime, m.name);
      const tags = entry?.tasks ?? tagsOf(m);
      const paramsTotal = entry?.params.total ?? parseParamSize(m.parameterSize) ?? parseParamSize(m.name);
      if (m.remote) {
        excluded.push({
          ref: m.name,
          why: `a cloud model (answered at ${m.remote}): prompts would leave this machine, so it is used only where named`,
        });
        continue;
      }
      if (input.madeHere?.has(m.name)) {
        excluded.push({
          ref: m.name,
          why: "made on this machine (its own system prompt or adapter): used only where named — --model, --chain, or a chain in config.json",
        });
        continue;
      }
      const c: Candidate = { runtime, ref: m.name, side: "local", installed: true, why: "" };
      if (entry) {
        c.entry = entry;
        c.indexId = entry.id;
      }
      if (install) c.install = install;
      if (paramsTotal) c.paramsTotal = paramsTotal;
      if (tags.includes("embedding")) {
        excluded.push({ ref: m.name, why: "an embedding model, it does not chat" });
        continue;
      }
      if (entry && !tags.includes("chat") && tags.includes("base")) {
        excluded.push({ ref: m.name, why: "a base model, not tuned to follow instructions" });
        continue;
      }
      const quant = install?.quant ?? m.quant;
      if (entry && quant && input.budgets.length) {
        const max = maxContextHere(entry, quant, input.budgets);
        if (max === undefined) {
          excluded.push({ ref: m.name, why: `${quant} does not fit this machine's ${bytes(usable)} usable memory` });
          continue;
        }
        c.maxContext = max;
      } else if (m.sizeBytes && usable && m.sizeBytes * 1.2 > usable) {
        excluded.push({
          ref: m.name,
          why: `its ${bytes(m.sizeBytes)} of weights do not fit ${bytes(usable)} usable memory`,
        });
        continue;
      } else if (entry?.contextLength) c.maxContext = entry.contextLength;
      addSpeed(c, input);
      const short = c.maxContext !== undefined && c.maxContext < input.contextTokens;
      // A model whose context is too small is kept, but last: better a prompt cut (and said so) than no answer.
      const cut = short
        ? `; runs at most ${tokens(c.maxContext)} context here, the call needs ~${tokens(input.contextTokens)}: the prompt would be cut`
        : "";
      if (spec.prefer.some((t) => tags.includes(t))) {
        c.why = `${spec.prefer.filter((t) => tags.includes(t)).join("+")} model (${describe(c)})${cut}`;
        (short ? tooSmall : preferred).push(c);
      } else if (spec.only) {
        excluded.push({ ref: m.name, why: `not a ${spec.prefer.join("/")} model` });
      } else if (tags.includes("chat")) {
        c.why = `general chat model, as a fallback (${describe(c)})${cut}`;
        (short ? tooSmall : general).push(c);
      } else excluded.push({ ref: m.name, why: `tagged ${tags.join(", ")}, not chat` });
    }
  }
  const floor = speedFloor(input);
  preferred.sort(chainOrder(spec.order, floor));
  general.sort(chainOrder(input.task === "quick" ? "smallest" : "largest", floor));
  tooSmall.sort((a, b) => (b.maxContext ?? 0) - (a.maxContext ?? 0));
  const chain = [...preferred, ...general, ...tooSmall];
  chain.forEach((c, i) => {
    c.why = `${i === 0 ? "first" : `#${i + 1}`}: ${c.why}${speedNote(c, floor)}`;
  });
  const derivation: Derivation = { task: input.task, contextTokens: input.contextTokens, chain, excluded };
  // Ranking the whole index costs a millisecond or two: only when there is nothing installed, or to explain.
  const pull = chain.length === 0 || input.explain ? pullCandidate(input, spec) : undefined;
  if (pull) derivation.pull = pull;
  return derivation;
}
