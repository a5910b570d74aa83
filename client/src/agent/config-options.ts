/**
 * The Ollama options config.json sets before a call's own: per model (`options`, keyed by index id
 * or by the runtime's model name) and per task (`tasks.<task>.options`). Layered from the most
 * general to the most specific — the model's entry under its index id, then under its runtime name,
 * then the task's, then the call's — so a value given for this call always wins.
 * `"applyOptions": false` turns both off (the call's own still apply), e.g. to compare a model's
 * defaults with tuned settings without editing the file.
 */
import { sameModel } from "../runtimes/ollama/refs.ts";
import type { AgentConfig } from "./config.ts";

/** Which model a call runs: its runtime name, and the index id it belongs to when the index knows it. */
export interface OptionTarget {
  ref: string;
  indexId?: string | undefined;
}

export const applyingOptions = (config: AgentConfig) => config.applyOptions !== false;

/** The config's per-model options for this model: the index id's entry, then the runtime name's on top. */
export function modelOptions(config: AgentConfig, target: OptionTarget): Record<string, unknown> {
  if (!applyingOptions(config) || !config.options) return {};
  const entries = Object.entries(config.options);
  const id = target.indexId?.toLowerCase();
  const byId = id ? entries.filter(([key]) => key.toLowerCase() === id) : [];
  const byRef = entries.filter(([key]) => key === target.ref || sameModel(key, target.ref));
  return Object.assign({}, ...byId.map(([, o]) => o), ...byRef.map(([, o]) => o));
}

/** The task's options from the config, unless applying them is off. */
export function taskOptions(config: AgentConfig, task: string | undefined): Record<string, unknown> {
  if (!applyingOptions(config) || task === undefined) return {};
  return config.tasks?.[task]?.options ?? {};
}
