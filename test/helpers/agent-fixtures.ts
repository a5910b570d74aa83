/** An index, registry and machine for the agent tests: a small chat model, a larger one, a code model, a base model. */
import type { Hardware } from "../../client/src/hardware/detect-hardware.ts";
import type { Index, ModelEntry } from "../../schema/index.ts";
import { ggufModel, type RegistryModel } from "../ollama-emulator/server.ts";
import { sampleIndex, sampleModel } from "./sample-index.ts";

const GiB = 1024 ** 3;

export const SMALL = "hf.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M";
export const LARGE = "hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M";
export const CODER = "hf.co/Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF:Q4_K_M";
export const BASE = "hf.co/example/Tiny-Base-GGUF:Q4_K_M";

function entry(id: string, ref: string, params: number, tasks: string[], contextLength = 32768): ModelEntry {
  const [author, name] = id.split("/") as [string, string];
  return sampleModel({
    id,
    name,
    author,
    tier: params < 1e9 ? "sub-1b" : "1b-8b",
    params: { total: params, source: "safetensors" },
    tasks,
    contextLength,
    downloads: Math.round(params / 1000),
    variants: [],
    install: [
      {
        runtime: "ollama",
        ref,
        quant: "Q4_K_M",
        repo: ref.slice(6, ref.indexOf(":")),
        file: `${name}-Q4_K_M.gguf`,
        fileBytes: Math.round(params * 0.6),
        default: true,
      },
    ],
    fit: [
      {
        quant: "Q4_K_M",
        contextLength: 4096,
        memoryBytes: Math.round(params * 0.6 + 0.3 * GiB),
        kvCacheBytes: Math.round(0.1 * GiB),
        fits: ["cpu-8gb"],
      },
    ],
  });
}

export function agentIndex(): Index {
  return sampleIndex([
    entry("Qwen/Qwen2.5-0.5B-Instruct", SMALL, 494_032_768, ["chat", "multilingual"]),
    entry("meta-llama/Llama-3.2-3B-Instruct", LARGE, 3_212_749_824, ["chat", "tools"], 131072),
    entry("Qwen/Qwen2.5-Coder-1.5B-Instruct", CODER, 1_543_714_304, ["chat", "code"]),
    entry("example/Tiny-Base", BASE, 200_000_000, ["base"]),
  ]);
}

export const agentRegistry = (): RegistryModel[] =>
  [SMALL, LARGE, CODER, BASE].map((ref) => ggufModel(ref, 1_000_000, { parameterSize: "1B" }));

/** A 16 GB machine without a GPU, whose RAM reads like dual-channel DDR4-3200: every model here is usable. */
export const machine: Hardware = {
  platform: "linux",
  arch: "x64",
  cpu: { model: "test cpu", cores: 2 },
  ram: {
    totalBytes: 16 * GiB,
    availableBytes: 12 * GiB,
    bandwidth: { gbs: 51.2, source: "stated", basis: "the agent tests' machine" },
  },
  gpus: [],
  unifiedMemory: false,
};
