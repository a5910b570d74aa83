/**
 * Where the client keeps things, by kind, as each platform expects (env-paths): caches that may be
 * deleted any time, configuration the user edits, data it installed (a managed Ollama), and state
 * it must not lose on a cache clean (metrics, benchmarks, pid files, logs).
 */
import { join } from "node:path";
import envPaths from "env-paths";

export interface Paths {
  /** The index cache (`SMALL_LLM_CACHE_DIR`; e.g. ~/.cache/small-llm). */
  cache: string;
  /** `config.json` (`SMALL_LLM_CONFIG_DIR`; e.g. ~/.config/small-llm). */
  config: string;
  /** Installed runtimes, e.g. `ollama/<version>/` (e.g. ~/.local/share/small-llm). */
  data: string;
  /** Metrics, benchmarks, pid files (`SMALL_LLM_STATE_DIR`; e.g. ~/.local/state/small-llm). */
  state: string;
  /** Logs of servers this tool started: `<state>/logs`. */
  logs: string;
}

/** How each folder is named in an error: what it is and the variable that moves it. */
export const DIR_LABELS = {
  cache: "the cache directory (SMALL_LLM_CACHE_DIR)",
  state: "the state directory (SMALL_LLM_STATE_DIR)",
  data: "the data directory (XDG_DATA_HOME)",
} as const;

export function paths(env: NodeJS.ProcessEnv = process.env): Paths {
  const p = envPaths("small-llm", { suffix: "" });
  // env-paths has no state dir; XDG puts state beside its log dir on Linux, elsewhere it goes with data.
  const state = env.SMALL_LLM_STATE_DIR || (process.platform === "linux" ? p.log : join(p.data, "state"));
  return {
    cache: env.SMALL_LLM_CACHE_DIR || p.cache,
    config: env.SMALL_LLM_CONFIG_DIR || p.config,
    data: p.data,
    state,
    logs: join(state, "logs"),
  };
}
