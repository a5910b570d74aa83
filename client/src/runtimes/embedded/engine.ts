/**
 * node-llama-cpp, loaded only when the embedded runtime is used: it is an optional peer of this
 * package (85 MB on disk for the CPU build, 725 MB with every GPU build), so `import "small-llm"`
 * must never reach it. The dynamic import keeps it out of the bundle too: node-llama-cpp tests its
 * binary in a child process and warns when it is bundled with other code.
 */
import { cpus } from "node:os";
import type { Llama, LlamaGpuType } from "node-llama-cpp";
import { EmbeddedUnavailableError } from "../../errors/index.ts";

export type NodeLlamaCpp = typeof import("node-llama-cpp");

/** The version range this client is tested with; keep in step with client/package.json's peer. */
export const ENGINE_RANGE = "^3.21.1";

export const INSTALL_HINT =
  `Add it beside small-llm: \`npm install node-llama-cpp@${ENGINE_RANGE}\` in your project, or ` +
  "`npm install -g node-llama-cpp` beside a global small-llm. On Linux x64 without a GPU, " +
  "`npm install --omit=optional --ignore-scripts node-llama-cpp @node-llama-cpp/linux-x64` takes only the " +
  "CPU build (about 85 MB instead of 725 MB). Or use Ollama instead: `small-llm setup`.";

/** Import node-llama-cpp (or `specifier`, for tests); a missing package becomes an error that says how to add it. */
export async function importEngine(specifier = "node-llama-cpp"): Promise<NodeLlamaCpp> {
  try {
    return (await import(specifier)) as NodeLlamaCpp;
  } catch (error) {
    const e = error as { code?: string; message?: string };
    // Only the package itself being absent is "not installed"; a broken install shows its own error.
    if (e?.code === "ERR_MODULE_NOT_FOUND" && String(e.message).includes(`'${specifier}'`))
      throw new EmbeddedUnavailableError(
        `the embedded runtime needs ${specifier}, which is not installed. ${INSTALL_HINT}`,
        { cause: error },
      );
    throw new EmbeddedUnavailableError(`${specifier} is installed but could not be loaded: ${e?.message ?? error}`, {
      cause: error,
    });
  }
}

export interface EngineOptions {
  /** `"auto"` (default) takes Metal, CUDA or Vulkan when a binary for it loads, else the CPU; `false` forces the CPU. */
  gpu?: "auto" | LlamaGpuType | undefined;
  /** The module to import (default `node-llama-cpp`); tests name an absent one. */
  specifier?: string | undefined;
}

/**
 * A `Llama` (the loaded binary and backend). Never compiles llama.cpp (`build: "never"`): a source
 * build takes minutes and a toolchain, which a CLI must not start behind the user's back. Threads
 * are capped at the physical cores llama.cpp counts (`cpuMathCores`): node-llama-cpp's default of
 * at least 4 oversubscribes small machines (160× slower on 2 cores, reference §1.1).
 */
export async function createLlama(options: EngineOptions = {}): Promise<{ engine: NodeLlamaCpp; llama: Llama }> {
  const engine = await importEngine(options.specifier);
  let llama: Llama;
  try {
    llama = await engine.getLlama({
      gpu: options.gpu ?? "auto",
      build: "never",
      logLevel: engine.LlamaLogLevel.error,
      // llama.cpp's own lines (a truncated file gives four) come before our message, which says the
      // same plainly: shown only when asked for.
      logger: (_level, message) => {
        if (process.env.SMALL_LLM_LLAMA_LOG === "1") process.stderr.write(`[llama.cpp] ${message.trimEnd()}\n`);
      },
      progressLogs: false,
    });
  } catch (error) {
    const noBinary = error instanceof engine.NoBinaryFoundError;
    throw new EmbeddedUnavailableError(
      noBinary
        ? `node-llama-cpp has no prebuilt llama.cpp binary for ${process.platform}-${process.arch} that loads here. ` +
            "Install the binary package for this platform (e.g. `npm install @node-llama-cpp/linux-x64`, same version as " +
            "node-llama-cpp), or build one with `npx --no node-llama-cpp source download`; or use Ollama: `small-llm setup`."
        : `llama.cpp could not start through node-llama-cpp: ${(error as Error)?.message ?? error}. ` +
            "Reinstall node-llama-cpp, or use Ollama: `small-llm setup`.",
      { cause: error },
    );
  }
  llama.maxThreads = Math.max(1, llama.cpuMathCores);
  return { engine, llama };
}

/** What `status` says about the engine, without loading a model. */
export interface EngineInfo {
  available: boolean;
  /** Why not, and what to do, when not available. */
  reason?: string;
  /** node-llama-cpp's version. */
  version?: string;
  /** llama.cpp's release inside it, e.g. `ggml-org/llama.cpp@b6000`. */
  llamaCpp?: string;
  /** `prebuilt` (a binary package from npm) or `localBuild` (compiled here). */
  build?: "prebuilt" | "localBuild";
  /** The GPU backend in use (`metal`, `cuda`, `vulkan`) or false for the CPU. */
  gpu?: LlamaGpuType;
  /** GPU backends whose binaries are installed and load on this machine. */
  gpuTypes?: LlamaGpuType[];
  /** Threads a context uses by default: the physical cores llama.cpp counts. */
  threads?: number;
  /** The CPU features the loaded binary uses (llama.cpp's system info). */
  cpuFeatures?: string;
}

export async function engineInfo(llama: Llama, engine: NodeLlamaCpp): Promise<EngineInfo> {
  const gpuTypes = await engine.getLlamaGpuTypes("supported").catch(() => [] as LlamaGpuType[]);
  return {
    available: true,
    version: await engine.getModuleVersion(),
    llamaCpp: `${llama.llamaCppRelease.repo}@${llama.llamaCppRelease.release}`,
    build: llama.buildType,
    gpu: llama.gpu,
    gpuTypes,
    threads: llama.maxThreads,
    cpuFeatures: llama.systemInfo
      .split("|")
      .map((s) => s.trim())
      .filter((s) => s.endsWith("= 1"))
      .map((s) => s.replace(/\s*=\s*1$/, "").replace(/^CPU\s*:\s*/, ""))
      .join(" "),
  };
}

type CpuTimes = { idle: number; total: number }[];

const cpuTimes = (): CpuTimes =>
  cpus().map(({ times: t }) => ({ idle: t.idle, total: t.user + t.nice + t.sys + t.idle + t.irq }));

/**
 * Threads for a new context when num_thread is not set: the physical cores, less the cores other
 * work keeps busy right now (sampled over a tenth of a second while this process waits). llama.cpp's
 * threads wait on the slowest of them, so a thread on a core another process holds slows every
 * token: on 2 cores with one busy, 2 threads decoded 1.2 tokens/s where 1 thread decoded 29.7.
 */
export async function freeThreads(cores: number, sample = cpuTimes, ms = 100): Promise<number> {
  const before = sample();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = sample();
  let busy = 0;
  for (const [i, a] of after.entries()) {
    const b = before[i];
    if (!b) continue;
    const total = a.total - b.total;
    if (total > 0) busy += 1 - (a.idle - b.idle) / total;
  }
  return Math.max(1, Math.min(cores, cores - Math.round(busy)));
}
