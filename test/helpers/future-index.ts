/**
 * An index from a later minor version than this code: a top-level field, an entry field, a
 * runtime, a parameter-count source and a fit basis that the v1.0 reader has never seen.
 * A reader must use everything else in it (issue: old clients keep working when the index grows).
 */
import type { Index } from "../../schema/index.ts";
import { sampleIndex, sampleModel } from "./sample-index.ts";

export function futureIndex(): Index {
  const base = sampleIndex();
  const [qwen, llama] = base.models as [Index["models"][0], Index["models"][0]];
  const future = {
    ...qwen,
    benchmarks: { mmlu: 0.47 },
    install: [
      ...qwen.install,
      { runtime: "llamacpp", url: "https://huggingface.co/x/y/resolve/main/z.gguf", quant: "Q4_K_M", default: false },
    ],
    fit: [
      ...qwen.fit.filter((f) => f.quant === "Q4_K_M"),
      { quant: "Q8_0", contextLength: 4096, memoryBytes: 1, fits: [], basis: "measured" },
    ],
  };
  const unknownSource = sampleModel({
    id: "future/unknown-source",
    name: "unknown-source",
    author: "future",
    params: { total: 500_000_000, source: "benchmark" as never },
  });
  return { ...base, mirrors: ["https://example.org/v1/index.json"], models: [future, llama, unknownSource] } as never;
}
