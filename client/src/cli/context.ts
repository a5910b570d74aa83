/** What every command gets: output channels, the cancel signal, the index and the runtime, loaded on demand. */
import type { Index } from "../../../schema/index.ts";
import { getIndex, type IndexResult } from "../catalog/get-index.ts";
import { indexUrls } from "../catalog/urls.ts";
import { age } from "../core/format.ts";
import { OllamaDriver } from "../runtimes/ollama/driver.ts";

export interface Globals {
  indexUrl?: string[];
  offline?: boolean;
  json?: boolean;
  start?: boolean;
}

export interface Context {
  json: boolean;
  /** Results: stdout. */
  print: (text: string) => void;
  /** Everything else (progress, notes, which index): stderr, so `--json` stdout stays clean. */
  info: (text: string) => void;
  signal: AbortSignal;
  loadIndex: (refresh?: boolean) => Promise<IndexResult>;
  /** The Ollama runtime, started first when installed here but down (unless --no-start); the index when one could be had. */
  runtime: (options?: {
    start?: boolean;
    index?: boolean;
  }) => Promise<{ runtime: OllamaDriver; index: Index | undefined }>;
}

export function describeSource(r: IndexResult): string {
  const note =
    r.source === "stale-cache" || r.source === "bundled"
      ? ` — an offline copy${r.source === "bundled" ? ` of only ${r.index.models.length} well-known models` : ""}; \`small-llm refresh\` when online`
      : "";
  return `index ${r.index.version} (${r.index.models.length} models) from ${r.source}, ${age(r.ageMs)} old${note}`;
}

export function createContext(globals: () => Globals, signal: AbortSignal): Context {
  const json = () => Boolean(globals().json);
  const info = (text: string) => process.stderr.write(`${text}\n`);
  let said = false;
  const loadIndex = async (refresh = false) => {
    const result = await getIndex({
      urls: globals().indexUrl ?? indexUrls(),
      offline: Boolean(globals().offline),
      refresh,
      signal,
    });
    if (!said) {
      for (const w of result.warnings) info(`warning: ${w}`);
      said = true;
    }
    return result;
  };
  return {
    get json() {
      return json();
    },
    print: (text) => process.stdout.write(`${text}\n`),
    info,
    signal,
    loadIndex,
    runtime: async (options = {}) => {
      const index = await loadIndex()
        .then((r) => r.index)
        .catch(() => undefined);
      const runtime = new OllamaDriver();
      if (options.start !== false && globals().start !== false) {
        const started = await runtime.ensureRunning({ signal });
        if (started.started) info(`started \`ollama serve\` (pid ${started.pid}, log: ${started.logFile})`);
      }
      return { runtime, index };
    },
  };
}
