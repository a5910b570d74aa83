/**
 * The fixture Hub catalogue: repos in the shapes the real Hub answers with (see
 * ../shared/reference/hub-samples), built from real config.json files and published parameter
 * counts. It holds the cases discovery must get right: base models of both tiers, quantized /
 * converted / re-uploaded / fine-tuned / merged lineages, gated repos, non-LLMs to drop, adapters,
 * test stubs, and repos with no parameter metadata. `scale` adds synthetic fine-tunes for the bench.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

export interface FixtureFile {
  path: string;
  size: number;
  /** LFS sha256 for weight files. */
  sha256?: string;
  /** Served by /resolve/ (config.json). */
  content?: string;
}

export interface FixtureRepo {
  /** The model object as `/api/models/{id}` returns it with every field expanded. */
  info: Record<string, unknown> & { id: string; downloads: number };
  files: FixtureFile[];
  /** `/resolve/` answers 401 GatedRepo without an approved token. */
  gatedFiles?: boolean;
  /** `/api/models/{id}` itself answers 401 GatedRepo (seen on the real Hub for some gated repos). */
  gatedInfo?: boolean;
}

const hex = (s: string, n = 64) => createHash("sha256").update(s).digest("hex").slice(0, n);
const configDir = new URL("../../pipeline/test/fixtures/configs/", import.meta.url);
const realConfig = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`${file}.json`, configDir), "utf8"));

/** Bits per weight of common llama.cpp quants, for realistic file sizes. */
const BPW: Record<string, number> = {
  Q2_K: 2.96,
  Q3_K_M: 3.91,
  Q4_0: 4.55,
  IQ4_XS: 4.46,
  Q4_K_M: 4.85,
  Q5_K_M: 5.69,
  Q6_K: 6.59,
  Q8_0: 8.5,
  F16: 16,
  BF16: 16,
};

interface BaseSpec {
  id: string;
  params: number;
  config: string | Record<string, unknown>;
  license: string;
  chat?: boolean;
  gated?: "manual" | "auto";
  pipeline?: string;
  downloads: number;
  created: string;
  /** Only a pytorch_model.bin: no safetensors metadata, discovered by search, sized from config. */
  noSafetensors?: boolean;
  languages?: string[];
  extraTags?: string[];
  base?: { id: string; relation: "finetune" | "merge" }[];
}

const BASES: BaseSpec[] = [
  {
    id: "Qwen/Qwen2.5-0.5B",
    params: 494_032_768,
    config: "Qwen__Qwen2.5-0.5B-Instruct",
    license: "apache-2.0",
    downloads: 900_000,
    created: "2024-09-15T12:00:00.000Z",
  },
  {
    id: "Qwen/Qwen2.5-0.5B-Instruct",
    params: 494_032_768,
    config: "Qwen__Qwen2.5-0.5B-Instruct",
    license: "apache-2.0",
    chat: true,
    downloads: 2_400_000,
    created: "2024-09-16T11:55:40.000Z",
    base: [{ id: "Qwen/Qwen2.5-0.5B", relation: "finetune" }],
    languages: ["en", "zh", "fr", "es", "de", "ja"],
  },
  {
    id: "Qwen/Qwen2.5-3B",
    params: 3_085_938_688,
    config: "Qwen__Qwen2.5-3B",
    license: "other",
    downloads: 400_000,
    created: "2024-09-15T12:00:00.000Z",
  },
  {
    id: "Qwen/Qwen2.5-3B-Instruct",
    params: 3_085_938_688,
    config: "Qwen__Qwen2.5-3B",
    license: "other",
    chat: true,
    downloads: 1_500_000,
    created: "2024-09-17T00:00:00.000Z",
    base: [{ id: "Qwen/Qwen2.5-3B", relation: "finetune" }],
  },
  {
    id: "Qwen/Qwen2.5-7B-Instruct",
    params: 7_615_616_512,
    config: "Qwen__Qwen2.5-7B",
    license: "apache-2.0",
    chat: true,
    downloads: 3_100_000,
    created: "2024-09-16T00:00:00.000Z",
  },
  {
    id: "Qwen/Qwen2.5-Coder-1.5B-Instruct",
    params: 1_543_714_304,
    config: "Qwen__Qwen2-1.5B-Instruct",
    license: "apache-2.0",
    chat: true,
    downloads: 350_000,
    created: "2024-11-06T00:00:00.000Z",
    extraTags: ["code"],
  },
  {
    id: "Qwen/Qwen3-0.6B",
    params: 751_632_384,
    config: "Qwen__Qwen3-0.6B",
    license: "apache-2.0",
    chat: true,
    downloads: 5_200_000,
    created: "2025-04-27T03:40:08.000Z",
  },
  {
    id: "Qwen/Qwen3-1.7B",
    params: 2_031_739_904,
    config: "Qwen__Qwen3-1.7B",
    license: "apache-2.0",
    chat: true,
    downloads: 1_900_000,
    created: "2025-04-27T03:41:00.000Z",
  },
  {
    id: "Qwen/Qwen3-4B",
    params: 4_022_468_096,
    config: "Qwen__Qwen3-4B",
    license: "apache-2.0",
    chat: true,
    downloads: 2_200_000,
    created: "2025-04-27T03:42:00.000Z",
  },
  {
    id: "Qwen/Qwen3-8B",
    params: 8_190_735_360,
    config: "Qwen__Qwen3-8B",
    license: "apache-2.0",
    chat: true,
    downloads: 2_700_000,
    created: "2025-04-27T03:43:00.000Z",
  },
  {
    id: "Qwen/Qwen1.5-MoE-A2.7B-Chat",
    params: 14_315_784_192,
    config: "Qwen__Qwen1.5-MoE-A2.7B-Chat",
    license: "other",
    chat: true,
    downloads: 40_000,
    created: "2024-03-14T00:00:00.000Z",
  },
  {
    id: "meta-llama/Llama-3.2-1B",
    params: 1_235_814_400,
    config: "meta-llama__Llama-3.2-1B-Instruct",
    license: "llama3.2",
    gated: "manual",
    downloads: 1_800_000,
    created: "2024-09-18T15:03:14.000Z",
  },
  {
    id: "meta-llama/Llama-3.2-1B-Instruct",
    params: 1_235_814_400,
    config: "meta-llama__Llama-3.2-1B-Instruct",
    license: "llama3.2",
    chat: true,
    gated: "manual",
    downloads: 3_300_000,
    created: "2024-09-18T15:12:47.000Z",
    base: [{ id: "meta-llama/Llama-3.2-1B", relation: "finetune" }],
    languages: ["en", "de", "fr", "it", "pt", "hi", "es", "th"],
  },
  {
    id: "meta-llama/Llama-3.2-3B-Instruct",
    params: 3_212_749_824,
    config: "meta-llama__Llama-3.2-3B",
    license: "llama3.2",
    chat: true,
    gated: "manual",
    downloads: 2_100_000,
    created: "2024-09-18T15:19:20.000Z",
    extraTags: ["tool-use"],
  },
  {
    id: "meta-llama/Llama-3.1-8B-Instruct",
    params: 8_030_261_248,
    config: "meta-llama__Llama-3.1-8B",
    license: "llama3.1",
    chat: true,
    gated: "manual",
    downloads: 6_000_000,
    created: "2024-07-18T08:56:00.000Z",
  },
  {
    id: "HuggingFaceTB/SmolLM2-135M-Instruct",
    params: 134_515_008,
    config: "HuggingFaceTB__SmolLM2-135M-Instruct",
    license: "apache-2.0",
    chat: true,
    downloads: 250_000,
    created: "2024-10-31T13:41:10.000Z",
  },
  {
    id: "HuggingFaceTB/SmolLM2-360M-Instruct",
    params: 361_821_120,
    config: "HuggingFaceTB__SmolLM2-360M-Instruct",
    license: "apache-2.0",
    chat: true,
    downloads: 300_000,
    created: "2024-10-31T13:42:00.000Z",
  },
  {
    id: "HuggingFaceTB/SmolLM2-1.7B-Instruct",
    params: 1_711_376_384,
    config: "HuggingFaceTB__SmolLM2-1.7B-Instruct",
    license: "apache-2.0",
    chat: true,
    downloads: 200_000,
    created: "2024-10-31T13:43:00.000Z",
  },
  {
    id: "google/gemma-3-1b-it",
    params: 999_885_952,
    config: "google__gemma-3-1b-it",
    license: "gemma",
    chat: true,
    gated: "manual",
    downloads: 2_500_000,
    created: "2025-03-10T00:00:00.000Z",
  },
  {
    id: "google/gemma-2-2b-it",
    params: 2_614_341_888,
    config: "google__gemma-2-2b-it",
    license: "gemma",
    chat: true,
    gated: "manual",
    downloads: 800_000,
    created: "2024-07-16T00:00:00.000Z",
  },
  {
    id: "google/gemma-2b",
    params: 2_506_172_416,
    config: "google__gemma-2b",
    license: "gemma",
    gated: "manual",
    downloads: 150_000,
    created: "2024-02-08T00:00:00.000Z",
  },
  {
    id: "google/gemma-3-4b-it",
    params: 4_300_079_472,
    config: {
      architectures: ["Gemma3ForConditionalGeneration"],
      model_type: "gemma3",
      text_config: {
        ...realConfig("google__gemma-3-1b-it"),
        hidden_size: 2560,
        intermediate_size: 10240,
        num_hidden_layers: 34,
        num_attention_heads: 8,
        num_key_value_heads: 4,
        sliding_window: 1024,
        max_position_embeddings: 131072,
      },
    },
    license: "gemma",
    chat: true,
    gated: "manual",
    pipeline: "image-text-to-text",
    downloads: 1_100_000,
    created: "2025-03-10T00:00:00.000Z",
  },
  {
    id: "microsoft/Phi-3-mini-4k-instruct",
    params: 3_821_079_552,
    config: "microsoft__Phi-3-mini-4k-instruct",
    license: "mit",
    chat: true,
    downloads: 900_000,
    created: "2024-04-22T00:00:00.000Z",
  },
  {
    id: "microsoft/Phi-3.5-mini-instruct",
    params: 3_821_079_552,
    config: "microsoft__Phi-3.5-mini-instruct",
    license: "mit",
    chat: true,
    downloads: 700_000,
    created: "2024-08-16T00:00:00.000Z",
  },
  {
    id: "microsoft/Phi-4-mini-instruct",
    params: 3_836_021_760,
    config: "microsoft__Phi-4-mini-instruct",
    license: "mit",
    chat: true,
    downloads: 600_000,
    created: "2025-02-19T00:00:00.000Z",
    extraTags: ["tool-use"],
  },
  {
    id: "microsoft/phi-2",
    params: 2_779_683_840,
    config: "microsoft__phi-2",
    license: "mit",
    downloads: 300_000,
    created: "2023-12-13T00:00:00.000Z",
    extraTags: ["code"],
  },
  {
    id: "TinyLlama/TinyLlama-1.1B-Chat-v1.0",
    params: 1_100_048_384,
    config: "TinyLlama__TinyLlama-1.1B-Chat-v1.0",
    license: "apache-2.0",
    chat: true,
    downloads: 1_200_000,
    created: "2023-12-30T00:00:00.000Z",
  },
  {
    id: "stabilityai/stablelm-2-zephyr-1_6b",
    params: 1_644_515_328,
    config: "stabilityai__stablelm-2-zephyr-1_6b",
    license: "other",
    chat: true,
    downloads: 20_000,
    created: "2024-01-19T00:00:00.000Z",
  },
  {
    id: "allenai/OLMo-2-1124-7B",
    params: 7_298_617_344,
    config: "allenai__OLMo-2-1124-7B",
    license: "apache-2.0",
    downloads: 60_000,
    created: "2024-11-25T00:00:00.000Z",
  },
  {
    id: "mistralai/Mistral-7B-v0.3",
    params: 7_248_023_552,
    config: "mistralai__Mistral-7B-v0.3",
    license: "apache-2.0",
    downloads: 500_000,
    created: "2024-05-22T00:00:00.000Z",
  },
  {
    id: "mistralai/Mistral-7B-Instruct-v0.3",
    params: 7_248_023_552,
    config: "mistralai__Mistral-7B-v0.3",
    license: "apache-2.0",
    chat: true,
    downloads: 1_400_000,
    created: "2024-05-22T00:00:00.000Z",
    base: [{ id: "mistralai/Mistral-7B-v0.3", relation: "finetune" }],
    extraTags: ["tool-use"],
  },
  {
    id: "mistralai/Mixtral-8x7B-v0.1",
    params: 46_702_792_704,
    config: "mistralai__Mixtral-8x7B-v0.1",
    license: "apache-2.0",
    downloads: 90_000,
    created: "2023-12-01T00:00:00.000Z",
  },
  {
    id: "ibm-granite/granite-3.0-1b-a400m-instruct",
    params: 1_334_628_352,
    config: "ibm-granite__granite-3.0-1b-a400m-instruct",
    license: "apache-2.0",
    chat: true,
    downloads: 30_000,
    created: "2024-10-08T00:00:00.000Z",
  },
  {
    id: "EleutherAI/pythia-70m",
    params: 70_426_624,
    config: "EleutherAI__pythia-70m",
    license: "apache-2.0",
    downloads: 110_000,
    created: "2023-02-13T00:00:00.000Z",
  },
  {
    id: "EleutherAI/pythia-160m",
    params: 162_322_944,
    config: "EleutherAI__pythia-160m",
    license: "apache-2.0",
    downloads: 90_000,
    created: "2023-02-08T00:00:00.000Z",
  },
  {
    id: "openai-community/gpt2",
    params: 137_022_720,
    config: "openai-community__gpt2",
    license: "mit",
    downloads: 9_000_000,
    created: "2022-03-02T23:29:04.000Z",
  },
  {
    id: "openai-community/gpt2-medium",
    params: 354_823_168,
    config: "openai-community__gpt2-medium",
    license: "mit",
    downloads: 400_000,
    created: "2022-03-02T23:29:04.000Z",
    noSafetensors: true,
  },
  // Fine-tunes and merges: their own entries, naming their base.
  {
    id: "deepcoder-lab/Qwen2.5-Coder-0.5B-SFT",
    params: 494_032_768,
    config: "Qwen__Qwen2.5-0.5B-Instruct",
    license: "apache-2.0",
    chat: true,
    downloads: 4_000,
    created: "2025-01-02T00:00:00.000Z",
    base: [{ id: "Qwen/Qwen2.5-0.5B-Instruct", relation: "finetune" }],
    extraTags: ["code"],
  },
  {
    id: "thinkers/Qwen3-1.7B-Reasoning-R1",
    params: 2_031_739_904,
    config: "Qwen__Qwen3-1.7B",
    license: "apache-2.0",
    chat: true,
    downloads: 12_000,
    created: "2025-06-01T00:00:00.000Z",
    base: [{ id: "Qwen/Qwen3-1.7B", relation: "finetune" }],
    extraTags: ["reasoning"],
  },
  {
    id: "mathy/Llama-3.2-1B-Math-Instruct",
    params: 1_235_814_400,
    config: "meta-llama__Llama-3.2-1B-Instruct",
    license: "llama3.2",
    chat: true,
    downloads: 2_500,
    created: "2025-02-01T00:00:00.000Z",
    base: [{ id: "meta-llama/Llama-3.2-1B-Instruct", relation: "finetune" }],
  },
  {
    id: "blend/Qwen2.5-7B-Merge",
    params: 7_615_616_512,
    config: "Qwen__Qwen2.5-7B",
    license: "apache-2.0",
    chat: true,
    downloads: 3_000,
    created: "2025-03-01T00:00:00.000Z",
    base: [
      { id: "Qwen/Qwen2.5-7B-Instruct", relation: "merge" },
      { id: "thinkers/Qwen2.5-7B-Think", relation: "merge" },
    ],
  },
  {
    id: "oldschool/tinychat-0.5B",
    params: 494_032_768,
    config: "Qwen__Qwen2.5-0.5B-Instruct",
    license: "apache-2.0",
    chat: true,
    downloads: 1_500,
    created: "2024-10-01T00:00:00.000Z",
    noSafetensors: true,
  },
];

/** A GGUF repo of `base` by `owner`, with its quant files. */
interface GgufSpec {
  owner: string;
  base: string;
  quants: string[];
  downloads: number;
  /** Split the F16 file into two shards, as uploaders do for big files. */
  shardF16?: boolean;
  mmproj?: boolean;
  gated?: boolean;
  /** File names in lower case (`model-q4_k_m.gguf`), as some uploaders write them. */
  lowerCase?: boolean;
}

const STD = ["Q2_K", "Q3_K_M", "Q4_K_M", "Q5_K_M", "Q6_K", "Q8_0"];
const GGUFS: GgufSpec[] = [
  {
    owner: "Qwen",
    base: "Qwen/Qwen2.5-0.5B-Instruct",
    quants: ["Q2_K", "Q4_0", "Q4_K_M", "Q8_0", "F16"],
    downloads: 300_000,
  },
  { owner: "bartowski", base: "Qwen/Qwen2.5-0.5B-Instruct", quants: [...STD, "F16"], downloads: 90_000 },
  { owner: "unsloth", base: "Qwen/Qwen2.5-0.5B-Instruct", quants: STD, downloads: 40_000 },
  { owner: "bartowski", base: "Qwen/Qwen2.5-3B-Instruct", quants: STD, downloads: 120_000 },
  {
    owner: "Qwen",
    base: "Qwen/Qwen2.5-7B-Instruct",
    quants: ["Q4_K_M", "Q5_K_M", "Q8_0", "F16"],
    downloads: 500_000,
    shardF16: true,
  },
  { owner: "bartowski", base: "Qwen/Qwen2.5-7B-Instruct", quants: STD, downloads: 300_000 },
  { owner: "Qwen", base: "Qwen/Qwen2.5-Coder-1.5B-Instruct", quants: ["Q4_K_M", "Q8_0"], downloads: 50_000 },
  { owner: "unsloth", base: "Qwen/Qwen3-0.6B", quants: ["Q4_K_M", "Q8_0", "BF16"], downloads: 600_000 },
  { owner: "Qwen", base: "Qwen/Qwen3-0.6B", quants: ["Q8_0"], downloads: 200_000 },
  { owner: "unsloth", base: "Qwen/Qwen3-1.7B", quants: STD, downloads: 300_000 },
  { owner: "unsloth", base: "Qwen/Qwen3-4B", quants: STD, downloads: 400_000 },
  {
    owner: "lmstudio-community",
    base: "Qwen/Qwen3-4B",
    quants: ["Q3_K_L", "Q4_K_M", "Q6_K", "Q8_0"],
    downloads: 150_000,
  },
  { owner: "unsloth", base: "Qwen/Qwen3-8B", quants: STD, downloads: 500_000 },
  {
    owner: "bartowski",
    base: "meta-llama/Llama-3.2-1B-Instruct",
    quants: [...STD, "IQ4_XS", "F16"],
    downloads: 250_000,
  },
  {
    owner: "hugging-quants",
    base: "meta-llama/Llama-3.2-1B-Instruct",
    quants: ["Q8_0"],
    downloads: 60_000,
    lowerCase: true,
  },
  { owner: "bartowski", base: "meta-llama/Llama-3.2-3B-Instruct", quants: STD, downloads: 350_000 },
  { owner: "bartowski", base: "meta-llama/Llama-3.1-8B-Instruct", quants: STD, downloads: 700_000 },
  { owner: "HuggingFaceTB", base: "HuggingFaceTB/SmolLM2-135M-Instruct", quants: ["Q8_0", "F16"], downloads: 20_000 },
  { owner: "bartowski", base: "HuggingFaceTB/SmolLM2-360M-Instruct", quants: ["Q4_K_M", "Q8_0"], downloads: 15_000 },
  { owner: "bartowski", base: "HuggingFaceTB/SmolLM2-1.7B-Instruct", quants: STD, downloads: 25_000 },
  { owner: "ggml-org", base: "google/gemma-3-1b-it", quants: ["Q4_K_M", "Q8_0", "F16"], downloads: 186_325 },
  { owner: "bartowski", base: "google/gemma-2-2b-it", quants: STD, downloads: 100_000 },
  { owner: "ggml-org", base: "google/gemma-3-4b-it", quants: ["Q4_K_M", "Q8_0"], downloads: 140_000, mmproj: true },
  {
    owner: "microsoft",
    base: "microsoft/Phi-3-mini-4k-instruct",
    quants: ["Q4_K_M", "F16"],
    downloads: 200_000,
    lowerCase: true,
  },
  { owner: "bartowski", base: "microsoft/Phi-3.5-mini-instruct", quants: STD, downloads: 150_000 },
  { owner: "unsloth", base: "microsoft/Phi-4-mini-instruct", quants: STD, downloads: 90_000 },
  {
    owner: "TheBloke",
    base: "TinyLlama/TinyLlama-1.1B-Chat-v1.0",
    quants: ["Q2_K", "Q3_K_M", "Q4_0", "Q4_K_M", "Q5_K_M", "Q8_0"],
    downloads: 80_000,
    lowerCase: true,
  },
  {
    owner: "second-state",
    base: "stabilityai/stablelm-2-zephyr-1_6b",
    quants: ["Q4_0", "Q5_K_M", "Q8_0"],
    downloads: 2_000,
  },
  { owner: "bartowski", base: "mistralai/Mistral-7B-Instruct-v0.3", quants: STD, downloads: 200_000 },
  { owner: "MaziyarPanahi", base: "mistralai/Mistral-7B-Instruct-v0.3", quants: ["Q2_K", "Q4_K_M"], downloads: 30_000 },
  {
    owner: "bartowski",
    base: "ibm-granite/granite-3.0-1b-a400m-instruct",
    quants: ["Q4_K_M", "Q8_0"],
    downloads: 5_000,
  },
  { owner: "mradermacher", base: "thinkers/Qwen3-1.7B-Reasoning-R1", quants: ["Q4_K_M", "Q6_K"], downloads: 3_000 },
  { owner: "mradermacher", base: "deepcoder-lab/Qwen2.5-Coder-0.5B-SFT", quants: ["Q4_K_M"], downloads: 800 },
  // A gated GGUF repo is skipped as an install target; the dotted owner cannot be pulled by Ollama.
  {
    owner: "locked-quants",
    base: "meta-llama/Llama-3.2-3B-Instruct",
    quants: ["Q4_K_M"],
    downloads: 900_000,
    gated: true,
  },
  { owner: "dotted.org", base: "Qwen/Qwen3-4B", quants: ["Q4_K_M"], downloads: 990_000 },
  // The base of this GGUF is not on the Hub lists (deleted): it stands as its own entry.
  { owner: "orphans", base: "vanished-lab/Tiny-Chat-0.3B", quants: ["Q4_K_M", "Q8_0"], downloads: 7_000 },
];

/** Conversions and re-uploads of the same weights. */
const CONVERSIONS: {
  id: string;
  base: string;
  format: "mlx" | "onnx" | "awq" | "gptq" | "bnb" | "fp8";
  downloads: number;
}[] = [
  {
    id: "mlx-community/Qwen2.5-0.5B-Instruct-4bit",
    base: "Qwen/Qwen2.5-0.5B-Instruct",
    format: "mlx",
    downloads: 30_000,
  },
  { id: "mlx-community/Qwen3-4B-4bit", base: "Qwen/Qwen3-4B", format: "mlx", downloads: 45_000 },
  {
    id: "mlx-community/Llama-3.2-1B-Instruct-4bit",
    base: "meta-llama/Llama-3.2-1B-Instruct",
    format: "mlx",
    downloads: 50_000,
  },
  { id: "onnx-community/Qwen2.5-0.5B-Instruct", base: "Qwen/Qwen2.5-0.5B-Instruct", format: "onnx", downloads: 10_000 },
  {
    id: "onnx-community/SmolLM2-360M-Instruct",
    base: "HuggingFaceTB/SmolLM2-360M-Instruct",
    format: "onnx",
    downloads: 8_000,
  },
  { id: "Qwen/Qwen2.5-7B-Instruct-AWQ", base: "Qwen/Qwen2.5-7B-Instruct", format: "awq", downloads: 200_000 },
  { id: "Qwen/Qwen2.5-3B-Instruct-GPTQ-Int4", base: "Qwen/Qwen2.5-3B-Instruct", format: "gptq", downloads: 20_000 },
  {
    id: "unsloth/Llama-3.2-3B-Instruct-bnb-4bit",
    base: "meta-llama/Llama-3.2-3B-Instruct",
    format: "bnb",
    downloads: 70_000,
  },
  { id: "RedHatAI/Qwen3-8B-FP8-dynamic", base: "Qwen/Qwen3-8B", format: "fp8", downloads: 15_000 },
];

/** Other people's uploads of identical weights: same file sha256 as the original. */
const REUPLOADS: { id: string; of: string; declaresBase: boolean; downloads: number }[] = [
  { id: "unsloth/Qwen2.5-0.5B-Instruct", of: "Qwen/Qwen2.5-0.5B-Instruct", declaresBase: true, downloads: 60_000 },
  {
    id: "unsloth/Llama-3.2-1B-Instruct",
    of: "meta-llama/Llama-3.2-1B-Instruct",
    declaresBase: true,
    downloads: 150_000,
  },
  {
    id: "mirror-user/SmolLM2-135M-Instruct",
    of: "HuggingFaceTB/SmolLM2-135M-Instruct",
    declaresBase: false,
    downloads: 900,
  },
];

/** Repos that must be dropped, each for its own reason. */
const NON_LLMS: {
  id: string;
  pipeline?: string;
  library?: string;
  params?: number;
  tags?: string[];
  gguf?: string;
  base?: string;
  configExtra?: Record<string, unknown>;
  downloads: number;
}[] = [
  {
    id: "sentence-transformers/all-MiniLM-L6-v2",
    pipeline: "sentence-similarity",
    library: "sentence-transformers",
    params: 22_713_216,
    tags: ["feature-extraction"],
    downloads: 80_000_000,
  },
  {
    id: "BAAI/bge-reranker-base",
    pipeline: "text-classification",
    library: "transformers",
    params: 278_045_185,
    tags: ["reranker"],
    downloads: 900_000,
  },
  {
    id: "BAAI/bge-small-en-v1.5",
    pipeline: "feature-extraction",
    library: "sentence-transformers",
    params: 33_360_000,
    downloads: 3_000_000,
  },
  {
    id: "openai/whisper-tiny",
    pipeline: "automatic-speech-recognition",
    library: "transformers",
    params: 37_760_640,
    downloads: 1_000_000,
  },
  {
    id: "google-bert/bert-base-uncased",
    pipeline: "fill-mask",
    library: "transformers",
    params: 110_106_428,
    downloads: 50_000_000,
  },
  {
    id: "google/flan-t5-small",
    pipeline: "text2text-generation",
    library: "transformers",
    params: 76_961_152,
    downloads: 1_500_000,
    configExtra: { model_type: "t5", architectures: ["T5ForConditionalGeneration"] },
  },
  { id: "hexgrad/Kokoro-82M", pipeline: "text-to-speech", params: 81_763_410, downloads: 2_000_000 },
  {
    id: "microsoft/Florence-2-base",
    pipeline: "image-text-to-text",
    library: "transformers",
    params: 231_000_000,
    downloads: 700_000,
    configExtra: { model_type: "florence2", architectures: ["Florence2ForConditionalGeneration"] },
  },
  { id: "nomic-ai/nomic-embed-text-v1.5-GGUF", gguf: "nomic-bert", params: 136_731_648, downloads: 200_000 },
  {
    id: "lora-user/llama-3.2-1b-chat-lora",
    pipeline: "text-generation",
    library: "peft",
    base: "meta-llama/Llama-3.2-1B-Instruct",
    downloads: 5_000,
    tags: ["lora"],
  },
  {
    id: "hf-internal-testing/tiny-random-LlamaForCausalLM",
    pipeline: "text-generation",
    library: "transformers",
    params: 1_032_272,
    downloads: 800_000,
  },
  {
    id: "trl-internal-testing/tiny-Qwen2ForCausalLM-2.5",
    pipeline: "text-generation",
    library: "transformers",
    params: 2_441_000,
    downloads: 300_000,
  },
];

let clock = 0;
const objectId = (id: string) => hex(`_id:${id}`, 24);

function makeInfo(
  id: string,
  fields: {
    downloads: number;
    created?: string;
    pipeline?: string | undefined;
    library?: string | undefined;
    tags: string[];
    license?: string;
    baseModels?: { id: string; relation: string }[];
    gated?: false | "manual" | "auto";
    config?: Record<string, unknown>;
    safetensors?: number | undefined;
    gguf?: Record<string, unknown> | undefined;
    files: FixtureFile[];
  },
): FixtureRepo["info"] {
  const [author] = id.split("/");
  const created = fields.created ?? new Date(Date.UTC(2024, 0, 1) + (clock++ % 600) * 86_400_000).toISOString();
  const bases = fields.baseModels ?? [];
  const tags = [
    ...fields.tags,
    ...(fields.pipeline ? [fields.pipeline] : []),
    ...(fields.license ? [`license:${fields.license}`] : []),
    ...bases.flatMap((b) => [`base_model:${b.id}`, `base_model:${b.relation}:${b.id}`]),
    "region:us",
  ];
  const info: FixtureRepo["info"] = {
    _id: objectId(id),
    id,
    author,
    sha: hex(`sha:${id}`, 40),
    downloads: fields.downloads,
    downloadsAllTime: fields.downloads * 7,
    likes: Math.round(fields.downloads / 900),
    trendingScore: Math.round(fields.downloads / 20_000),
    createdAt: created,
    lastModified: new Date(Date.parse(created) + 5 * 86_400_000).toISOString(),
    private: false,
    disabled: false,
    gated: fields.gated ?? false,
    tags: [...new Set(tags)],
    cardData: {
      ...(fields.license ? { license: fields.license } : {}),
      ...(bases.length ? { base_model: bases.length === 1 ? bases[0]?.id : bases.map((b) => b.id) } : {}),
      ...(fields.gated ? { extra_gated_prompt: "You agree to the license terms before downloading." } : {}),
    },
    config: fields.config ?? {},
    siblings: fields.files.map((f) => ({ rfilename: f.path })),
    spaces: [],
  };
  if (fields.pipeline) info.pipeline_tag = fields.pipeline;
  if (fields.library) info.library_name = fields.library;
  if (fields.safetensors !== undefined)
    info.safetensors = { parameters: { BF16: fields.safetensors }, total: fields.safetensors };
  if (fields.gguf) info.gguf = fields.gguf;
  return info;
}

const weight = (repo: string, path: string, size: number, sameAs?: string): FixtureFile => ({
  path,
  size,
  sha256: hex(`weights:${sameAs ?? repo}:${path}`),
});
const configFile = (config: Record<string, unknown>): FixtureFile => {
  const content = `${JSON.stringify(config, null, 2)}\n`;
  return { path: "config.json", size: Buffer.byteLength(content), content };
};
const readme = (id: string): FixtureFile => ({
  path: "README.md",
  size: 1000 + (id.length % 97),
  content: `# ${id}\n`,
});

const CHAT_TEMPLATE = "{% for message in messages %}{{ message['role'] }}: {{ message['content'] }}\n{% endfor %}";

function baseRepo(spec: BaseSpec, weightsOf = spec.id): FixtureRepo {
  const config = typeof spec.config === "string" ? realConfig(spec.config) : spec.config;
  const files = [
    readme(spec.id),
    configFile(config),
    { path: "generation_config.json", size: 242, content: "{}\n" },
    spec.noSafetensors
      ? weight(weightsOf, "pytorch_model.bin", spec.params * 2)
      : weight(weightsOf, "model.safetensors", spec.params * 2),
  ];
  const library = "transformers";
  const modelType = String((config as { model_type?: string }).model_type ?? "");
  const info = makeInfo(spec.id, {
    downloads: spec.downloads,
    created: spec.created,
    pipeline: spec.pipeline ?? "text-generation",
    library,
    tags: [
      library,
      ...(spec.noSafetensors ? ["pytorch"] : ["safetensors"]),
      modelType,
      ...(spec.chat ? ["conversational"] : []),
      ...(spec.languages ?? ["en"]),
      ...(spec.extraTags ?? []),
      "text-generation-inference",
      "endpoints_compatible",
    ],
    license: spec.license,
    baseModels: spec.base ?? [],
    gated: spec.gated ?? false,
    config: {
      architectures: (config as { architectures?: string[] }).architectures ?? [],
      model_type: modelType,
      ...(spec.chat ? { tokenizer_config: { chat_template: CHAT_TEMPLATE } } : {}),
    },
    safetensors: spec.noSafetensors ? undefined : spec.params,
    files,
  });
  return { info, files, ...(spec.gated ? { gatedFiles: true } : {}) };
}

function ggufRepo(spec: GgufSpec, baseSpec: BaseSpec | undefined): FixtureRepo {
  const name = spec.base.split("/")[1] ?? spec.base;
  const id = `${spec.owner}/${name}-GGUF`;
  const params = baseSpec?.params ?? 330_000_000;
  const arch =
    baseSpec && typeof baseSpec.config === "string" ? String(realConfig(baseSpec.config).model_type) : "llama";
  const files: FixtureFile[] = [readme(id)];
  for (const quant of spec.quants) {
    const size = Math.round((params * (BPW[quant] ?? 5)) / 8) + 2_000_000;
    const label = spec.lowerCase ? quant.toLowerCase() : quant;
    if (quant === "F16" && spec.shardF16) {
      files.push(weight(id, `${name}-${label}-00001-of-00002.gguf`, Math.ceil(size / 2)));
      files.push(weight(id, `${name}-${label}-00002-of-00002.gguf`, Math.floor(size / 2)));
    } else {
      files.push(weight(id, `${name}-${label}.gguf`, size));
    }
  }
  if (spec.mmproj) files.push(weight(id, `mmproj-${name}-f16.gguf`, 851_000_000));
  const f16 = files.find((f) => /f16|bf16/i.test(f.path));
  const info = makeInfo(id, {
    downloads: spec.downloads,
    tags: ["gguf", ...(baseSpec?.chat ? ["conversational"] : []), "endpoints_compatible"],
    license: baseSpec?.license ?? "apache-2.0",
    baseModels: [{ id: spec.base, relation: "quantized" }],
    gated: spec.gated ? "auto" : false,
    gguf: {
      total: params,
      architecture: arch === "gemma3_text" ? "gemma3" : arch,
      context_length: 32768,
      chat_template: CHAT_TEMPLATE,
      bos_token: "<s>",
      eos_token: "</s>",
      totalFileSize: f16?.size ?? files[1]?.size,
    },
    files,
  });
  return { info, files, ...(spec.gated ? { gatedFiles: true } : {}) };
}

function conversionRepo(c: (typeof CONVERSIONS)[number], baseSpec: BaseSpec): FixtureRepo {
  const config = typeof baseSpec.config === "string" ? realConfig(baseSpec.config) : baseSpec.config;
  const quantized = ["awq", "gptq", "bnb", "fp8"].includes(c.format);
  const library = c.format === "mlx" ? "mlx" : c.format === "onnx" ? "transformers.js" : "transformers";
  const files = [
    readme(c.id),
    configFile(config),
    weight(c.id, c.format === "onnx" ? "onnx/model_q4.onnx" : "model.safetensors", baseSpec.params),
  ];
  const info = makeInfo(c.id, {
    downloads: c.downloads,
    pipeline: "text-generation",
    library,
    tags: [
      library,
      c.format === "onnx" ? "onnx" : "safetensors",
      ...(c.format === "mlx" ? ["mlx", "4-bit"] : []),
      ...(c.format === "bnb" ? ["4-bit", "bitsandbytes"] : []),
      ...(c.format === "awq" ? ["4-bit", "awq"] : []),
      ...(c.format === "gptq" ? ["4-bit", "gptq"] : []),
      ...(c.format === "fp8" ? ["fp8", "compressed-tensors"] : []),
      "conversational",
    ],
    license: baseSpec.license,
    baseModels: [{ id: c.base, relation: "quantized" }],
    config: {
      architectures: (config as { architectures?: string[] }).architectures ?? [],
      model_type: (config as { model_type?: string }).model_type,
      ...(quantized
        ? {
            quantization_config: {
              quant_method: c.format === "bnb" ? "bitsandbytes" : c.format === "fp8" ? "compressed-tensors" : c.format,
            },
          }
        : {}),
    },
    // Packed 4-bit weights make the Hub's count look smaller than the model: one reason to fold.
    safetensors:
      c.format === "onnx" ? undefined : Math.round(baseSpec.params / (quantized || c.format === "mlx" ? 3.2 : 1)),
    files,
  });
  return { info, files };
}

function nonLlmRepo(n: (typeof NON_LLMS)[number]): FixtureRepo {
  const files: FixtureFile[] = [readme(n.id)];
  if (n.gguf) files.push(weight(n.id, `${n.id.split("/")[1]}.f16.gguf`, (n.params ?? 1e8) * 2));
  else if (n.library === "peft")
    files.push(
      { path: "adapter_config.json", size: 700, content: "{}\n" },
      weight(n.id, "adapter_model.safetensors", 45_000_000),
    );
  else
    files.push(
      configFile({ model_type: "bert", ...n.configExtra }),
      weight(n.id, "model.safetensors", (n.params ?? 1e8) * 2),
    );
  const info = makeInfo(n.id, {
    downloads: n.downloads,
    pipeline: n.pipeline,
    library: n.library ?? (n.gguf ? undefined : "transformers"),
    tags: [...(n.gguf ? ["gguf"] : n.library ? [n.library] : []), ...(n.tags ?? [])],
    license: "apache-2.0",
    baseModels: n.base ? [{ id: n.base, relation: "adapter" }] : [],
    config:
      n.library === "peft"
        ? { peft: { base_model_name_or_path: n.base, task_type: "CAUSAL_LM" } }
        : (n.configExtra ?? {}),
    safetensors: n.gguf || n.library === "peft" ? undefined : n.params,
    gguf: n.gguf
      ? { total: n.params, architecture: n.gguf, context_length: 2048, totalFileSize: (n.params ?? 0) * 2 }
      : undefined,
    files,
  });
  return { info, files };
}

/** Synthetic community fine-tunes with a GGUF each, to reach bench scale. */
function synthetic(index: number, bases: BaseSpec[]): FixtureRepo[] {
  const base = bases[index % bases.length] as BaseSpec;
  const name = `${base.id.split("/")[1]}-ft${index}`;
  const spec: BaseSpec = {
    ...base,
    id: `community-${index % 97}/${name}`,
    chat: true,
    gated: undefined,
    downloads: 200 + ((index * 7919) % 50_000),
    created: new Date(Date.UTC(2025, 0, 1) + (index % 300) * 86_400_000).toISOString(),
    base: [{ id: base.id, relation: "finetune" }],
    noSafetensors: false,
  };
  const repos = [baseRepo(spec)];
  if (index % 2 === 0) {
    repos.push(
      ggufRepo(
        { owner: "mradermacher", base: spec.id, quants: ["Q4_K_M", "Q8_0"], downloads: 100 + (index % 900) },
        spec,
      ),
    );
  }
  return repos;
}

export interface Catalogue {
  repos: FixtureRepo[];
}

/** Build the catalogue; `extra` synthetic community fine-tunes (40 by default; the bench asks for more). */
export function buildCatalogue(options: { extra?: number } = {}): Catalogue {
  const extra = options.extra ?? 40;
  clock = 0;
  const specs = new Map(BASES.map((b) => [b.id, b]));
  const repos: FixtureRepo[] = BASES.map((b) => baseRepo(b));
  for (const g of GGUFS) repos.push(ggufRepo(g, specs.get(g.base)));
  for (const c of CONVERSIONS) repos.push(conversionRepo(c, specs.get(c.base) as BaseSpec));
  for (const r of REUPLOADS) {
    const of = specs.get(r.of) as BaseSpec;
    const spec: BaseSpec = {
      ...of,
      id: r.id,
      gated: undefined,
      downloads: r.downloads,
      created: "2024-12-01T00:00:00.000Z",
      base: r.declaresBase ? [{ id: r.of, relation: "finetune" }] : undefined,
    };
    repos.push(baseRepo(spec, r.of));
  }
  for (const n of NON_LLMS) repos.push(nonLlmRepo(n));
  // A repo with neither metadata nor config.json: only its name says how big it is.
  const mystery = makeInfo("oldschool/mystery-chat-360M", {
    downloads: 1_200,
    pipeline: "text-generation",
    library: "transformers",
    tags: ["transformers", "pytorch", "conversational"],
    license: "mit",
    files: [
      readme("oldschool/mystery-chat-360M"),
      weight("oldschool/mystery-chat-360M", "pytorch_model.bin", 720_000_000),
    ],
  });
  repos.push({ info: mystery, files: [weight(mystery.id, "pytorch_model.bin", 720_000_000)] });
  const fineTunable = BASES.filter((b) => b.params <= 8.6e9 && !b.noSafetensors && !b.base);
  for (let i = 0; i < extra; i++) repos.push(...synthetic(i, fineTunable));
  const ids = new Set<string>();
  for (const r of repos) {
    if (ids.has(r.info.id)) throw new Error(`fixture catalogue has ${r.info.id} twice`);
    ids.add(r.info.id);
  }
  return { repos };
}
