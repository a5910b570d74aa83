/** delegate() against the Ollama emulator: derived chains, fallback, retries, cooldowns, answer checks, context sizing, pulls. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { agentIndex, agentRegistry, BASE, CODER, LARGE, machine, SMALL } from "../../test/helpers/agent-fixtures.ts";
import { type OllamaEmulator, startOllamaEmulator } from "../../test/ollama-emulator/server.ts";
import { type DelegateOptions, delegate, resetCooldowns } from "../src/agent/delegate.ts";
import { InvalidOptionError, UnknownTaskError } from "../src/errors/index.ts";
import { OllamaDriver } from "../src/runtimes/ollama/driver.ts";

const index = agentIndex();
/** A long prompt that is not itself a loop (the emulator echoes prompts). */
const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(" ");
let emulator: OllamaEmulator;
let driver: OllamaDriver;

async function installAll(...refs: string[]) {
  for (const ref of refs) await driver.install(ref);
}

const base = (): DelegateOptions => ({
  runtimes: [driver],
  index,
  hardware: machine,
  config: { retryDelayMs: 1 },
  metrics: false,
});

beforeEach(async () => {
  resetCooldowns();
  emulator = await startOllamaEmulator({ registry: agentRegistry(), lineDelayMs: 0 });
  driver = new OllamaDriver({ host: emulator.url });
});
afterEach(async () => {
  await emulator.close();
});

describe("derived chains", () => {
  it("coding tries the code model first, then the largest chat model; base models never", async () => {
    await installAll(SMALL, LARGE, CODER, BASE);
    const r = await delegate("write fizzbuzz", { ...base(), task: "coding" });
    expect(r.success).toBe(true);
    expect(r.model).toBe(CODER);
    expect(r.text).toContain("write fizzbuzz");
    expect(r.indexId).toBe("Qwen/Qwen2.5-Coder-1.5B-Instruct");
    expect(r.attempts).toEqual([expect.objectContaining({ model: CODER, outcome: "ok" })]);
    expect(r.ttftMs).toBeGreaterThanOrEqual(0);
    expect(r.tokensPerSecond).toBeCloseTo(100, 5); // eval_count / eval_duration as the emulator reports
    expect(r.outputTokens).toBeGreaterThan(0);
  });

  it("quick takes the smallest chat model; analysis the largest", async () => {
    await installAll(SMALL, LARGE, BASE);
    expect((await delegate("hi", { ...base(), task: "quick" })).model).toBe(SMALL);
    expect((await delegate("hi", { ...base(), task: "analysis" })).model).toBe(LARGE);
    // Measured speed beats size for quick.
    const measured = new Map([
      [SMALL, 20],
      [LARGE, 90],
    ]);
    expect((await delegate("hi", { ...base(), task: "quick", measured })).model).toBe(LARGE);
  });

  it("a per-call chain wins over the config's pinned chain", async () => {
    await installAll(SMALL, LARGE);
    const config = { retryDelayMs: 1, tasks: { quick: { chain: [LARGE] } } };
    expect((await delegate("hi", { ...base(), config })).model).toBe(LARGE);
    expect((await delegate("hi", { ...base(), config, chain: [SMALL] })).model).toBe(SMALL);
    expect((await delegate("hi", { ...base(), config, model: "Qwen/Qwen2.5-0.5B-Instruct" })).model).toBe(SMALL);
  });
});

describe("faults", () => {
  it("the first model erroring mid-stream falls through to the second", async () => {
    await installAll(SMALL, LARGE);
    emulator.faults.push({ path: "/api/chat", model: LARGE, times: 1, kind: "error-line", afterLines: 2 });
    const r = await delegate("tell me", { ...base(), task: "analysis" });
    expect(r.success).toBe(true);
    expect(r.model).toBe(SMALL);
    expect(r.attempts.map((a) => [a.model, a.outcome])).toEqual([
      [LARGE, "ollama-error"],
      [SMALL, "ok"],
    ]);
    expect(r.attempts[0]?.detail).toContain("llama runner process has terminated");
  });

  it("a server busy twice is retried with backoff, then answers", async () => {
    await installAll(SMALL);
    emulator.faults.push({ path: "/api/chat", model: SMALL, times: 2, kind: "busy" });
    const r = await delegate("hi", base());
    expect(r.success).toBe(true);
    expect(r.attempts.map((a) => a.outcome)).toEqual(["busy", "busy", "ok"]);
    expect(r.attempts[0]?.detail).toContain("server busy");
  });

  it("an empty answer moves to the next model; with no other model the call fails as bad-answer", async () => {
    await installAll(SMALL, LARGE);
    emulator.faults.push({ path: "/api/chat", model: SMALL, times: 2, kind: "empty" });
    const r = await delegate("hi", base());
    expect(r.model).toBe(LARGE);
    expect(r.attempts[0]).toMatchObject({
      model: SMALL,
      outcome: "bad-answer",
      detail: "the model returned an empty answer",
    });
    const alone = await delegate("hi", { ...base(), model: SMALL });
    expect(alone.success).toBe(false);
    expect(alone.error?.code).toBe("bad-answer");
    expect(alone.error?.message).toContain("empty answer");
  });

  it("refusals, repetition loops and JSON not matching the format are bad answers", async () => {
    await installAll(SMALL, LARGE);
    emulator.faults.push(
      { path: "/api/chat", model: SMALL, times: 1, kind: "refusal" },
      { path: "/api/chat", model: SMALL, times: 1, kind: "repeat" },
    );
    const refused = await delegate("hi", base());
    expect(refused.attempts[0]?.detail).toMatch(/refused/);
    const looped = await delegate("hi", base());
    expect(looped.attempts[0]?.detail).toMatch(/stuck repeating "and then "/);
    const schema = { type: "object", properties: { city: { type: "string" } }, required: ["city"] };
    const good = await delegate("where?", { ...base(), format: schema });
    expect(JSON.parse(good.text ?? "")).toEqual({ city: `Hello from ${SMALL}` });
    emulator.faults.push({ path: "/api/chat", model: SMALL, times: 1, kind: "bad-json" });
    const bad = await delegate("where?", { ...base(), format: schema });
    expect(bad.model).toBe(LARGE);
    expect(bad.attempts[0]).toMatchObject({ outcome: "bad-answer" });
    expect(bad.attempts[0]?.detail).toContain("not valid JSON");
  });

  it("every model of the chain missing: no-model, with the install command", async () => {
    const r = await delegate("hi", { ...base(), chain: [SMALL, LARGE] });
    expect(r.success).toBe(false);
    expect(r.error?.code).toBe("no-model");
    expect(r.error?.message).toContain("small-llm install Qwen/Qwen2.5-0.5B-Instruct");
    expect(r.attempts.map((a) => a.outcome)).toEqual(["model-not-installed", "model-not-installed"]);
    // Nothing installed at all, derived chain: it names what to install, and pulls only when asked.
    const derived = await delegate("hi", { ...base(), task: "coding" });
    expect(derived.error?.code).toBe("no-model");
    expect(derived.error?.message).toContain("small-llm install Qwen/Qwen2.5-Coder-1.5B-Instruct");
    expect(emulator.installed()).toEqual([]);
  });

  it("pull: true installs the chain's first model, and says so", async () => {
    const pulled: string[] = [];
    const r = await delegate("hi", { ...base(), task: "coding", pull: true, onPull: (ref) => pulled.push(ref) });
    expect(r.success).toBe(true);
    expect(pulled).toEqual([CODER]);
    expect(r.pulled).toBe(CODER);
    expect(r.notes.join("\n")).toContain(`pulled ${CODER}`);
    expect(r.attempts.map((a) => a.outcome)).toEqual(["pulled", "ok"]);
  });

  it("Ollama down and no other runtime: the runtime's error, no throw", async () => {
    await emulator.close();
    const r = await delegate("hi", base());
    expect(r.success).toBe(false);
    expect(["ollama-server-down", "ollama-not-installed"]).toContain(r.error?.code);
    expect(r.error?.message).toMatch(/OLLAMA_HOST|ollama serve|small-llm setup/);
    emulator = await startOllamaEmulator({ registry: agentRegistry(), lineDelayMs: 0 });
  });

  it("a model that keeps failing with 500 is cooled down for the next call", async () => {
    await installAll(SMALL, LARGE);
    emulator.faults.push({ path: "/api/chat", model: SMALL, times: 3, kind: "500" });
    const first = await delegate("hi", base());
    expect(first.model).toBe(LARGE);
    expect(first.attempts.map((a) => a.outcome)).toEqual(["server-error", "server-error", "server-error", "ok"]);
    const second = await delegate("hi", base());
    expect(second.attempts.map((a) => [a.model, a.outcome])).toEqual([
      [SMALL, "cooling-down"],
      [LARGE, "ok"],
    ]);
    // Alone in its chain, a cooling model is still tried rather than the call failing.
    const alone = await delegate("hi", { ...base(), chain: [SMALL] });
    expect(alone.attempts.map((a) => a.outcome)).toEqual(["cooling-down", "ok"]);
  });

  it("a timeout moves on to the next model", async () => {
    await installAll(SMALL, LARGE);
    emulator.faults.push({ path: "/api/chat", model: SMALL, times: 1, kind: "slow", delayMs: 8000 });
    // Generous: the second model must answer within it even on a loaded machine.
    const r = await delegate("hi", { ...base(), timeoutMs: 2000 });
    expect(r.model).toBe(LARGE);
    expect(r.attempts[0]).toMatchObject({ model: SMALL, outcome: "timeout" });
  });
});

describe("misuse throws", () => {
  it("an unknown task names the nearest one", async () => {
    await expect(delegate("hi", { ...base(), task: "codeing" })).rejects.toThrow(UnknownTaskError);
    await expect(delegate("hi", { ...base(), task: "codeing" })).rejects.toThrow(/did you mean "coding"/);
  });
  it("a misspelt option names the right one; a wrong type says the expected type", async () => {
    await expect(delegate("hi", { ...base(), options: { tempurature: 0.2 } })).rejects.toThrow(InvalidOptionError);
    await expect(delegate("hi", { ...base(), options: { tempurature: 0.2 } })).rejects.toThrow(
      /did you mean "temperature"/,
    );
    await expect(delegate("hi", { ...base(), options: { num_ctx: "big" } })).rejects.toThrow(
      /"num_ctx" must be an integer/,
    );
    await expect(delegate("", base())).rejects.toThrow(/prompt is empty/);
  });
});

describe("no silent truncation", () => {
  it("raises num_ctx for a long prompt, so the runtime keeps all of it", async () => {
    await installAll(SMALL);
    const prompt = words(6000);
    const r = await delegate(prompt, base());
    expect(r.numCtx).toBeGreaterThan(4096);
    const body = emulator.requests.filter((q) => q.path === "/api/chat").pop()?.body as {
      options: { num_ctx: number };
    };
    expect(body.options.num_ctx).toBe(r.numCtx);
    expect(r.promptTokens).toBe(6000); // the emulator cuts to num_ctx like Ollama: nothing was cut
    expect(r.truncated).toBeUndefined();
  });

  it("says the prompt was cut when the model's maximum is too small", async () => {
    await installAll(SMALL);
    const small = agentIndex();
    const entry = small.models.find((m) => m.install[0]?.ref === SMALL);
    if (entry) entry.contextLength = 8192;
    const r = await delegate(words(12000), { ...base(), index: small, chain: [SMALL] });
    expect(r.success).toBe(true);
    expect(r.numCtx).toBe(8192);
    expect(r.truncated).toMatch(/runs at most 8192 here: Ollama will cut the start of the prompt/);
    // Derived: a model whose context is too small is still tried (last), and the cut is reported.
    const derived = await delegate(words(12000), { ...base(), index: small });
    expect(derived.model).toBe(SMALL);
    expect(derived.truncated).toMatch(/Ollama will cut the start of the prompt/);
  });
});

describe("metrics", () => {
  it("appends one line per call, without the prompt or answer", async () => {
    await installAll(SMALL);
    const state = mkdtempSync(join(tmpdir(), "sli-agent-state-"));
    process.env.SMALL_LLM_STATE_DIR = state;
    try {
      await delegate("a secret prompt", { ...base(), metrics: true, task: "quick" });
      const lines = readFileSync(join(state, "metrics", "usage.jsonl"), "utf8")
        .trim()
        .split("\n");
      expect(lines).toHaveLength(1);
      const record = JSON.parse(lines[0] as string);
      expect(record).toMatchObject({
        kind: "delegate",
        task: "quick",
        model: SMALL,
        runtime: "ollama",
        side: "local",
        success: true,
      });
      expect(lines[0]).not.toContain("secret");
    } finally {
      delete process.env.SMALL_LLM_STATE_DIR;
    }
  });
});
