/** A small index that satisfies the contract, for tests of the schema, the client and the site. */
import type { Index, ModelEntry } from "../../schema/index.ts";
import { PROFILES } from "../../schema/profiles.ts";
import { TIERS } from "../../schema/tiers.ts";

const GiB = 1024 ** 3;

export function sampleModel(overrides: Partial<ModelEntry> = {}): ModelEntry {
  return {
    id: "Qwen/Qwen2.5-0.5B-Instruct",
    name: "Qwen2.5-0.5B-Instruct",
    author: "Qwen",
    revision: "7ae557604adf67be50417f59c2c2f167def9a775",
    tier: "sub-1b",
    params: { total: 494_032_768, source: "safetensors" },
    architecture: "qwen2",
    contextLength: 32768,
    license: "apache-2.0",
    gated: false,
    tasks: ["chat"],
    downloads: 1_234_567,
    likes: 321,
    createdAt: "2024-09-16T11:55:40.000Z",
    lastModified: "2024-09-25T12:32:56.000Z",
    baseModel: "Qwen/Qwen2.5-0.5B",
    variants: [{ id: "Qwen/Qwen2.5-0.5B-Instruct-GGUF", relation: "quantized", format: "gguf" }],
    install: [
      {
        runtime: "ollama",
        ref: "hf.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M",
        quant: "Q4_K_M",
        repo: "Qwen/Qwen2.5-0.5B-Instruct-GGUF",
        file: "Qwen2.5-0.5B-Instruct-Q4_K_M.gguf",
        fileBytes: 397_807_936,
        sha256: "6eb923e7d26e9cea28811e1a8e852009b21242fb157b26149d3b188f3a8c8653",
        default: true,
      },
      {
        runtime: "ollama",
        ref: "hf.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q8_0",
        quant: "Q8_0",
        repo: "Qwen/Qwen2.5-0.5B-Instruct-GGUF",
        file: "Qwen2.5-0.5B-Instruct-Q8_0.gguf",
        fileBytes: 675_710_816,
        default: false,
      },
    ],
    fit: [
      {
        quant: "Q4_K_M",
        contextLength: 4096,
        memoryBytes: Math.round(0.9 * GiB),
        fits: ["cpu-8gb", "gpu-4gb"],
        tokensPerSecond: { "cpu-8gb": 77, "gpu-4gb": 220 },
      },
      {
        quant: "Q8_0",
        contextLength: 4096,
        memoryBytes: Math.round(1.2 * GiB),
        fits: ["cpu-8gb", "gpu-4gb"],
        tokensPerSecond: { "cpu-8gb": 48, "gpu-4gb": 150 },
      },
    ],
    ...overrides,
  };
}

export function sampleIndex(models: ModelEntry[] = defaultModels()): Index {
  return {
    schemaVersion: 1,
    version: "2026-11-23.3f9a1c2b",
    generatedAt: "2026-11-23T06:00:00.000Z",
    fixture: true,
    tiers: [...TIERS],
    profiles: [...PROFILES],
    models,
  };
}

function defaultModels(): ModelEntry[] {
  return [
    sampleModel(),
    sampleModel({
      id: "meta-llama/Llama-3.2-3B-Instruct",
      name: "Llama-3.2-3B-Instruct",
      author: "meta-llama",
      tier: "1b-8b",
      params: { total: 3_212_749_824, source: "safetensors" },
      architecture: "llama",
      contextLength: 131072,
      license: "llama3.2",
      gated: true,
      tasks: ["chat", "tools"],
      baseModel: "meta-llama/Llama-3.2-3B",
      variants: [],
      install: [
        {
          runtime: "ollama",
          ref: "hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M",
          quant: "Q4_K_M",
          repo: "bartowski/Llama-3.2-3B-Instruct-GGUF",
          file: "Llama-3.2-3B-Instruct-Q4_K_M.gguf",
          fileBytes: 2_019_377_376,
          default: true,
        },
      ],
      fit: [
        {
          quant: "Q4_K_M",
          contextLength: 4096,
          memoryBytes: Math.round(2.9 * GiB),
          fits: ["cpu-8gb", "gpu-4gb"],
          tokensPerSecond: { "cpu-8gb": 13, "gpu-4gb": 46 },
        },
      ],
    }),
  ];
}
