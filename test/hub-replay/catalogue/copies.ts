/** Copies of the bases: GGUF repos, conversions (MLX, ONNX, AWQ, GPTQ, bnb, FP8), re-uploads. */
import type { ConversionSpec, GgufSpec } from "./build.ts";

export const STD = ["Q2_K", "Q3_K_M", "Q4_K_M", "Q5_K_M", "Q6_K", "Q8_0"];
export const GGUFS: GgufSpec[] = [
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
export const CONVERSIONS: ConversionSpec[] = [
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
export const REUPLOADS: { id: string; of: string; declaresBase: boolean; downloads: number }[] = [
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
