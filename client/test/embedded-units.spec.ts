/** The embedded runtime's pure parts: refs, quant labels in file names, option mapping, keep_alive. */
import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UnknownModelError } from "../src/errors/index.ts";
import { keepAliveMs, mapOptions } from "../src/runtimes/embedded/options.ts";
import { parseRef, quantOf, shardsOf } from "../src/runtimes/embedded/refs.ts";

describe("parseRef", () => {
  it.each([
    ["./tiny.gguf", { kind: "path", path: join("/work", "tiny.gguf") }],
    ["/models/a.gguf", { kind: "path", path: "/models/a.gguf" }],
    ["~/m/a.gguf", { kind: "path", path: join(homedir(), "m/a.gguf") }],
    ["file:///models/a.gguf", { kind: "path", path: "/models/a.gguf" }],
    ["models/a.gguf", { kind: "path", path: join("/work", "models/a.gguf") }],
    [
      "hf.co/bartowski/Qwen2.5-0.5B-Instruct-GGUF:q4_k_m",
      { kind: "hub", repo: "bartowski/Qwen2.5-0.5B-Instruct-GGUF", quant: "Q4_K_M" },
    ],
    ["huggingface.co/o/r:sub/dir/m-Q8_0.gguf", { kind: "hub", repo: "o/r", file: "sub/dir/m-Q8_0.gguf" }],
    ["hf:o/r", { kind: "hub", repo: "o/r", quant: "Q4_K_M" }],
    ["Qwen2.5-0.5B-Instruct-Q4_K_M.gguf", { kind: "name", name: "Qwen2.5-0.5B-Instruct-Q4_K_M.gguf" }],
  ])("%s", (ref, expected) => {
    expect(parseRef(ref, "/work")).toEqual(expected);
  });

  it("rejects what is neither, and paths that climb out of a repo", () => {
    expect(() => parseRef("llama3.2")).toThrow(UnknownModelError);
    expect(() => parseRef("hf.co/o/r:../../etc/x.gguf")).toThrow(/plain path/);
  });
});

describe("quantOf and shardsOf", () => {
  it.each([
    ["Qwen2.5-0.5B-Instruct-Q4_K_M.gguf", "Q4_K_M"],
    ["model.q8_0.gguf", "Q8_0"],
    ["Llama-3.2-1B-Instruct-IQ4_XS.gguf", "IQ4_XS"],
    ["gemma-3-1b-it-UD-Q4_K_XL.gguf", "UD-Q4_K_XL"],
    ["phi-f16.gguf", "F16"],
    ["Q8_0/big-Q8_0-00001-of-00003.gguf", "Q8_0"],
    ["tiny.gguf", undefined],
  ])("%s → %s", (file, quant) => {
    expect(quantOf(file)).toBe(quant);
  });

  it("names every shard of a split file", () => {
    expect(shardsOf("d/m-00001-of-00003.gguf")).toEqual([
      "d/m-00001-of-00003.gguf",
      "d/m-00002-of-00003.gguf",
      "d/m-00003-of-00003.gguf",
    ]);
    expect(shardsOf("m.gguf")).toEqual(["m.gguf"]);
  });
});

describe("mapOptions", () => {
  it("maps Ollama's names, defaults as Ollama samples, and lists what it cannot apply", () => {
    const m = mapOptions(
      {
        num_ctx: 8192,
        num_thread: 2,
        temperature: 0,
        top_k: 5,
        seed: 4,
        stop: ["\n\n"],
        num_predict: 32,
        mirostat: 1,
        num_gpu: 99,
      },
      4096,
    );
    expect(m.context).toEqual({ contextSize: 4096, threads: 2 });
    expect(m.prompt).toMatchObject({
      temperature: 0,
      topK: 5,
      topP: 0.9,
      seed: 4,
      maxTokens: 32,
      customStopTriggers: ["\n\n"],
    });
    expect(m.dropped).toEqual(["mirostat", "num_gpu"]);
    expect(mapOptions({}).context).toEqual({ contextSize: 4096 });
    expect(mapOptions({ num_predict: -1, num_thread: 0 }).prompt.maxTokens).toBeUndefined();
    expect(mapOptions({ num_thread: 0 }).context.threads).toBeUndefined();
  });

  it("reads keep_alive as Ollama does", () => {
    expect(keepAliveMs(undefined)).toBe(300_000);
    expect(keepAliveMs(0)).toBe(0);
    expect(keepAliveMs(30)).toBe(30_000);
    expect(keepAliveMs("10m")).toBe(600_000);
    expect(keepAliveMs("-1")).toBe(Number.POSITIVE_INFINITY);
    expect(keepAliveMs("soon", 1000)).toBe(1000);
  });
});
