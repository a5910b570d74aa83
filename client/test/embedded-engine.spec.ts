/**
 * The embedded runtime against the real llama.cpp (node-llama-cpp's prebuilt CPU binary) with a
 * tiny GGUF written at test time: load, streamed chat, cancellation, counts and speed, JSON from a
 * grammar, embeddings, the loaded-model cache. One thread and small contexts keep it quick and
 * steady on a busy 2-core machine.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineSkipReason } from "../../test/helpers/embedded-engine.ts";
import { tinyModelInTempDir } from "../../test/helpers/gguf/tiny-model.ts";
import { CancelledError, EmbeddedUnavailableError, UnknownModelError } from "../src/errors/index.ts";
import { freeThreads } from "../src/runtimes/embedded/engine.ts";
import { EmbeddedRuntime } from "../src/runtimes/embedded/runtime.ts";

const skip = await engineSkipReason();
const FAST = { num_thread: 1, num_ctx: 512 };

describe.skipIf(skip !== undefined)("the embedded runtime on real llama.cpp", () => {
  let tiny: ReturnType<typeof tinyModelInTempDir>;
  let models: string;
  let runtime: EmbeddedRuntime;
  beforeAll(() => {
    tiny = tinyModelInTempDir();
    models = mkdtempSync(join(tmpdir(), "small-llm-models-"));
    runtime = new EmbeddedRuntime({ modelsDir: models, gpu: false });
  });
  afterAll(async () => {
    await runtime?.dispose();
    tiny?.remove();
    rmSync(models, { recursive: true, force: true });
  });

  it("streams an answer with its token counts, speed and timings", async () => {
    const chunks: string[] = [];
    const result = await runtime.chat(tiny.path, [{ role: "user", content: "hello" }], {
      system: "Be brief.",
      options: { ...FAST, num_predict: 16, temperature: 0 },
      onToken: (t) => chunks.push(t),
    });
    expect(result.runtime).toBe("embedded");
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join("")).toBe(result.text);
    expect(result.outputTokens).toBe(16);
    expect(result.doneReason).toBe("length");
    // ChatML around "Be brief." and "hello": the template's markers and the roles make it longer than the words.
    expect(result.promptTokens).toBeGreaterThan(15);
    expect(result.tokensPerSecond).toBeGreaterThan(0);
    expect(result.latencyMs).toBeLessThanOrEqual(result.totalMs);
    expect(result.loadMs).toBeGreaterThan(0);
  });

  it("keeps the model loaded: the next call loads nothing, and temperature 0 repeats itself", async () => {
    const ask = () => runtime.generate(tiny.path, "hello", { options: { ...FAST, num_predict: 8, temperature: 0 } });
    const first = await ask();
    const second = await ask();
    expect(second.loadMs).toBe(0);
    expect(second.text).toBe(first.text);
    const status = await runtime.status();
    expect(status.running.map((r) => r.name)).toEqual([tiny.path]);
  });

  it("says what it holds loaded (ps), and stop unloads it only when named", async () => {
    await runtime.generate(tiny.path, "hi", { options: { ...FAST, num_predict: 1 }, keepAlive: -1 });
    const [held] = await runtime.loaded();
    expect(held).toMatchObject({ name: tiny.path, vramBytes: 0 });
    expect(held?.sizeBytes).toBeGreaterThan(0);
    // Kept until unloaded: far ahead, as Ollama reports keep_alive < 0.
    expect(Date.parse(held?.expiresAt ?? "") - Date.now()).toBeGreaterThan(100 * 365 * 24 * 3600_000);
    expect(await runtime.unload(join(models, "other.gguf"))).toBe(false);
    expect(await runtime.unload(tiny.path)).toBe(true);
    expect(await runtime.loaded()).toEqual([]);
    expect(await runtime.unload(tiny.path)).toBe(false);
  });

  it("is cancelled mid-answer by an AbortSignal", async () => {
    const controller = new AbortController();
    let seen = 0;
    const run = runtime.generate(tiny.path, "hello", {
      options: { ...FAST, num_predict: 400, temperature: 1, seed: 3 },
      signal: controller.signal,
      onToken: () => {
        if (++seen === 3) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(seen).toBeLessThan(20);
    // The runtime is usable afterwards.
    expect(
      (await runtime.generate(tiny.path, "hi", { options: { ...FAST, num_predict: 2, temperature: 0 } })).outputTokens,
    ).toBe(2);
  });

  it("stops at a stop sequence and lists the options it did not apply", async () => {
    const free = await runtime.generate(tiny.path, "hello", { options: { ...FAST, num_predict: 24, temperature: 0 } });
    const stopAt = free.text.slice(4, 6);
    const stopped = await runtime.generate(tiny.path, "hello", {
      options: { ...FAST, num_predict: 24, temperature: 0, stop: [stopAt], mirostat: 2, num_gpu: 1 },
    });
    expect(stopped.text.length).toBeLessThan(free.text.length);
    expect(stopped.doneReason).toBe("stop");
    expect(stopped.droppedOptions).toEqual(["mirostat", "num_gpu"]);
  });

  it("answers JSON that follows a schema, forced by a grammar", async () => {
    const schema = {
      type: "object",
      properties: { ok: { type: "boolean" }, size: { enum: ["small", "large"] }, n: { enum: [1, 2, 3] } },
      required: ["ok", "size", "n"],
    };
    for (const seed of [1, 2]) {
      const result = await runtime.generate(tiny.path, "Describe it as JSON.", {
        format: schema,
        options: { ...FAST, num_predict: 120, temperature: 0.8, seed },
      });
      expect(result.doneReason).toBe("stop");
      const parsed = JSON.parse(result.text);
      expect(typeof parsed.ok).toBe("boolean");
      expect(["small", "large"]).toContain(parsed.size);
      expect([1, 2, 3]).toContain(parsed.n);
    }
  });

  it("embeds text as unit vectors of the model's width", async () => {
    const result = await runtime.embed(tiny.path, ["hello", "the hello", "hello"], { options: FAST });
    expect(result.embeddings).toHaveLength(3);
    for (const v of result.embeddings) {
      expect(v).toHaveLength(64);
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    }
    expect(result.embeddings[2]).toEqual(result.embeddings[0]);
    expect(result.embeddings[1]).not.toEqual(result.embeddings[0]);
    expect(result.promptTokens).toBeGreaterThan(3);
    // Chat still works after the embedding context took the model's memory.
    expect(
      (await runtime.generate(tiny.path, "hi", { options: { ...FAST, num_predict: 2, temperature: 0 } })).outputTokens,
    ).toBe(2);
  });

  it("unloads an idle model when its keep_alive runs out", async () => {
    await runtime.generate(tiny.path, "hi", { options: { ...FAST, num_predict: 1 }, keepAlive: "1s" });
    const loaded = (await runtime.status()).running[0];
    expect(loaded?.name).toBe(tiny.path);
    expect(Date.parse(loaded?.expiresAt ?? "")).toBeGreaterThan(Date.now());
    await new Promise((r) => setTimeout(r, 1500));
    expect((await runtime.status()).running).toEqual([]);
  });

  it("unloads after keep_alive 0, and reports the engine it runs on", async () => {
    await runtime.generate(tiny.path, "hi", { options: { ...FAST, num_predict: 1 }, keepAlive: 0 });
    const status = await runtime.status();
    expect(status.running).toEqual([]);
    expect(status.reachable).toBe(true);
    expect(status.engine).toMatchObject({ available: true, build: "prebuilt", gpu: false });
    // Physical cores as llama.cpp counts them, never more than the logical CPUs.
    expect(status.engine.threads).toBeGreaterThanOrEqual(1);
    expect(status.engine.threads).toBeLessThanOrEqual(availableParallelism());
    expect(status.binary).toMatch(/^node-llama-cpp \d+\.\d+\.\d+ \(prebuilt, .+llama\.cpp@/);
    expect(status.modelsDir).toBe(models);
  });

  it("refuses tools for a model whose template has no tool calling (a chain moves on), unless tool_choice is none", async () => {
    const tools = [{ name: "get_weather", description: "the weather", parameters: { type: "object" } }];
    const chat = (toolChoice?: "none") =>
      runtime.chat(tiny.path, [{ role: "user", content: "hi" }], {
        options: { ...FAST, num_predict: 2, temperature: 0 },
        tools,
        ...(toolChoice ? { toolChoice } : {}),
      });
    await expect(chat()).rejects.toMatchObject({ code: "unsupported", message: /does not support tools/ });
    expect((await chat("none")).outputTokens).toBe(2);
  });

  describe("with a model whose template calls tools (Qwen 2.5's)", () => {
    let caller: ReturnType<typeof tinyModelInTempDir>;
    beforeAll(() => {
      caller = tinyModelInTempDir({ toolCaller: true });
    });
    afterAll(() => caller?.remove());
    const WEATHER = {
      name: "get_weather",
      description: "the weather in a city",
      parameters: {
        type: "object",
        properties: { unit: { type: "string", enum: ["c", "f"] }, rain: { type: "boolean" } },
        required: ["unit", "rain"],
      },
    };
    // Qwen's system turn with tools is about 600 characters, a token each in the tiny vocabulary.
    const OPTIONS = { ...FAST, num_ctx: 2048, num_predict: 60, temperature: 0 };

    it("returns the call the model makes, its arguments valid JSON of the tool's schema, and streams no call text", async () => {
      const chunks: string[] = [];
      const result = await runtime.chat(caller.path, [{ role: "user", content: "weather in Paris?" }], {
        options: OPTIONS,
        tools: [WEATHER, { name: "other", description: "never called here" }],
        onToken: (t) => chunks.push(t),
      });
      expect(result.toolCalls?.length).toBeGreaterThanOrEqual(1);
      const [call] = result.toolCalls ?? [];
      expect(call?.id).toMatch(/^call_[a-z0-9]{24}$/);
      expect(call?.name).toBe("get_weather");
      const args = JSON.parse(call?.arguments ?? "");
      expect(["c", "f"]).toContain(args.unit);
      expect(typeof args.rain).toBe("boolean");
      expect(chunks.join("")).not.toContain("<tool_call>");
      expect(result.text).not.toContain("<tool_call>");
      expect(result.doneReason).toBe("stop");
    });

    it("renders the tools, the calls and their results through the model's own template", async () => {
      const question = { role: "user" as const, content: "weather in Paris?" };
      const plain = await runtime.chat(caller.path, [question], { options: { ...OPTIONS, num_predict: 1 } });
      const offered = await runtime.chat(caller.path, [question], { options: OPTIONS, tools: [WEATHER] });
      // The tools' JSON is in the prompt: the template lists them in its system turn.
      expect(offered.promptTokens ?? 0).toBeGreaterThan((plain.promptTokens ?? 0) + JSON.stringify(WEATHER).length / 2);
      const [call] = offered.toolCalls ?? [];
      if (!call) throw new Error("no call");
      const answered = await runtime.chat(
        caller.path,
        [
          question,
          { role: "assistant", content: "", toolCalls: [call] },
          { role: "tool", content: "18 degrees and sunny ".repeat(20), toolCallId: call.id },
        ],
        { options: OPTIONS, tools: [WEATHER] },
      );
      // The result went in (its text is in the prompt), and the model's turn goes on after it.
      expect(answered.promptTokens ?? 0).toBeGreaterThan((offered.promptTokens ?? 0) + 200);
      expect(answered.toolCalls?.[0]?.name).toBe("get_weather");
    });

    it("says when the system turn with the tools does not fit the context, and how to make room", async () => {
      await expect(
        runtime.chat(caller.path, [{ role: "user", content: "hi" }], {
          options: { ...OPTIONS, num_ctx: 256 },
          tools: [WEATHER],
        }),
      ).rejects.toMatchObject({ code: "context-too-long", message: /context of 256 tokens; raise num_ctx/ });
    });

    it("without tools its answer is plain text, and a named tool_choice offers that tool alone", async () => {
      const plain = await runtime.chat(caller.path, [{ role: "user", content: "hi" }], {
        options: { ...OPTIONS, num_predict: 3 },
      });
      expect(plain.toolCalls).toBeUndefined();
      expect(plain.text).toContain("<tool_call>");
      const named = await runtime.chat(caller.path, [{ role: "user", content: "hi" }], {
        options: OPTIONS,
        tools: [{ name: "other", description: "x" }, WEATHER],
        toolChoice: { name: "get_weather" },
      });
      expect(new Set(named.toolCalls?.map((c) => c.name))).toEqual(new Set(["get_weather"]));
    });
  });

  it("says what is wrong with a path that is not a model", async () => {
    await expect(runtime.generate(join(models, "missing.gguf"), "hi")).rejects.toBeInstanceOf(UnknownModelError);
    await expect(runtime.generate(import.meta.filename, "hi")).rejects.toThrow(/not a GGUF file/);
    // A corrupt header claiming 10¹⁸ tensors: node-llama-cpp's reader would allocate until out of memory.
    const corrupt = join(models, "corrupt.gguf");
    writeFileSync(
      corrupt,
      Buffer.concat([Buffer.from("GGUF"), Buffer.from([3, 0, 0, 0]), Buffer.from("garbage!garbage!")]),
    );
    await expect(runtime.generate(corrupt, "hi")).rejects.toThrow(/header is corrupt \(it claims \d+ tensors/);
    writeFileSync(corrupt, Buffer.from("GGUF\x03\x00\x00\x00"));
    await expect(runtime.generate(corrupt, "hi")).rejects.toThrow(/cut short/);
  });
});

describe("without node-llama-cpp", () => {
  it("says how to add it, and status reports it unavailable instead of failing", async () => {
    const empty = mkdtempSync(join(tmpdir(), "small-llm-models-"));
    const runtime = new EmbeddedRuntime({ specifier: "node-llama-cpp-not-installed", modelsDir: empty });
    const error = await runtime.ensureRunning().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbeddedUnavailableError);
    expect((error as EmbeddedUnavailableError).code).toBe("embedded-unavailable");
    expect((error as Error).message).toMatch(/npm install node-llama-cpp@\^3\.21\.1/);
    const status = await runtime.status();
    expect(status.reachable).toBe(false);
    expect(status.engine.available).toBe(false);
    expect(status.engine.reason).toMatch(/not installed/);
    rmSync(empty, { recursive: true });
  });
});

describe("threads when num_thread is not set", () => {
  /** Two samples of two cores' times: each core `busy` of the way through the tenth of a second. */
  const sampler = (busy: [number, number]) => {
    let call = 0;
    return () => {
      const t = call++ * 100;
      return busy.map((b) => ({ idle: t * (1 - b), total: t }));
    };
  };
  it("leaves out the cores other work keeps busy, and never goes below one", async () => {
    expect(await freeThreads(2, sampler([0.05, 0.1]), 1)).toBe(2);
    expect(await freeThreads(2, sampler([1, 0.1]), 1)).toBe(1);
    expect(await freeThreads(2, sampler([1, 1]), 1)).toBe(1);
    expect(await freeThreads(8, sampler([1, 0.9]), 1)).toBe(6);
  });
});
