/**
 * The hand-written GGUFs read back by an independent parser (@huggingface/gguf): the metadata and
 * tensor infos as written, offsets laid out as llama.cpp demands, and the real configs' tensors
 * adding up to the parameter count the pipeline estimates from config.json.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gguf } from "@huggingface/gguf";
import { afterAll, describe, expect, it } from "vitest";
import { estimateParams } from "../../../pipeline/model-config/estimate-params.ts";
import { writeGgufFromConfig } from "./from-config.ts";
import { writeTinyModel } from "./tiny-model.ts";
import { tensorBytes, toHalf } from "./write-gguf.ts";

const dir = mkdtempSync(join(tmpdir(), "small-llm-gguf-spec-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const config = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../pipeline/test/fixtures/configs/${name}.json`, import.meta.url), "utf8"));

describe("writeGguf", () => {
  it("writes a tiny llama model another parser reads back", async () => {
    const path = join(dir, "tiny.gguf");
    const bytes = writeTinyModel(path);
    expect(statSync(path).size).toBe(bytes);
    expect(bytes).toBeLessThan(300_000);
    const { metadata: typed, tensorInfos, tensorDataOffset } = await gguf(path, { allowLocalFile: true });
    const metadata = typed as Record<string, unknown>;
    expect(metadata.version).toBe(3);
    expect(metadata["general.architecture"]).toBe("llama");
    expect(metadata["llama.block_count"]).toBe(2);
    expect(metadata["tokenizer.chat_template"]).toContain("<|im_start|>");
    expect((metadata["tokenizer.ggml.tokens"] as string[]).slice(3, 5)).toEqual(["<0x00>", "<0x01>"]);
    // Offsets are the running sum of 32-byte-padded sizes, in order: llama.cpp rejects anything else.
    let offset = 0;
    for (const t of tensorInfos) {
      expect(Number(t.offset)).toBe(offset);
      const type = t.dtype === 8 ? "Q8_0" : t.dtype === 1 ? "F16" : "F32";
      offset += Math.ceil(tensorBytes({ dims: t.shape.map(Number), type }) / 32) * 32;
    }
    expect(Number(tensorDataOffset) + offset).toBe(bytes);
  });

  it.each([
    "HuggingFaceTB__SmolLM2-135M-Instruct",
    "Qwen__Qwen3-1.7B",
    "google__gemma-3-1b-it",
    "ibm-granite__granite-3.0-1b-a400m-instruct",
    "Qwen__Qwen1.5-MoE-A2.7B-Chat",
  ])("lays out %s with the parameters its config has", async (name) => {
    const path = join(dir, `${name}.gguf`);
    const written = writeGgufFromConfig(path, config(name), "none");
    expect(statSync(path).size).toBe(written.dataOffset); // header only
    const { tensorInfos } = await gguf(path, { allowLocalFile: true });
    const params = tensorInfos.reduce((sum, t) => sum + t.shape.reduce((a, b) => a * Number(b), 1), 0);
    // Within 5 %: the estimator counts a few norms, biases and routers differently.
    expect(params / (estimateParams(config(name))?.total ?? 0)).toBeCloseTo(1, 1);
  });

  it("encodes halves", () => {
    expect(toHalf(1)).toBe(0x3c00);
    expect(toHalf(-2)).toBe(0xc000);
    expect(toHalf(0.5)).toBe(0x3800);
    expect(toHalf(1e-9)).toBe(0);
  });
});
