/** Weight-file stems: the quants of one GGUF are one set of weights, different models are not (issue 22). */
import { describe, expect, it } from "vitest";
import { layoutDrop, weightStem } from "./layout.ts";
import { files, m } from "./repo-kind.fixtures.ts";

describe("weight stems", () => {
  it.each([
    ["Llama-3.2-1B-Instruct-Q4_K_M.gguf", "llama-3.2-1b-instruct"],
    ["Llama-3.2-1B-Instruct.Q4_K_M.gguf", "llama-3.2-1b-instruct"],
    ["L3-8B-Stheno-v3.2-Q5_K_M-imat.gguf", "l3-8b-stheno-v3.2"],
    ["Qwen3-4B-abliterated.i1-IQ2_XXS.gguf", "qwen3-4b-abliterated"],
    ["Qwen3-4B-UD-Q4_K_XL.gguf", "qwen3-4b"],
    ["UD-Q2_K_XL/Qwen3-4B-UD-Q2_K_XL-00001-of-00002.gguf", "qwen3-4b"],
    ["gemma-3-4b-it-qat-Q4_0.gguf", "gemma-3-4b-it"],
    ["gpt-oss-20b-MXFP4_MOE.gguf", "gpt-oss-20b"],
    ["qwen2.5-0.5b-instruct-fp32.gguf", "qwen2.5-0.5b-instruct"],
    ["llama-2-7b-chat.ggmlv3.q4_K_M.bin", "llama-2-7b-chat"],
    ["model-00001-of-00004.safetensors", ""],
    ["split_files/vae/qwen_image_vae.safetensors", "split_files/vae/qwen_image_vae"],
  ])("%s → %s", (path, stem) => {
    expect(weightStem(path)).toBe(stem);
  });

  it("counts seven quants of one model as one set of weights, five different models as a bundle", () => {
    const quants = ["IQ3_M", "IQ4_XS", "Q4_K_M", "Q4_K_S", "Q5_K_M", "Q6_K", "Q8_0"];
    const oneModel = m("Lewdiculous/L3-8B-Stheno-v3.2-GGUF-IQ-Imatrix", {
      tags: ["gguf"],
      siblings: files(...quants.map((q) => `L3-8B-Stheno-v3.2-${q}-imat.gguf`)),
    });
    expect(layoutDrop(oneModel)).toBeUndefined();
    const pack = m("someone/gguf-pack", {
      tags: ["gguf"],
      siblings: files(
        "Llama-3.2-1B-Q4_K_M.gguf",
        "Qwen3-4B-Q4_K_M.gguf",
        "gemma-3-1b-it-Q4_K_M.gguf",
        "Phi-4-mini-Q4_K_M.gguf",
        "SmolLM2-360M-Q4_K_M.gguf",
      ),
    });
    expect(layoutDrop(pack)).toMatchObject({ reason: "bundle" });
  });
});
