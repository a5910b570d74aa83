import { describe, expect, it } from "vitest";
import { sampleIndex, sampleModel } from "../../test/helpers/sample-index.ts";
import { memoryAt } from "../src/core/best-fit.ts";
import { budgetFromFits, memoryBudgets } from "../src/core/budgets.ts";
import { detectHardware, type Hardware, parseNvidiaSmi, parseRocmSmi } from "../src/hardware/detect-hardware.ts";
import { bindAddress } from "../src/provision/ensure-server.ts";
import { recommend } from "../src/recommend/recommend.ts";
import { ollamaBaseUrl } from "../src/runtimes/ollama/host.ts";
import { normalizeRef } from "../src/runtimes/ollama/refs.ts";
import { resolveRef } from "../src/runtimes/resolve-target.ts";

const GiB = 1024 ** 3;

describe("OLLAMA_HOST, parsed as Ollama parses it (envconfig/config_test.go)", () => {
  it.each([
    [undefined, "http://127.0.0.1:11434"],
    ["", "http://127.0.0.1:11434"],
    ["1.2.3.4", "http://1.2.3.4:11434"],
    [" '1.2.3.4:5678' ", "http://1.2.3.4:5678"],
    ["http://1.2.3.4", "http://1.2.3.4:80"],
    ["https://1.2.3.4", "https://1.2.3.4:443"],
    [":1234", "http://127.0.0.1:1234"],
    ["0.0.0.0:11434", "http://127.0.0.1:11434"],
    ["::1", "http://[::1]:11434"],
    ["[::1]:5000", "http://[::1]:5000"],
    ["1.2.3.4:99999", "http://1.2.3.4:11434"],
    ["https://example.com/ollama", "https://example.com:443/ollama"],
    ["ollama.com", "https://ollama.com:443"],
  ])("%j → %s", (value, url) => {
    expect(ollamaBaseUrl(value)).toBe(url);
  });

  it("a server started here listens where the user's OLLAMA_HOST says, and is reached over loopback", () => {
    expect(bindAddress(ollamaBaseUrl("0.0.0.0"), "0.0.0.0")).toBe("0.0.0.0");
    expect(bindAddress(ollamaBaseUrl(":1234"), ":1234")).toBe(":1234");
    expect(bindAddress("http://127.0.0.1:11434", undefined)).toBe("127.0.0.1:11434");
    expect(bindAddress("http://localhost:80", "http://localhost")).toBe("http://localhost");
    expect(bindAddress("http://localhost:80", undefined)).toBe("localhost:80");
  });
});

describe("model refs", () => {
  it("normalizes like Ollama's display form", () => {
    expect(normalizeRef("llama3.2")).toBe("llama3.2:latest");
    expect(normalizeRef("registry.ollama.ai/library/llama3.2:1b")).toBe("llama3.2:1b");
    expect(normalizeRef("hf.co/A/B-GGUF:Q4_K_M")).toBe("hf.co/a/b-gguf:q4_k_m");
  });

  it("maps index ids case-insensitively and refs that belong to an entry", () => {
    const index = sampleIndex();
    expect(resolveRef("qwen/qwen2.5-0.5b-instruct", index).ref).toBe("hf.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M");
    expect(resolveRef("hf.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q8_0", index).model?.id).toBe(
      "Qwen/Qwen2.5-0.5B-Instruct",
    );
    expect(resolveRef("hf.co/x/y-GGUF", index, "q5_k_m").ref).toBe("hf.co/x/y-GGUF:Q5_K_M");
  });
});

describe("hardware", () => {
  it("parses nvidia-smi and rocm-smi output", () => {
    expect(parseNvidiaSmi("NVIDIA GeForce RTX 3060, 12288, 11000\n")).toEqual([
      { vendor: "nvidia", name: "NVIDIA GeForce RTX 3060", vramBytes: 12 * GiB, freeBytes: 11000 * 1024 ** 2 },
    ]);
    expect(
      parseRocmSmi(
        '{"card0":{"VRAM Total Memory (B)":"17163091968","VRAM Total Used Memory (B)":"1000","Card series":"Radeon RX 7800 XT"}}',
      ),
    ).toEqual([{ vendor: "amd", name: "Radeon RX 7800 XT", vramBytes: 17163091968, freeBytes: 17163090968 }]);
    expect(parseRocmSmi("not json")).toEqual([]);
  });

  it("never throws, whatever the tools do", async () => {
    const hw = await detectHardware(
      async () => {
        throw new Error("boom");
      },
      { measure: false, env: {} },
    );
    expect(hw.ram.totalBytes).toBeGreaterThan(0);
    const none = await detectHardware(async () => undefined, { measure: false, env: {} });
    expect(none.gpus).toEqual([]);
    expect(none.ram.bandwidth?.source).toMatch(/default|table/);
  });
});

describe("recommend", () => {
  const machine = (patch: Partial<Hardware>): Hardware => ({
    platform: "linux",
    arch: "x64",
    cpu: { model: null, cores: 2 },
    ram: { totalBytes: 16 * GiB, availableBytes: 8 * GiB },
    gpus: [],
    unifiedMemory: false,
    ...patch,
  });

  it("uses the same budgets as the index profiles", () => {
    expect(memoryBudgets(machine({})).map((b) => b.usableBytes)).toEqual([Math.floor(0.8 * 16 * GiB)]);
    expect(
      memoryBudgets(machine({ gpus: [{ vendor: "nvidia", name: "x", vramBytes: 8 * GiB, freeBytes: null }] }))[0]
        ?.usableBytes,
    ).toBe(7 * GiB);
    expect(memoryBudgets(machine({ unifiedMemory: true }))[0]?.usableBytes).toBe(Math.floor((16 * GiB * 2) / 3));
    expect(budgetFromFits(sampleIndex(), "gpu-8gb")?.usableBytes).toBe(7 * GiB);
    expect(budgetFromFits(sampleIndex(), "12")?.usableBytes).toBe(11 * GiB);
  });

  it("picks the quant a user would run, and says why", () => {
    // A slow 2-core CPU: Q8_0 would cost ~40 % of Q4_K_M's speed, so the 4-bit baseline stands.
    const picks = recommend(sampleIndex(), machine({}), { tier: "sub-1b" });
    expect(picks[0]?.install.quant).toBe("Q4_K_M");
    expect(picks[0]?.why).toMatch(
      /^Q4_K_M needs ~966 MB of memory at 4096 tokens; fits 17 GB RAM \(13 GB usable, 12 GB to spare\); ~\d+ tokens\/s \(estimated\)$/,
    );
    // A fast GPU answers at Q8_0 far above 40 tokens/s: the better quant costs nothing that shows.
    const gpu = { vendor: "nvidia" as const, name: "NVIDIA GeForce RTX 3060", vramBytes: 12 * GiB, freeBytes: null };
    const fast = recommend(sampleIndex(), machine({ gpus: [gpu] }), { tier: "sub-1b" });
    expect(fast[0]?.install.quant).toBe("Q8_0");
    expect(fast[0]?.why).toMatch(/Q8_0 needs ~1\.3 GB of memory at 4096 tokens; fits NVIDIA GeForce RTX 3060/);
    const tight = recommend(sampleIndex(), machine({}), { budget: { kind: "gpu", label: "1 GB", usableBytes: GiB } });
    expect(tight.map((p) => [p.model.id, p.install.quant])).toEqual([["Qwen/Qwen2.5-0.5B-Instruct", "Q4_K_M"]]);
  });

  it("scales memory with the context length from the KV cache", () => {
    const model = sampleModel({
      fit: [
        { quant: "Q4_K_M", contextLength: 4096, memoryBytes: 1000, fits: [], kvCacheBytes: 400 },
        { quant: "Q8_0", contextLength: 4096, memoryBytes: 2000, fits: [] },
      ],
    });
    expect(memoryAt(model, "Q4_K_M", 8192)).toBe(1400);
  });

  it("filters by task and drops models whose context is too short", () => {
    expect(recommend(sampleIndex(), machine({}), { task: "tools" }).map((p) => p.model.id)).toEqual([
      "meta-llama/Llama-3.2-3B-Instruct",
    ]);
    expect(recommend(sampleIndex(), machine({}), { contextLength: 65536 }).map((p) => p.model.id)).not.toContain(
      "Qwen/Qwen2.5-0.5B-Instruct",
    );
  });
});
