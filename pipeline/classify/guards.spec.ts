/**
 * Safety guards (issue 22): decoder LLMs that answer "safe" / "unsafe" in text (Ollama ships
 * llama-guard3 and shieldgemma) are kept and tagged `guard`, never `chat`; guards with a
 * classification head, reward models and PRMs stay out.
 */
import { describe, expect, it } from "vitest";
import { classify, isDrop } from "../classify.ts";
import type { HubModel } from "../hub/types.ts";
import { chatConfig, decision, files, m } from "./repo-kind.fixtures.ts";

const guard = (id: string, patch: Partial<HubModel>) => {
  const c = classify(m(id, patch));
  return isDrop(c) ? c.reason : { reason: c.kept.reason, tasks: c.tasks };
};

describe("generative guard models", () => {
  it.each([
    [
      "meta-llama/Llama-Guard-3-1B",
      {
        pipeline_tag: "text-generation",
        gated: "manual",
        tags: [
          "transformers",
          "safetensors",
          "llama",
          "text-generation",
          "facebook",
          "meta",
          "llama-3",
          "conversational",
        ],
        config: chatConfig(["LlamaForCausalLM"], "llama"),
      },
    ],
    [
      "Qwen/Qwen3Guard-Gen-0.6B",
      {
        pipeline_tag: "text-generation",
        tags: ["transformers", "safetensors", "qwen3", "conversational", "base_model:finetune:Qwen/Qwen3-0.6B"],
        config: chatConfig(["Qwen3ForCausalLM"], "qwen3"),
      },
    ],
    [
      "allenai/wildguard",
      {
        pipeline_tag: "text-generation",
        tags: ["transformers", "safetensors", "mistral", "classifier", "safety", "moderation", "en"],
        config: { architectures: ["MistralForCausalLM"], model_type: "mistral" },
        cardData: { datasets: ["allenai/wildguardmix"] },
      },
    ],
    ["google/shieldgemma-2b", { pipeline_tag: "text-generation", config: chatConfig(["Gemma2ForCausalLM"], "gemma2") }],
    [
      "ibm-granite/granite-guardian-3.1-2b",
      { pipeline_tag: "text-generation", config: chatConfig(["GraniteForCausalLM"], "granite") },
    ],
    [
      "QuantFactory/Llama-Guard-3-8B-GGUF",
      {
        tags: ["gguf", "conversational"],
        gguf: { total: 8_030_261_248, architecture: "llama", context_length: 131072 },
        siblings: files("Llama-Guard-3-8B.Q4_K_M.gguf", "Llama-Guard-3-8B.Q8_0.gguf"),
      },
    ],
    [
      "AIML-TUDA/LlavaGuard-7B",
      { pipeline_tag: "image-text-to-text", config: chatConfig(["LlavaForConditionalGeneration"], "llava") },
    ],
    [
      "OpenSafetyLab/MD-Judge-v0.1: a safety judge, tagged as a guard",
      {
        pipeline_tag: "text-generation",
        tags: ["transformers", "safetensors", "mistral", "text-generation", "ai-safety", "safetyguard", "judge"],
        config: chatConfig(["MistralForCausalLM"], "mistral"),
      },
    ],
  ] as [string, Partial<HubModel>][])("keeps %s, tagged guard and not chat", (what, patch) => {
    const id = what.split(":")[0] as string;
    const got = guard(id, patch);
    expect(got).toMatchObject({ reason: "guard" });
    const tasks = (got as { tasks: string[] }).tasks;
    expect(tasks).toContain("guard");
    expect(tasks).not.toContain("chat");
    expect(tasks).not.toContain("base");
  });

  it.each([
    [
      "meta-llama/Prompt-Guard-86M",
      {
        pipeline_tag: "text-classification",
        config: { architectures: ["DebertaV2ForSequenceClassification"], model_type: "deberta-v2" },
      },
      "reward-or-judge",
    ],
    [
      "Qwen/Qwen3Guard-Stream-0.6B",
      {
        pipeline_tag: "text-generation",
        tags: ["transformers", "safetensors", "custom_code"],
        config: {
          architectures: ["Qwen3ForGuardModel"],
          auto_map: { AutoModel: "modeling_qwen3_guard.Qwen3ForGuardModel" },
          model_type: "qwen3",
        },
      },
      "reward-or-judge",
    ],
    [
      "Skywork/Skywork-Reward-V2-Qwen3-0.6B",
      { pipeline_tag: "text-classification", config: { architectures: ["Qwen3ForSequenceClassification"] } },
      "reward-or-judge",
    ],
    // Generative reward models and verifiers: causal LMs that grade, named or tagged as such.
    [
      "launch/ThinkPRM-1.5B",
      { pipeline_tag: "text-generation", config: chatConfig(["Qwen2ForCausalLM"], "qwen2") },
      "reward-or-judge",
    ],
    [
      "Qwen/Qwen2.5-Math-7B-PRM800K",
      { pipeline_tag: "text-generation", config: chatConfig(["Qwen2ForCausalLM"], "qwen2") },
      "reward-or-judge",
    ],
    [
      "TIGER-Lab/general-verifier",
      { pipeline_tag: "text-generation", config: chatConfig(["Qwen2ForCausalLM"], "qwen2") },
      "reward-or-judge",
    ],
    [
      "Ray2333/GRM-Llama3.2-3B-rewardmodel-ft",
      { pipeline_tag: "text-generation", config: chatConfig(["LlamaForCausalLM"], "llama") },
      "reward-or-judge",
    ],
    [
      "AtlaAI/Selene-1-Mini-Llama-3.1-8B",
      {
        pipeline_tag: "text-generation",
        tags: ["transformers", "safetensors", "llama", "text-generation", "llm-as-a-judge", "lm-judge", "evaluation"],
        config: chatConfig(["LlamaForCausalLM"], "llama"),
      },
      "reward-or-judge",
    ],
    [
      "nvidia/AceMath-7B-RM",
      { pipeline_tag: "text-generation", config: chatConfig(["Qwen2ForCausalLM"], "qwen2") },
      "reward-or-judge",
    ],
  ] as [string, Partial<HubModel>, string][])("drops %s as %s", (id, patch, reason) => {
    expect(decision(m(id, patch))).toBe(reason);
  });

  it("does not take a merge named GRM, or a model named for a storm, for a reward model", () => {
    expect(decision(m("OrionLLM/GRM-2.6-Opus", { pipeline_tag: "text-generation" }))).toBe("kept");
    expect(decision(m("lab/Storm-7B", { pipeline_tag: "text-generation" }))).toBe("kept");
  });
});
