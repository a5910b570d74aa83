/**
 * `npm run bench:fit`: the index's memory estimate (model-config/memory.ts, what hardware-fit.ts
 * publishes) against what llama.cpp really allocates, for real configs from
 * pipeline/test/fixtures/configs — dense, GQA, sliding-window, mixture-of-experts. For each, a GGUF
 * with the config's real tensors (Q8_0) is written, loaded by llama.cpp (node-llama-cpp's CPU
 * build) and given a 4,096- and, where the model takes it, a 32,768-token context; llama.cpp's
 * buffers (weights, KV cache, compute, output) are read back and set beside the estimate.
 *
 * "measured" means a real load: files ≤ 2 B parameters carry deterministic random weights; the
 * larger ones are sparse files of zeros (what is allocated depends on shapes, not values, and an
 * mmap'd hole costs no RAM), so 7–8 B models are measured too on this 24 GiB machine. "V2" is
 * node-llama-cpp's estimate from a header-only copy, which simulates the allocation in
 * milliseconds: shown as a cross-check, and the only figure with `--estimate-only` and for the
 * `--held-out` configs. `--only=<name part>` picks configs.
 * The estimate compared excludes the fixed 250 MiB runtime allowance, which no buffer shows.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { supportedModelType, writeGgufFromConfig } from "../../test/helpers/gguf/from-config.ts";
import { FIT_CONTEXTS } from "../hardware-fit.ts";
import { estimateParams } from "../model-config/estimate-params.ts";
import { estimateMemory, graphBytes, RUNTIME_FOOTPRINT_BYTES } from "../model-config/memory.ts";
import { type Allocation, estimateV2, measure, startEngine } from "./fit/measure.ts";

const CONFIGS: { name: string; weights: "random" | "zeros"; kind: string; v2Only?: boolean }[] = [
  { name: "HuggingFaceTB__SmolLM2-135M-Instruct", weights: "random", kind: "dense, GQA 3:1" },
  { name: "Qwen__Qwen2.5-0.5B-Instruct", weights: "random", kind: "GQA 7:1, 152K vocab" },
  { name: "meta-llama__Llama-3.2-1B-Instruct", weights: "random", kind: "GQA 4:1, 128K vocab" },
  { name: "google__gemma-3-1b-it", weights: "random", kind: "sliding window 512 (5:1)" },
  { name: "ibm-granite__granite-3.0-1b-a400m-instruct", weights: "random", kind: "MoE 32×, 8 active" },
  { name: "Qwen__Qwen3-1.7B", weights: "random", kind: "head_dim 128, q/k norm" },
  { name: "google__gemma-2-2b-it", weights: "zeros", kind: "sliding window 4096 (1:1)" },
  { name: "meta-llama__Llama-3.1-8B", weights: "zeros", kind: "dense 8B, GQA 4:1" },
  { name: "Qwen__Qwen2.5-7B", weights: "zeros", kind: "dense 7B, GQA 7:1" },
  { name: "mistralai__Mistral-7B-v0.3", weights: "zeros", kind: "dense 7B, GQA 4:1" },
  { name: "Qwen__Qwen3-8B", weights: "zeros", kind: "dense 8B, GQA 4:1" },
  { name: "Qwen__Qwen1.5-MoE-A2.7B-Chat", weights: "zeros", kind: "MoE 60× + shared, 14 B" },
];

/**
 * `--held-out` adds every other fixture config of a supported architecture, V2 only: configs the
 * estimator's formulas were not fitted on.
 */
const heldOut = process.argv.includes("--held-out");
if (heldOut)
  for (const file of readdirSync(new URL("../test/fixtures/configs/", import.meta.url)).sort()) {
    const name = file.replace(/\.json$/, "");
    if (!file.endsWith(".json") || CONFIGS.some((c) => c.name === name)) continue;
    const config = JSON.parse(readFileSync(new URL(`../test/fixtures/configs/${file}`, import.meta.url), "utf8"));
    if (supportedModelType(config)) CONFIGS.push({ name, weights: "zeros", kind: "held out", v2Only: true });
  }
const estimateOnly = process.argv.includes("--estimate-only");
const only = process.argv.find((a) => a.startsWith("--only="))?.slice(7);
const MiB = 1024 ** 2;
const mib = (n: number) => (n / MiB).toFixed(0).padStart(6);
const pct = (est: number, real: number) => `${(((est - real) / real) * 100).toFixed(1)}%`.padStart(7);

const engine = await startEngine();
const dir = mkdtempSync(join(tmpdir(), "small-llm-bench-fit-"));
const rows: string[] = [];
const errors: { name: string; context: number; error: number }[] = [];
try {
  for (const { name, weights, kind, v2Only } of CONFIGS.filter((c) => !only || c.name.includes(only))) {
    const config = JSON.parse(readFileSync(new URL(`../test/fixtures/configs/${name}.json`, import.meta.url), "utf8"));
    const maxContext = Number(config.max_position_embeddings ?? config.text_config?.max_position_embeddings ?? 0);
    // The contexts hardware-fit.ts publishes for this model.
    const contexts = FIT_CONTEXTS.filter((c) => c === 4096 || maxContext >= c);
    const header = writeGgufFromConfig(join(dir, `${name}.header.gguf`), config, "none");
    const v2 = await estimateV2(engine, header.path, [...contexts]);
    let real: Map<number, Allocation> | undefined;
    if (!estimateOnly && !v2Only) {
      const file = writeGgufFromConfig(join(dir, `${name}.gguf`), config, weights);
      try {
        real = await measure(engine, file.path, [...contexts]);
      } finally {
        rmSync(file.path, { force: true });
      }
    }
    for (const contextLength of contexts) {
      const index = estimateMemory({
        fileBytes: header.fileBytes,
        contextLength,
        params: estimateParams(config)?.total ?? 0,
        config,
      });
      const graph = graphBytes(config, contextLength) ?? 0;
      const est = index.memoryBytes - RUNTIME_FOOTPRINT_BYTES;
      const simulated = v2.get(contextLength) as { weights: number; context: number };
      const m = real?.get(contextLength);
      const truth = m ? m.weights + m.kv + m.compute + m.output : simulated.weights + simulated.context;
      errors.push({ name, context: contextLength, error: (est - truth) / truth });
      rows.push(
        [
          `${name.replace(/^[^_]+__/, "").padEnd(28)} ${String(contextLength).padStart(6)}`,
          m ? (weights === "random" ? "measured " : "measured°") : "V2 only  ",
          `${mib(header.fileBytes)} ${m ? mib(m.weights) : "     -"}`,
          `${mib(index.kvCacheBytes)} ${m ? mib(m.kv) : "     -"}`,
          `${mib(graph)} ${m ? mib(m.compute + m.output) : "     -"}`,
          `${mib(est)} ${mib(truth)} ${pct(est, truth)}`,
          `${mib(simulated.weights + simulated.context)}`,
          m ? (m.flashAttention ? "FA" : "no FA") : "",
          kind,
        ].join(" │ "),
      );
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  await engine.llama.dispose();
}

console.log(
  [
    "Memory to run each model on llama.cpp (CPU, batch 512, f16 KV, flash attention auto), MiB: index estimate vs llama.cpp",
    `model                         context │ source    │ weights est/real │ KV est/real │ graph est/real │   est   real   error │ V2 sim │ FA    │ what it tests`,
    ...rows,
    "",
    "est = the index's memoryBytes less its fixed 250 MiB runtime allowance; real = llama.cpp's buffers (weights + KV + compute + output).",
    "measured = loaded by llama.cpp with random weights; measured° = loaded from a sparse all-zero file of the same size (allocation does",
    "not depend on values); V2 sim = node-llama-cpp's estimate from the header alone, which should equal real.",
    `mean |error| ${((errors.reduce((s, e) => s + Math.abs(e.error), 0) / errors.length) * 100).toFixed(1)}%, ` +
      `worst ${(() => {
        const w = errors.reduce((a, b) => (Math.abs(b.error) > Math.abs(a.error) ? b : a));
        return `${(w.error * 100).toFixed(1)}% (${w.name} at ${w.context})`;
      })()}`,
  ].join("\n"),
);
