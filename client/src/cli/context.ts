/**
 * What every command gets: output channels, the cancel signal, this run's Router (the index as the
 * global flags ask for it, the hardware, the runtimes) and the operations on the Ollama runtime.
 */
import type { Index } from "../../../schema/index.ts";
import { Router } from "../agent/router.ts";
import { getIndex, type IndexResult } from "../catalog/get-index.ts";
import { indexUrls } from "../catalog/urls.ts";
import { age } from "../core/format.ts";
import { createOperations, type Operations } from "../operations/index.ts";
import { isGgufPath } from "../operations/refs.ts";
import { OllamaDriver } from "../runtimes/ollama/driver.ts";
import { type CliIo, readAll } from "./io.ts";
import { UsageError } from "./usage-error.ts";

export interface Globals {
  indexUrl?: string[];
  offline?: boolean;
  json?: boolean;
  start?: boolean;
  runtime?: "ollama" | "embedded";
}

export interface Context {
  json: boolean;
  io: CliIo;
  /** How wide a table may be: the terminal's columns; unlimited when stdout is not a terminal (grep, scripts). */
  readonly columns: number | undefined;
  /** A result line: stdout. */
  print: (text: string) => void;
  /** Text as it streams (tokens): stdout, no newline added. */
  write: (text: string) => void;
  /** Everything else (progress, notes, which index): stderr, so `--json` stdout stays clean. */
  info: (text: string) => void;
  signal: AbortSignal;
  /** This run's Router: what lives longer than one call. */
  readonly router: Router;
  /** Free what the run loaded in process (an embedded model, llama.cpp), when it made a Router at all. */
  close: () => Promise<void>;
  loadIndex: (refresh?: boolean) => Promise<IndexResult>;
  /**
   * The operations on the runtime this run manages: the embedded one with `--runtime embedded` or
   * for a `.gguf` path (`model`), else Ollama, started first when installed here but down (unless
   * --no-start or `start: false`).
   */
  operations: (options?: { start?: boolean; model?: string | undefined }) => Promise<Operations>;
  /** Ollama itself, for what only it does (Modelfiles, create, bench), started likewise; and the index if one can be had. */
  ollama: (options?: { start?: boolean }) => Promise<{ runtime: OllamaDriver; index: Index | undefined }>;
  /** Whether `--runtime` named the runtime (else Ollama, or the embedded runtime for a `.gguf` path). */
  readonly runtimeChosen: boolean;
  /** The runtime `--runtime` named, else ollama. */
  readonly runtimeKind: "ollama" | "embedded";
  /** The arguments this run was given (after `small-llm`). */
  argv: readonly string[];
  /** The prompt piped on stdin; empty on a terminal. */
  stdinText: () => Promise<string>;
}

export function describeSource(r: IndexResult): string {
  const note =
    r.source === "stale-cache" || r.source === "bundled"
      ? ` — an offline copy${r.source === "bundled" ? ` of only ${r.index.models.length} well-known models` : ""}; \`small-llm refresh\` when online`
      : "";
  const from = r.source === "file" ? `the file ${r.url}` : r.source;
  return `index ${r.index.version} (${r.index.models.length} models) from ${from}, ${age(r.ageMs)} old${note}`;
}

export function createContext(globals: () => Globals, io: CliIo, argv: readonly string[]): Context {
  const info = (text: string) => void io.stderr.write(`${text}\n`);
  let said = false;
  let router: Router | undefined;
  const loadIndex = async (refresh = false) => {
    const chosen = globals().indexUrl ?? (process.env.SMALL_LLM_INDEX_URL?.trim() ? indexUrls() : undefined);
    const result = await getIndex({
      urls: chosen ?? indexUrls(),
      chosen: chosen !== undefined,
      offline: Boolean(globals().offline),
      refresh,
      signal: io.signal,
    });
    if (!said) {
      for (const w of result.warnings) info(`warning: ${w}`);
      said = true;
    }
    return result;
  };
  const startedOllama = async (start: boolean | undefined) => {
    const runtime = new OllamaDriver();
    if (start !== false && globals().start !== false) {
      const started = await runtime.ensureRunning({ signal: io.signal });
      if (started.started) info(`started \`ollama serve\` (pid ${started.pid}, log: ${started.logFile})`);
    }
    return runtime;
  };
  const context: Context = {
    get json() {
      return Boolean(globals().json);
    },
    io,
    get columns() {
      return io.stdout.isTTY ? io.stdout.columns || 80 : undefined;
    },
    print: (text) => void io.stdout.write(`${text}\n`),
    write: (text) => void io.stdout.write(text),
    info,
    signal: io.signal,
    // Made on first use: the global flags are parsed by then.
    get router() {
      router ??= new Router({ loadIndex });
      return router;
    },
    close: async () => router?.dispose(),
    loadIndex: (refresh = false) => context.router.loadIndex(refresh, io.signal),
    async ollama(options = {}) {
      return { runtime: await startedOllama(options.start), index: await context.router.index(io.signal) };
    },
    async operations(options = {}) {
      const gguf = options.model !== undefined && isGgufPath(options.model);
      if (gguf && globals().runtime === "ollama")
        throw new UsageError(
          `${options.model} is a GGUF file: it runs on the embedded runtime (drop --runtime ollama). ` +
            "Ollama runs one once it is imported: `ollama create NAME -f Modelfile` with `FROM <path>` in the Modelfile.",
        );
      const kind = globals().runtime ?? (gguf ? "embedded" : "ollama");
      const runtime = kind === "embedded" ? context.router.embedded() : await startedOllama(options.start);
      return createOperations({ router: context.router, runtime, argName: (field) => `--${field}` });
    },
    get runtimeChosen() {
      return globals().runtime !== undefined;
    },
    get runtimeKind() {
      return globals().runtime ?? "ollama";
    },
    argv,
    stdinText: async () => (io.stdin.isTTY ? "" : (await readAll(io.stdin)).trim()),
  };
  return context;
}
