/**
 * What llama.cpp really allocates for a GGUF at a context size, read from llama.cpp itself: the
 * model's buffers (node-llama-cpp `model.memoryUsage`), and for a context its KV cache, compute
 * and output buffers (llama.cpp's own `… buffer size = N MiB` lines, which node-llama-cpp forwards
 * to our logger at level info) — and node-llama-cpp's V2 estimate of the same from the file's
 * header alone, which simulates the allocation without making it (reference §3.1, §3.3).
 */
import type { Llama } from "node-llama-cpp";

const MiB = 1024 ** 2;

export interface Allocation {
  weights: number;
  kv: number;
  compute: number;
  output: number;
  /** Context total as node-llama-cpp reports it (KV + compute + output), to check the parsed lines. */
  context: number;
  /** Whether llama.cpp used flash attention (its default `auto` enables it where the backend can). */
  flashAttention: boolean;
}

export interface Engine {
  llama: Llama;
  module: typeof import("node-llama-cpp");
  /** llama.cpp's log lines since the last `take()`. */
  take(): string[];
  /**
   * The lines up to one matching `pattern`: llama.cpp's logs reach JavaScript asynchronously, after
   * the call that printed them has resolved.
   */
  until(pattern: RegExp, timeoutMs?: number): Promise<string[]>;
}

export async function startEngine(): Promise<Engine> {
  const module = await import("node-llama-cpp");
  let lines: string[] = [];
  const llama = await module.getLlama({
    gpu: false,
    build: "never",
    logLevel: module.LlamaLogLevel.info,
    logger: (_level, message) => lines.push(message),
  });
  llama.maxThreads = Math.max(1, llama.cpuMathCores);
  const take = () => {
    const taken = lines;
    lines = [];
    return taken;
  };
  return {
    llama,
    module,
    take,
    until: async (pattern, timeoutMs = 5000) => {
      const deadline = Date.now() + timeoutMs;
      while (!lines.some((l) => pattern.test(l))) {
        if (Date.now() > deadline) throw new Error(`llama.cpp never logged ${pattern}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return take();
    },
  };
}

/** Sum the `<what> buffer size = N MiB` lines (a sliding-window model has two KV caches). */
function buffers(lines: string[], what: RegExp): number {
  return lines
    .filter((l) => what.test(l))
    .map((l) => /buffer size\s*=\s*([\d.]+) MiB/.exec(l)?.[1])
    .reduce((sum, mib) => sum + (mib ? Number(mib) * MiB : 0), 0);
}

/** Load `path`, create a context of each size in turn, and read what was allocated. */
export async function measure(engine: Engine, path: string, contexts: number[]): Promise<Map<number, Allocation>> {
  const out = new Map<number, Allocation>();
  engine.take();
  const model = await engine.llama.loadModel({ modelPath: path });
  try {
    for (const contextSize of contexts) {
      engine.take();
      const context = await model.createContext({ contextSize, batchSize: 512, sequences: 1 });
      const lines = await engine.until(/compute buffer size/);
      out.set(contextSize, {
        weights: model.memoryUsage.ram,
        kv: buffers(lines, /KV buffer size/),
        compute: buffers(lines, /compute buffer size/),
        output: buffers(lines, /output buffer size/),
        context: context.memoryUsage.ram,
        flashAttention: lines.some((l) => /Flash Attention enabled/i.test(l)),
      });
      await context.dispose();
    }
  } finally {
    await model.dispose();
  }
  return out;
}

/** node-llama-cpp's V2 estimate (weights, context) from a header-only GGUF, for a CPU-only load. */
export async function estimateV2(
  engine: Engine,
  headerPath: string,
  contexts: number[],
): Promise<Map<number, { weights: number; context: number }>> {
  const info = await engine.module.readGgufFileInfo(headerPath);
  const insights = await engine.module.GgufInsights.from(info, engine.llama);
  const weights = (await insights.estimateModelResourceRequirementsV2({ gpuLayers: 0 })).cpuRam;
  const out = new Map<number, { weights: number; context: number }>();
  for (const contextSize of contexts) {
    const context = await insights.estimateContextResourceRequirementsV2({
      contextSize,
      modelGpuLayers: 0,
      batchSize: 512,
      sequences: 1,
    });
    out.set(contextSize, { weights, context: context.cpuRam });
  }
  return out;
}
