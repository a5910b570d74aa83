/**
 * What Ollama users reach for, against the emulator: `ps` and `stop`, `run --format` and
 * `run --think`, every Ollama option (retired ones with one warning line), options per model and
 * task in config.json (and `applyOptions: false`), `small-llm options`, and Ctrl-C during an answer.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliInProcess } from "../../test/helpers/cli-in-process.ts";
import { type IndexServer, startIndexServer } from "../../test/helpers/index-server.ts";
import { sampleIndex } from "../../test/helpers/sample-index.ts";
import { ggufModel, type OllamaEmulator, startOllamaEmulator } from "../../test/ollama-emulator/server.ts";
import { OPTION_NAMES } from "../src/runtimes/ollama/options.ts";

const CLI = new URL("../dist/cli.js", import.meta.url).pathname;
const QWEN = "hf.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M";
const QWEN_ID = "Qwen/Qwen2.5-0.5B-Instruct";
const THINKER = "qwen3:0.6b";
const fresh = () => mkdtempSync(join(tmpdir(), "sli-everyday-"));
const emptyPath = fresh();
let emulator: OllamaEmulator;
let indexServer: IndexServer;

beforeAll(async () => {
  emulator = await startOllamaEmulator({
    registry: [ggufModel(QWEN, 300_000_000), ggufModel(THINKER, 500_000_000, { thinking: true })],
    chunkBytes: 1e9,
    lineDelayMs: 0,
    vramShare: 0.25,
  });
  indexServer = await startIndexServer(JSON.stringify(sampleIndex()));
});
afterAll(async () => {
  await Promise.all([emulator.close(), indexServer.close()]);
});

function cli(args: string[], env: Record<string, string> = {}, input?: string) {
  return cliInProcess(args, {
    env: {
      SMALL_LLM_INDEX_URL: indexServer.url,
      SMALL_LLM_CACHE_DIR: fresh(),
      SMALL_LLM_STATE_DIR: fresh(),
      SMALL_LLM_CONFIG_DIR: fresh(),
      OLLAMA_HOST: emulator.hostPort,
      PATH: emptyPath,
      ...env,
    },
    ...(input !== undefined ? { input } : {}),
  });
}

const lastBody = (path: string) =>
  emulator.requests.filter((r) => r.path === path).at(-1)?.body as Record<string, unknown> | undefined;

describe("ps and stop", () => {
  it("ps lists what is loaded: name, size, processor split, context, until when; stop unloads it", async () => {
    expect((await cli(["run", QWEN_ID, "hi"])).code).toBe(0);
    const ps = await cli(["ps"]);
    expect(ps.code, ps.stderr).toBe(0);
    const [header, row] = ps.stdout.trim().split("\n");
    expect(header).toMatch(/^NAME\s+SIZE\s+PROCESSOR\s+CONTEXT\s+UNTIL$/);
    expect(row).toMatch(
      new RegExp(
        `^${QWEN.replace(/[.]/g, "\\.")}\\s+300 MB\\s+75%/25% CPU/GPU\\s+4096\\s+in \\d+ min \\(\\d\\d:\\d\\d\\)$`,
      ),
    );
    const json = JSON.parse((await cli(["ps", "--json"])).stdout);
    expect(json).toEqual([
      expect.objectContaining({
        name: QWEN,
        processor: "75%/25% CPU/GPU",
        contextLength: 4096,
        forever: false,
        indexId: QWEN_ID,
      }),
    ]);

    const stop = await cli(["stop", QWEN_ID]);
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout.trim()).toBe(`stopped ${QWEN}: unloaded from memory`);
    expect(lastBody("/api/generate")).toEqual({ model: QWEN, keep_alive: 0, stream: false });
    expect((await cli(["ps"])).stdout.trim()).toBe("no models loaded in memory (`small-llm run` or `chat` loads one)");
    // Stopping it again, or one that is not even installed: nothing to do, said so (never "install it").
    expect((await cli(["stop", QWEN])).stdout.trim()).toBe(
      `${QWEN} was not loaded; nothing to stop (\`small-llm ps\` lists what is)`,
    );
    const missing = await cli(["stop", "nope-model"]);
    expect(missing.code).toBe(0);
    expect(missing.stdout).toContain("nope-model was not loaded; nothing to stop");
    expect(missing.stderr).not.toContain("install");
    const rm = await cli(["rm", "nope-model"]);
    expect(rm.code).toBe(4);
    expect(rm.stderr).toContain(
      "nope-model is not installed; nothing to remove (`small-llm list` shows what is installed)",
    );
    // A mistyped index id is not a model to install: "did you mean", as install and run say.
    const typo = await cli(["stop", "Qwen/Qwen2.5-0.5B"]);
    expect(typo.code).toBe(4);
    expect(typo.stderr).toContain(`not in the index. Did you mean ${QWEN_ID}?`);
  });

  it("a model kept loaded for ever (keep_alive -1) says so", async () => {
    await fetch(`${emulator.url}/api/generate`, {
      method: "POST",
      body: JSON.stringify({ model: QWEN, keep_alive: -1 }),
    });
    const ps = await cli(["ps"]);
    expect(ps.stdout).toMatch(/forever \(until stopped\)/);
    await cli(["stop", QWEN]);
  });
});

describe("run --format and --think", () => {
  it("--format json and --format schema.json ask Ollama for JSON and print it", async () => {
    const json = await cli(["run", QWEN_ID, "--format", "json", "a city"]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ answer: `Hello from ${QWEN}` });
    expect(lastBody("/api/generate")?.format).toBe("json");
    const dir = fresh();
    const schema = { type: "object", properties: { city: { type: "string" }, people: { type: "integer" } } };
    writeFileSync(join(dir, "city.json"), JSON.stringify(schema));
    const typed = await cli(["run", QWEN_ID, "--format", join(dir, "city.json"), "a city"]);
    expect(JSON.parse(typed.stdout)).toEqual({ city: `Hello from ${QWEN}`, people: 1 });
    expect(lastBody("/api/generate")?.format).toEqual(schema);
    const bad = await cli(["run", QWEN_ID, "--format", "nope.json", "x"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format takes json, a JSON Schema file or inline JSON; cannot read "nope.json"');
  });

  it("--think streams the thinking on stderr and the answer alone on stdout; a level is passed on", async () => {
    const r = await cli(["run", THINKER, "--think", "why is the sky blue?"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(`Hello from ${THINKER}. You said: why is the sky blue?`);
    expect(r.stderr).toContain("Thinking…\nThinking about: why is the sky blue? \n…done thinking.");
    expect(lastBody("/api/generate")).toMatchObject({ think: true, prompt: "why is the sky blue?" });
    await cli(["run", THINKER, "--think", "high", "hi"]);
    expect(lastBody("/api/generate")?.think).toBe("high");
    const json = JSON.parse((await cli(["run", THINKER, "--think", "--json", "hi"])).stdout);
    expect(json.thinking).toBe("Thinking about: hi ");
  });

  it("ask answers at once unless --think; with it the thoughts go to stderr", async () => {
    const plain = await cli(["ask", "--model", THINKER, "why?"]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(lastBody("/api/chat")).toMatchObject({ think: false });
    expect(plain.stderr).not.toContain("Thinking…");
    const thought = await cli(["ask", "--model", THINKER, "--think", "why?"]);
    expect(thought.code, thought.stderr).toBe(0);
    expect(lastBody("/api/chat")).toMatchObject({ think: true });
    expect(thought.stdout.trim()).toBe(`Hello from ${THINKER}. You said: why?`);
    // A command without --think names the option as typed.
    const list = await cli(["list", "--think"]);
    expect(list.code).toBe(2);
    expect(list.stderr).toContain("unknown option '--think'");
  });

  it("--think on a model that does not think says so and what to do (exit 1)", async () => {
    const r = await cli(["run", QWEN_ID, "--think", "hi"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${QWEN} does not think before answering; run it without --think`);
  });
});

describe("every Ollama option", () => {
  it("all 27 options of the seed are accepted; retired ones cost one warning line, not an error", async () => {
    const seed =
      "num_keep seed num_predict top_k top_p min_p typical_p repeat_last_n temperature repeat_penalty presence_penalty frequency_penalty mirostat mirostat_tau mirostat_eta penalize_newline stop numa num_ctx num_batch num_gpu main_gpu low_vram vocab_only use_mmap use_mlock num_thread".split(
        " ",
      );
    expect(seed).toHaveLength(27);
    for (const name of seed) expect(OPTION_NAMES).toContain(name);
    const r = await cli([
      "run",
      QWEN_ID,
      "--option",
      "mirostat=2",
      "--option",
      "numa=true",
      "--option",
      "temperature=0.1",
      "hi",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const warnings = r.stderr.split("\n").filter((l) => l.startsWith("warning:") && !l.includes("fixture"));
    expect(warnings).toEqual([
      "warning: current Ollama ignores mirostat, numa (earlier releases read them); sent anyway",
    ]);
    expect(lastBody("/api/generate")?.options).toEqual({ mirostat: 2, numa: true, temperature: 0.1 });
    const typo = await cli(["run", QWEN_ID, "--option", "tempurature=1", "hi"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown Ollama option "tempurature" — did you mean "temperature"?');
  });

  it("`small-llm options` lists each with type, range, default and the sentence the errors use", async () => {
    const r = await cli(["options"]);
    expect(r.code).toBe(0);
    for (const name of OPTION_NAMES) expect(r.stdout).toMatch(new RegExp(`^${name} `, "m"));
    expect(r.stdout).toMatch(/^top_p\s+number, 0–1, default 0\.9\n\s+Nucleus sampling: .*$/m);
    expect(r.stdout).toMatch(/^mirostat\s+integer, 0–2, default 0, retired: current Ollama ignores it/m);
    expect(r.stdout).toMatch(/^num_ctx\s+integer, ≥ 1, default 4096, changing it reloads the model/m);
    const json = JSON.parse((await cli(["options", "--json"])).stdout);
    expect(json.find((o: { name: string }) => o.name === "top_p")).toEqual({
      name: "top_p",
      type: "number",
      min: 0,
      max: 1,
      default: 0.9,
      reloadsModel: false,
      retired: false,
      help: expect.any(String),
    });
    // The same sentence as a validation error.
    const bad = await cli(["run", QWEN_ID, "--option", "top_p=2", "hi"]);
    const help = json.find((o: { name: string }) => o.name === "top_p").help;
    expect(bad.stderr).toContain(`option "top_p" must be 0–1, not 2 (${help})`);
  });

  it("config.json sets options per model (index id or runtime name) and per task; the call's win; applyOptions: false turns them off", async () => {
    const config = fresh();
    const write = (extra: object) =>
      writeFileSync(
        join(config, "config.json"),
        JSON.stringify({
          options: { [QWEN_ID]: { temperature: 0.5, num_ctx: 8192 }, [QWEN]: { top_k: 20 } },
          tasks: { quick: { options: { temperature: 0.3 } } },
          ...extra,
        }),
      );
    write({});
    const env = { SMALL_LLM_CONFIG_DIR: config };
    await cli(["run", QWEN_ID, "hi"], env);
    expect(lastBody("/api/generate")?.options).toEqual({ temperature: 0.5, num_ctx: 8192, top_k: 20 });
    await cli(["run", QWEN, "--option", "temperature=0.9", "hi"], env);
    expect(lastBody("/api/generate")?.options).toEqual({ temperature: 0.9, num_ctx: 8192, top_k: 20 });
    // ask: the model's options under the task's, under the call's.
    await cli(["ask", "--model", QWEN_ID, "hi"], env);
    expect(lastBody("/api/chat")?.options).toEqual({ temperature: 0.3, num_ctx: 8192, top_k: 20 });
    await cli(["chat", QWEN_ID], env, "hi\n");
    expect(lastBody("/api/chat")?.options).toEqual({ temperature: 0.5, num_ctx: 8192, top_k: 20 });
    write({ applyOptions: false });
    await cli(["run", QWEN_ID, "hi"], env);
    expect(lastBody("/api/generate")?.options).toEqual({});
    await cli(["ask", "--model", QWEN_ID, "--option", "seed=1", "hi"], env);
    expect(lastBody("/api/chat")?.options).toEqual({ seed: 1 });
    // A mistake in a model's options is named by path, as any config error is.
    writeFileSync(join(config, "config.json"), JSON.stringify({ options: { [QWEN_ID]: { tempurature: 1 } } }));
    const bad = await cli(["run", QWEN_ID, "hi"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      `options.${QWEN_ID}: unknown Ollama option "tempurature" — did you mean "temperature"?`,
    );
  });
});

describe("Ctrl-C during an answer", () => {
  it("says the answer was stopped, not that a pull can be resumed (exit 130)", async () => {
    const slow = await startOllamaEmulator({
      registry: [ggufModel(QWEN, 300_000_000)],
      chunkBytes: 1e9,
      lineDelayMs: 200,
    });
    try {
      await fetch(`${slow.url}/api/pull`, { method: "POST", body: JSON.stringify({ model: QWEN }) }).then((r) =>
        r.text(),
      );
      const child = spawn(process.execPath, [CLI, "run", QWEN_ID, "tell me a long story"], {
        env: {
          ...process.env,
          SMALL_LLM_INDEX_URL: indexServer.url,
          SMALL_LLM_CACHE_DIR: fresh(),
          SMALL_LLM_STATE_DIR: fresh(),
          OLLAMA_HOST: slow.hostPort,
          PATH: emptyPath,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => {
        stdout += d;
        if (stdout.includes("Hello") && !child.killed) child.kill("SIGINT");
      });
      child.stderr.on("data", (d) => {
        stderr += d;
      });
      const code = await new Promise((resolve) => child.on("close", resolve));
      expect(code).toBe(130);
      expect(stderr).toContain(`small-llm: the answer from ${QWEN} was stopped`);
      expect(stderr).not.toMatch(/resume|pulling/);
      expect(stdout.endsWith("\n")).toBe(true);
    } finally {
      await slow.close();
    }
  });
});
