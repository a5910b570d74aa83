/** The real `npm run pipeline` against the Hub replay server. */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Index, parseIndex } from "../../schema/index.ts";
import { REAL_HUB_EXPECTED } from "../../test/hub-replay/catalogue/real-hub.ts";
import { buildCatalogue } from "../../test/hub-replay/catalogue.ts";
import { type HubReplay, startHubReplay } from "../../test/hub-replay/server.ts";
import { model, pipelineAgainst, readIndex, tmp, tree } from "./run-pipeline.ts";

let hub: HubReplay;
const pipeline = pipelineAgainst(() => hub);

beforeAll(async () => {
  hub = await startHubReplay({ catalogue: buildCatalogue(), approvedTokens: ["hf_approved_token"] });
});
afterAll(async () => {
  await hub.close();
});

describe("npm run pipeline against the Hub replay server", () => {
  let out: string;
  let cache: string;
  let index: Index;
  let firstRun: Awaited<ReturnType<typeof pipeline>>;
  let decisions: Map<string, Record<string, unknown>>;

  beforeAll(async () => {
    out = tmp("out");
    cache = tmp("cache");
    const reportFile = join(tmp("report"), "decisions.jsonl");
    firstRun = await pipeline(["--out", out, "--cache-dir", cache, "--json", "--report", reportFile]);
    index = readIndex(out);
    decisions = new Map(
      readFileSync(reportFile, "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line))
        .map((d) => [d.id, d]),
    );
  });

  it("decides each class of repo the real Hub has as it must (issues 10 and 22), and says so in --report", () => {
    const got = (id: string) => {
      const d = decisions.get(id);
      if (!d) return "missing";
      return d.decision === "entry" ? "entry" : d.decision === "folded" ? `folded:${d.into}` : `dropped:${d.reason}`;
    };
    const wrong = Object.entries(REAL_HUB_EXPECTED)
      .filter(([id, want]) => got(id) !== want)
      .map(([id, want]) => `${id}: want ${want}, got ${got(id)}`);
    expect(wrong).toEqual([]);
    // Every candidate has a line, with the routes that found it.
    expect(decisions.size).toBe(JSON.parse(firstRun.stdout).candidates);
    expect(decisions.get("facebook/opt-125m")?.routes).toEqual(["popular"]);
    expect(decisions.get("zai-org/chatglm3-6b")?.routes).toContain("popular-any");
    expect(decisions.get("mixup/Qwen2.5-0.5B-Instruct-GGUF")?.detail).toBe(
      "not Qwen/Qwen2.5-0.5B: an instruct GGUF of a base model",
    );
  });

  it("names the rule behind every decision in --report (issue 22)", () => {
    for (const d of decisions.values()) {
      if (d.decision === "folded") expect(d.detail, String(d.id)).toEqual(expect.any(String));
      else expect(d.reason, String(d.id)).toEqual(expect.any(String));
      if (d.decision === "entry") expect(d.detail, String(d.id)).toEqual(expect.any(String));
    }
    expect(decisions.get("liuhaotian/llava-v1.5-7b")).toMatchObject({
      reason: "multimodal-chat",
      detail: expect.stringContaining("LlavaLlamaForCausalLM"),
    });
    expect(decisions.get("HuggingFaceM4/idefics2-8b")?.detail).toContain("processor_config");
    expect(decisions.get("fixie-ai/ultravox-v0_4-llama-3_2-1b")?.detail).toContain("config.json has a language model");
    expect(decisions.get("oldlab/Base-LM-1B")?.detail).toContain("config.json: LlamaForCausalLM");
    expect(decisions.get("zai-org/chatglm3-6b-base")?.detail).toContain("auto_map AutoModelForCausalLM");
    expect(decisions.get("meta-llama/Llama-Guard-3-1B")?.reason).toBe("guard");
    expect(decisions.get("hmellor/Ilama-3.2-3B")?.detail).toContain("named one letter apart");
    expect(decisions.get("acme-mirror/Llama-3.2-3B")).toMatchObject({ relation: "reupload" });
    expect(decisions.get("mlx-community/Qwen3-1.7B-abliterated-4bit")?.detail).toContain("re-trained");
    expect(decisions.get("nvidia/Qwen3-4B-Instruct-2507-NVFP4")).toMatchObject({ relation: "quantized" });
  });

  it("keeps guards tagged guard, never chat, and multimodal chat models with their modalities (issue 22)", () => {
    for (const id of [
      "meta-llama/Llama-Guard-3-1B",
      "Qwen/Qwen3Guard-Gen-0.6B",
      "allenai/wildguard",
      "google/shieldgemma-2b",
    ])
      expect(model(index, id).tasks, id).toEqual(["guard"]);
    expect(model(index, "google/shieldgemma-2b").variants.map((v) => v.id)).toEqual([
      "QuantFactory/shieldgemma-2b-GGUF",
    ]);
    for (const id of ["liuhaotian/llava-v1.5-7b", "HuggingFaceM4/idefics2-8b", "deepseek-ai/deepseek-vl2-tiny"])
      expect(model(index, id).tasks, id).toEqual(expect.arrayContaining(["chat", "vision"]));
    expect(model(index, "lmms-lab/LLaVA-Video-7B-Qwen2").tasks).toContain("vision");
    expect(model(index, "fixie-ai/ultravox-v0_4-llama-3_2-1b").tasks).toEqual(
      expect.arrayContaining(["audio", "chat"]),
    );
    expect(model(index, "microsoft/Phi-4-multimodal-instruct").tasks).toEqual(
      expect.arrayContaining(["audio", "chat", "vision"]),
    );
    // The original keeps its own entry; the abliterated model gets its copies; the uncensored copies stand apart.
    expect(model(index, "Qwen/Qwen3-1.7B").variants.map((v) => v.id)).not.toContain(
      "mlx-community/Qwen3-1.7B-abliterated-4bit",
    );
    expect(model(index, "huihui-ai/Qwen3-1.7B-abliterated")).toMatchObject({ baseModel: "Qwen/Qwen3-1.7B" });
    expect(model(index, "bartowski/Llama-3.2-1B-Instruct-uncensored-GGUF")).toMatchObject({
      baseModel: "meta-llama/Llama-3.2-1B-Instruct",
      variants: [{ id: "mlx-community/Llama-3.2-1B-Instruct-uncensored-4bit", relation: "converted", format: "mlx" }],
    });
    expect(model(index, "meta-llama/Llama-3.2-1B-Instruct").install.every((t) => !t.ref.includes("uncensored"))).toBe(
      true,
    );
    // Seven -imat quants are one model with seven install targets; a toy under 10M parameters is not an entry.
    expect(model(index, "Lewdiculous/L3-8B-Stheno-v3.2-GGUF-IQ-Imatrix").install.length).toBe(7);
    expect(model(index, "EleutherAI/pythia-70m").tier).toBe("sub-1b");
    expect(decisions.get("roneneldan/TinyStories-1M")).toMatchObject({ reason: "too-small" });
  });

  it("tags vision, audio and tools, and tiers copies of an unlisted base on a true count", () => {
    expect(model(index, "google/gemma-4-E4B-it").tasks).toEqual(["audio", "chat", "vision"]);
    expect(model(index, "fixie-ai/ultravox-v0_5-llama-3_2-1b").tasks).toContain("audio");
    expect(model(index, "llava-hf/LLaVA-NeXT-Video-7B-hf").tasks).toContain("vision");
    expect(model(index, "Qwen/Qwen3-4B").tasks).toContain("tools");
    expect(model(index, "TinyLlama/TinyLlama-1.1B-Chat-v1.0").tasks).not.toContain("tools");
    const secret = model(index, "quantco/Secret-1.5B-AWQ");
    expect(secret).toMatchObject({ tier: "1b-8b", baseModel: "locked-lab/Secret-1.5B" });
    expect(secret.params).toEqual({ total: 1_543_714_304, source: "gguf" });
    expect(secret.variants.map((v) => v.id)).toEqual(["mlx-community/Secret-1.5B-4bit", "quantco/Secret-1.5B-GGUF"]);
    expect(model(index, "facebook/opt-125m").params.source).toBe("config");
    expect(model(index, "HuggingFaceTB/SmolLM2-360M-Instruct").baseModel).toBe("HuggingFaceTB/SmolLM2-360M");
  });

  it("offers the quants of several GGUF repos, the default from the same model", () => {
    const refs = (id: string) => model(index, id).install.map((t) => `${t.ref}${t.default ? " (default)" : ""}`);
    // The author's own repo holds only Q8_0: Q4_K_M comes from the community repo, and is the default.
    expect(refs("Qwen/Qwen3-0.6B")).toEqual([
      "hf.co/unsloth/Qwen3-0.6B-GGUF:BF16",
      "hf.co/Qwen/Qwen3-0.6B-GGUF:Q8_0",
      "hf.co/unsloth/Qwen3-0.6B-GGUF:Q4_K_M (default)",
    ]);
    // Split and single copies of Q4_K_M in one repo: the single file is offered.
    const smol = model(index, "HuggingFaceTB/SmolLM2-1.7B-Instruct").install.find((t) => t.default);
    expect(smol).toMatchObject({ ref: "hf.co/splitter/SmolLM2-1.7B-Instruct-GGUF:Q4_K_M" });
    // GGUF repos whose base tag points here but hold another model install nothing here.
    expect(model(index, "Qwen/Qwen2.5-0.5B").install).toEqual([]);
    expect(model(index, "Qwen/Qwen2.5-3B").install.every((t) => !t.ref.includes("confused/"))).toBe(true);
    expect(model(index, "google/gemma-3-4b-it").install.find((t) => t.default)?.ref).toBe(
      "hf.co/ggml-org/gemma-3-4b-it-GGUF:Q4_K_M",
    );
  });

  it("exits 0 and writes an index that passes the zod schema and the published JSON Schema", () => {
    expect(firstRun.code, firstRun.stderr).toBe(0);
    expect(JSON.parse(firstRun.stdout).status).toBe("written");
    expect(() => parseIndex(index)).not.toThrow();
    const ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(join(out, "v1", "index.schema.json"), "utf8")));
    expect(validate(index)).toBe(true);
    expect(index.fixture).toBe(true);
    expect(index.version).toMatch(/^2026-11-23\.[0-9a-f]{8}$/);
  });

  it("writes every companion file", () => {
    const files = Object.keys(tree(join(out, "v1")));
    expect(files).toEqual([
      "changelog.json",
      "index.json",
      "index.schema.json",
      "models.jsonl",
      "tiers/1b-8b.json",
      "tiers/1b-8b.jsonl",
      "tiers/sub-1b.json",
      "tiers/sub-1b.jsonl",
    ]);
    const lines = readFileSync(join(out, "v1", "models.jsonl"), "utf8")
      .trim()
      .split("\n");
    expect(lines.map((l) => JSON.parse(l).id)).toEqual(index.models.map((m) => m.id));
    const sub = JSON.parse(readFileSync(join(out, "v1", "tiers", "sub-1b.json"), "utf8")) as Index;
    expect(sub.models.every((m) => m.tier === "sub-1b")).toBe(true);
    expect(
      sub.models.length + JSON.parse(readFileSync(join(out, "v1", "tiers", "1b-8b.json"), "utf8")).models.length,
    ).toBe(index.models.length);
    const changelog = JSON.parse(readFileSync(join(out, "v1", "changelog.json"), "utf8"));
    expect(changelog.entries[0].version).toBe(index.version);
    expect(changelog.entries[0].added).toHaveLength(index.models.length);
  });

  it("folds quantized, converted and re-uploaded repos into one entry per set of weights", () => {
    const qwen = model(index, "Qwen/Qwen2.5-0.5B-Instruct");
    expect(qwen.variants).toEqual(
      expect.arrayContaining([
        { id: "Qwen/Qwen2.5-0.5B-Instruct-GGUF", relation: "quantized", format: "gguf" },
        { id: "bartowski/Qwen2.5-0.5B-Instruct-GGUF", relation: "quantized", format: "gguf" },
        { id: "mlx-community/Qwen2.5-0.5B-Instruct-4bit", relation: "converted", format: "mlx" },
        { id: "onnx-community/Qwen2.5-0.5B-Instruct", relation: "converted", format: "onnx" },
        { id: "unsloth/Qwen2.5-0.5B-Instruct", relation: "reupload", format: "safetensors" },
      ]),
    );
    const ids = new Set(index.models.map((m) => m.id));
    for (const folded of [
      "unsloth/Qwen2.5-0.5B-Instruct",
      "mirror-user/SmolLM2-135M-Instruct",
      "Qwen/Qwen2.5-7B-Instruct-AWQ",
      "bartowski/Qwen2.5-3B-Instruct-GGUF",
    ]) {
      expect(ids).not.toContain(folded);
    }
    expect(model(index, "HuggingFaceTB/SmolLM2-135M-Instruct").variants).toContainEqual({
      id: "mirror-user/SmolLM2-135M-Instruct",
      relation: "reupload",
      format: "safetensors",
    });
  });

  it("keeps fine-tunes and merges as their own entries naming their base", () => {
    expect(model(index, "thinkers/Qwen3-1.7B-Reasoning-R1").baseModel).toBe("Qwen/Qwen3-1.7B");
    expect(model(index, "blend/Qwen2.5-7B-Merge").baseModel).toBe("Qwen/Qwen2.5-7B-Instruct");
    expect(model(index, "Qwen/Qwen2.5-0.5B-Instruct").baseModel).toBe("Qwen/Qwen2.5-0.5B");
  });

  it("drops non-LLMs, adapters, test stubs and out-of-tier models", () => {
    const ids = new Set(index.models.map((m) => m.id));
    for (const id of [
      "sentence-transformers/all-MiniLM-L6-v2",
      "BAAI/bge-reranker-base",
      "BAAI/bge-small-en-v1.5",
      "google/flan-t5-small",
      "microsoft/Florence-2-base",
      "nomic-ai/nomic-embed-text-v1.5-GGUF",
      "lora-user/llama-3.2-1b-chat-lora",
      "hf-internal-testing/tiny-random-LlamaForCausalLM",
      "mistralai/Mixtral-8x7B-v0.1",
      "Qwen/Qwen1.5-MoE-A2.7B-Chat",
    ]) {
      expect(ids, id).not.toContain(id);
    }
    const report = JSON.parse(firstRun.stdout);
    expect(report.dropped).toMatchObject({
      "adapter-only": 1,
      "test-stub": 7, // 2 tiny-random stubs, and 5 of the real-Hub classes below
      "out-of-tier": 2,
      "encoder-decoder": 2, // flan-t5, and Florence-2 (a vision encoder-decoder that cannot chat)
    });
  });

  it("resolves parameters from each source and tiers them", () => {
    expect(model(index, "Qwen/Qwen3-0.6B").params).toEqual({ total: 751_632_384, source: "safetensors" });
    expect(model(index, "orphans/Tiny-Chat-0.3B-GGUF").params).toEqual({ total: 330_000_000, source: "gguf" });
    expect(model(index, "oldschool/tinychat-0.5B").params).toEqual({ total: 494_032_768, source: "config" });
    expect(model(index, "oldschool/mystery-chat-360M").params).toEqual({ total: 360_000_000, source: "name" });
    const granite = model(index, "ibm-granite/granite-3.0-1b-a400m-instruct");
    expect(granite.params.active).toBeGreaterThan(380_000_000);
    expect(granite.params.active).toBeLessThan(450_000_000);
    expect(model(index, "meta-llama/Llama-3.1-8B-Instruct").tier).toBe("1b-8b");
    expect(model(index, "Qwen/Qwen3-8B").tier).toBe("1b-8b");
    expect(model(index, "google/gemma-3-1b-it").tier).toBe("sub-1b");
    expect(model(index, "google/gemma-3-4b-it").tasks).toContain("vision");
  });

  it("picks install targets: the author's own GGUF first, Q4_K_M by default, never gated or unpullable repos", () => {
    const qwen = model(index, "Qwen/Qwen2.5-0.5B-Instruct");
    expect(qwen.install.find((t) => t.default)?.ref).toBe("hf.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M");
    const q7 = model(index, "Qwen/Qwen2.5-7B-Instruct");
    expect(q7.install.map((t) => t.quant)).not.toContain("F16"); // sharded upstream
    const llama3b = model(index, "meta-llama/Llama-3.2-3B-Instruct");
    expect(llama3b.install.every((t) => t.ref.startsWith("hf.co/bartowski/"))).toBe(true);
    expect(model(index, "Qwen/Qwen3-4B").install.every((t) => !t.ref.includes("dotted.org"))).toBe(true);
    const tiny = model(index, "TinyLlama/TinyLlama-1.1B-Chat-v1.0");
    expect(tiny.install.find((t) => t.default)?.ref).toBe("hf.co/TheBloke/TinyLlama-1.1B-Chat-v1.0-GGUF:Q4_K_M");
    for (const m of index.models) {
      for (const t of m.install) expect(t.fileBytes).toBeGreaterThan(0);
    }
  });

  it("computes hardware fit per quant from config.json, also for gated repos through their mirrors", () => {
    const llama = model(index, "meta-llama/Llama-3.2-1B-Instruct");
    const q4 = llama.fit.find((f) => f.quant === "Q4_K_M" && f.contextLength === 4096);
    expect(q4?.basis).toBe("config");
    expect(q4?.kvCacheBytes).toBe(128 * 1024 ** 2);
    expect(q4?.fits).toEqual(expect.arrayContaining(["cpu-8gb", "gpu-4gb", "apple-8gb"]));
    const at32k = llama.fit.find((f) => f.quant === "Q4_K_M" && f.contextLength === 32768);
    expect(at32k?.memoryBytes).toBeGreaterThan(q4?.memoryBytes ?? 0);
    const big = model(index, "meta-llama/Llama-3.1-8B-Instruct").fit.find(
      (f) => f.quant === "Q8_0" && f.contextLength === 4096,
    );
    expect(big?.fits).not.toContain("gpu-8gb");
  });

  it("estimates the decode speed on every profile that runs a quant, whole or split with system RAM", () => {
    const llama = model(index, "meta-llama/Llama-3.1-8B-Instruct");
    expect(llama.layers).toBe(32);
    const q8 = llama.fit.find((f) => f.quant === "Q8_0" && f.contextLength === 4096);
    expect(q8?.offload?.["gpu-8gb"]).toEqual({ gpuLayers: expect.any(Number), totalLayers: 32 });
    const tps = q8?.tokensPerSecond ?? {};
    expect(Object.keys(tps).sort()).toEqual([...(q8?.fits ?? []), ...Object.keys(q8?.offload ?? {})].sort());
    expect(tps["gpu-8gb"]).toBeGreaterThan(tps["cpu-16gb"] ?? Number.POSITIVE_INFINITY);
    expect(tps["gpu-8gb"]).toBeLessThan(tps["gpu-12gb"] ?? 0);
    for (const p of index.profiles) expect(p.bandwidthGBs).toBeGreaterThan(0);
  });

  it("records per-repo failures in the report instead of failing the run", () => {
    const report = JSON.parse(firstRun.stdout);
    // The Hub answers 401 to an anonymous request for a missing repo; X-Error-Code says it is missing.
    expect(report.skipped).toContainEqual({
      id: "vanished-lab/Tiny-Chat-0.3B",
      what: "config.json",
      reason: "not-found",
    });
  });

  it("is deterministic: a second cold run gives byte-identical files", async () => {
    const again = tmp("out2");
    const result = await pipeline(["--out", again, "--cache-dir", tmp("cache2"), "--quiet"]);
    expect(result.code, result.stderr).toBe(0);
    expect(tree(again)).toEqual(tree(out));
  });

  it("re-runs with only list calls and changes nothing when the Hub did not change", async () => {
    const before = tree(out);
    const mtime = statSync(join(out, "v1", "index.json")).mtimeMs;
    const from = hub.requests.length;
    const result = await pipeline(["--out", out, "--cache-dir", cache, "--json"], { SOURCE_DATE_EPOCH: undefined });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).status).toBe("unchanged");
    const made = hub.requests.slice(from);
    expect(made.length).toBeGreaterThan(0);
    expect(made.every((r) => r.path.startsWith("/api/models?"))).toBe(true);
    expect(tree(out)).toEqual(before);
    expect(statSync(join(out, "v1", "index.json")).mtimeMs).toBe(mtime);
  });

  it("sends HF_TOKEN to the Hub, never prints it, and reads gated configs with it", async () => {
    const dir = tmp("token");
    const from = hub.requests.length;
    const result = await pipeline(["--out", dir, "--cache-dir", tmp("cache3"), "--json"], {
      HF_TOKEN: "hf_approved_token",
    });
    expect(result.code, result.stderr).toBe(0);
    expect(hub.requests.slice(from).every((r) => r.authorized)).toBe(true);
    expect(result.stdout + result.stderr).not.toContain("hf_approved_token");
    const gemma = model(readIndex(dir), "google/gemma-3-1b-it");
    expect(gemma.fit[0]?.basis).toBe("config");
  });
});
