import { describe, expect, it } from "vitest";
import { bareStem, nameIndex, nameStem, sameName } from "./names.ts";

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
    expect(sameName("x/TinyLlama-3.2-1B", "meta-llama/Llama-3.2-1B")).toBe(false);
    expect(sameName("Qwen/Qwen3-4B", "Qwen/Qwen3-4B-Instruct")).toBe(false);
    const find = nameIndex(["meta-llama/Llama-3.1-8B-Instruct", "google/gemma-3-1b-it", "a/Other-1B"]);
    expect(find("NousResearch/Meta-Llama-3.1-8B-Instruct")).toEqual(["meta-llama/Llama-3.1-8B-Instruct"]);
    expect(find("bartowski/google_gemma-3-1b-it-GGUF")).toEqual(["google/gemma-3-1b-it"]);
  });
});
