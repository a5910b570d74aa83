import { describe, expect, it } from "vitest";
import { bareStem, nameIndex, nameStem, oneLetterApart, retrainedFrom, sameName } from "./names.ts";

describe("repo names", () => {
  it("strips storage suffixes, never a size", () => {
    expect(nameStem("Qwen/Qwen2-1.5B-Instruct-GGUF")).toBe("qwen21.5binstruct");
    expect(nameStem("Qwen/Qwen3-4B-MLX-4bit")).toBe("qwen34b");
    expect(nameStem("Qwen/Qwen2.5-7B-Instruct-GPTQ-Int4")).toBe("qwen2.57binstruct");
    expect(nameStem("google/gemma-3-1b-it-qat-q4_0-gguf")).toBe("gemma31bit");
    expect(nameStem("meta-llama/Llama-2-7b-chat-hf")).toBe("llama27bchat");
  });

  it("drops a leading echo of the owner only when a name follows", () => {
    expect(bareStem("meta-llama/Meta-Llama-3-8B-Instruct")).toBe("llama38binstruct");
    expect(bareStem("Qwen/Qwen3-4B")).toBe("qwen34b");
    expect(bareStem("TinyLlama/TinyLlama-1.1B-Chat-v1.0")).toBe("tinyllama1.1bchatv1.0");
  });

  it("matches the same model across owners, and nothing else", () => {
    expect(sameName("unsloth/llama-3-8b-Instruct", "meta-llama/Meta-Llama-3-8B-Instruct")).toBe(true);
    expect(sameName("NousResearch/Meta-Llama-3.1-8B-Instruct", "meta-llama/Llama-3.1-8B-Instruct")).toBe(true);
    expect(sameName("bartowski/google_gemma-3-1b-it-GGUF", "google/gemma-3-1b-it")).toBe(true);
    expect(sameName("mlx-community/Qwen3-4B-4bit-DWQ", "Qwen/Qwen3-4B")).toBe(true);
    expect(sameName("turboderp/Llama-3.1-8B-Instruct-exl2-4.0bpw", "meta-llama/Llama-3.1-8B-Instruct")).toBe(true);
    expect(sameName("x/TinyLlama-3.2-1B", "meta-llama/Llama-3.2-1B")).toBe(false);
    expect(sameName("Qwen/Qwen3-4B", "Qwen/Qwen3-4B-Instruct")).toBe(false);
    const find = nameIndex(["meta-llama/Llama-3.1-8B-Instruct", "google/gemma-3-1b-it", "a/Other-1B"]);
    expect(find("NousResearch/Meta-Llama-3.1-8B-Instruct")).toEqual(["meta-llama/Llama-3.1-8B-Instruct"]);
    expect(find("bartowski/google_gemma-3-1b-it-GGUF")).toEqual(["google/gemma-3-1b-it"]);
  });

  it("tells a one-letter mirror from another size or version (issue 22)", () => {
    expect(oneLetterApart("hmellor/Ilama-3.2-1B", "meta-llama/Llama-3.2-1B")).toBe(true);
    expect(oneLetterApart("lab/Llamma-3.2-1B", "meta-llama/Llama-3.2-1B")).toBe(true);
    expect(oneLetterApart("meta-llama/Llama-3.2-3B", "meta-llama/Llama-3.2-1B")).toBe(false);
    expect(oneLetterApart("HuggingFaceTB/SmolLM-360M", "HuggingFaceTB/SmolLM2-360M")).toBe(false);
    expect(oneLetterApart("Qwen/Qwen3-4B", "Qwen/Qwen3-4B")).toBe(false);
    expect(oneLetterApart("a/phi-2", "b/phi-3")).toBe(false);
    // Instruct and pretrained differ by a letter of a two-letter word: two models.
    expect(oneLetterApart("google/gemma-3-1b-it", "google/gemma-3-1b-pt")).toBe(false);
    expect(oneLetterApart("google/medgemma-4b-it", "google/medgemma-4b-pt")).toBe(false);
    expect(oneLetterApart("lab/Qwen3-4B-Instruct", "lab/Qwen3-4B-Instructs")).toBe(true);
  });

  it("reads re-training from the name, not instruct or a storage suffix (issue 22)", () => {
    expect(retrainedFrom("mlx-community/Qwen3-4B-abliterated-4bit", "Qwen/Qwen3-4B")).toBe(true);
    expect(retrainedFrom("x/Llama-3.2-1B-Instruct-uncensored-GGUF", "meta-llama/Llama-3.2-1B-Instruct")).toBe(true);
    expect(retrainedFrom("x/Qwen3-4B-abliterated-GGUF", "huihui-ai/Qwen3-4B-abliterated")).toBe(false);
    expect(retrainedFrom("x/Qwen2.5-0.5B-Instruct-GGUF", "Qwen/Qwen2.5-0.5B")).toBe(false);
    expect(retrainedFrom("unsloth/Qwen3-4B-unsloth-bnb-4bit", "Qwen/Qwen3-4B")).toBe(false);
  });
});
