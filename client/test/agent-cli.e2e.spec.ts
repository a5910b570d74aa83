/** The built `small-llm ask / metrics / bench` against the Ollama emulator: every fault of the issue, with its message and exit code. */
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { agentIndex, agentRegistry, CODER, LARGE, SMALL } from "../../test/helpers/agent-fixtures.ts";
import { cliInProcess } from "../../test/helpers/cli-in-process.ts";
import { type IndexServer, startIndexServer } from "../../test/helpers/index-server.ts";
import { runCommand } from "../../test/helpers/run-command.ts";
import { type OllamaEmulator, startOllamaEmulator } from "../../test/ollama-emulator/server.ts";
import { startOpenAIEmulator } from "../../test/openai-emulator/server.ts";
import { OllamaDriver } from "../src/runtimes/ollama/driver.ts";

const CLI = new URL("../dist/cli.js", import.meta.url).pathname;
const emptyPath = mkdtempSync(join(tmpdir(), "sli-nopath-"));
let emulator: OllamaEmulator;
let indexServer: IndexServer;
let state: string;
let configDir: string;
const cacheDir = mkdtempSync(join(tmpdir(), "sli-agent-cache-"));

function env(extra: Record<string, string> = {}) {
  return {
    SMALL_LLM_INDEX_URL: indexServer.url,
    SMALL_LLM_CACHE_DIR: cacheDir,
    SMALL_LLM_STATE_DIR: state,
    SMALL_LLM_CONFIG_DIR: configDir,
    OLLAMA_HOST: emulator.hostPort,
    PATH: emptyPath,
    // Other sessions on this machine may run servers on LM Studio's or llama.cpp's ports: probe none.
    SMALL_LLM_DETECT: "0",
    // Chains order by speed here: state the RAM's bandwidth rather than measure a busy shared machine.
    SMALL_LLM_MEMORY_BANDWIDTH: "51.2",
    ...extra,
  };
}
const cli = (args: string[], extra: Record<string, string> = {}) => cliInProcess(args, { env: env(extra) });
const metricsLines = () =>
  readFileSync(join(state, "metrics", "usage.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));

beforeAll(async () => {
  indexServer = await startIndexServer(JSON.stringify(agentIndex()));
});
afterAll(async () => {
  await indexServer.close();
});
beforeEach(async () => {
  await emulator?.close();
  emulator = await startOllamaEmulator({ registry: agentRegistry(), lineDelayMs: 0 });
  state = mkdtempSync(join(tmpdir(), "sli-agent-state-"));
  configDir = mkdtempSync(join(tmpdir(), "sli-agent-config-"));
});

const install = async (...refs: string[]) => {
  const driver = new OllamaDriver({ host: emulator.url });
  for (const ref of refs) await driver.install(ref);
};

describe("small-llm ask", () => {
  it("answers from the task's chain and records a metrics line", async () => {
    await install(SMALL, CODER);
    const r = await cli(["ask", "--task", "coding", "write", "fizzbuzz"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`Hello from ${CODER}. You said: write fizzbuzz\n`);
    expect(r.stderr).toMatch(
      /answered by .*Coder.* \(ollama, local\) in \d+\.\d s — first token after \d+ ms, \d+ tokens, 100\.0 tokens\/s/,
    );
    expect(metricsLines()).toEqual([
      expect.objectContaining({ kind: "delegate", task: "coding", model: CODER, success: true }),
    ]);
  });

  it("--explain shows the chain and why, without running a model", async () => {
    await install(SMALL, LARGE);
    const r = await cli(["ask", "--explain", "--task", "analysis", "summarise this"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      "task analysis: reading and summarising: the largest chat model that answers at a usable speed",
    );
    expect(r.stdout).toMatch(
      new RegExp(
        `1\\. ${LARGE.replace(/[.]/g, "\\.")} \\[ollama\\] \\(installed\\) — first: chat.*, ~\\d+ tokens/s$`,
        "m",
      ),
    );
    expect(r.stdout).toMatch(/2\. hf\.co\/Qwen\/Qwen2\.5-0\.5B.* — #2: chat/);
    expect(emulator.requests.some((q) => q.path === "/api/chat")).toBe(false);
  });

  it("every model of the chain missing, --no-pull: exit 4 with the install command", async () => {
    const r = await cli(["ask", "--no-pull", "--chain", `${SMALL},${LARGE}`, "hi"]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(
      `no model of the quick chain is installed (${SMALL}, ${LARGE}). Install one with \`small-llm install Qwen/Qwen2.5-0.5B-Instruct\``,
    );
  });

  it("pulls the chain's first model when none is installed, saying so", async () => {
    const r = await cli(["ask", "--task", "coding", "hi"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`no model of the coding chain is installed: pulling ${CODER} (--no-pull to skip)`);
    expect(r.stderr).toContain(`note: pulled ${CODER}`);
    expect(emulator.installed()).toEqual([CODER]);
  });

  it("the first model erroring mid-stream: the second answers, and the failure is shown", async () => {
    await install(SMALL, LARGE);
    emulator.faults.push({ path: "/api/chat", model: LARGE, times: 1, kind: "error-line", afterLines: 1 });
    const r = await cli(["ask", "--task", "analysis", "hi"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `${LARGE}: ollama-error — Ollama answered: llama runner process has terminated: exit status 2`,
    );
    expect(r.stdout).toContain(`Hello from ${SMALL}`);
  });

  it.runIf(existsSync("/usr/bin/script"))(
    "on a terminal the answer streams, and a failed attempt's text is marked discarded",
    async () => {
      await install(SMALL, LARGE);
      emulator.faults.push({ path: "/api/chat", model: LARGE, times: 1, kind: "error-line", afterLines: 2 });
      // script(1) gives the CLI a pseudo-terminal, so stdout.isTTY is true.
      const r = await runCommand(
        "/usr/bin/script",
        ["-qec", `"${process.execPath}" "${CLI}" ask --task analysis hi`, "/dev/null"],
        {
          env: env(),
        },
      );
      expect(r.code, r.stdout).toBe(0);
      // script(1) merges stderr in: the note that the test index is fixture data comes first.
      const out = r.stdout.replace(/\r/g, "").replace(/^warning: .*\n/gm, "");
      expect(out).toMatch(/^Hello from \n/); // the first model's two tokens, streamed before it failed
      expect(out).toContain(
        `${LARGE}: ollama-error — Ollama answered: llama runner process has terminated: exit status 2 (the text above is discarded)`,
      );
      expect(out).toContain(`Hello from ${SMALL}. You said: hi\n`);
    },
  );

  it("a server busy twice then answering: retried, exit 0", async () => {
    await install(SMALL);
    emulator.faults.push({ path: "/api/chat", times: 2, kind: "busy" });
    const r = await cli(["ask", "hi"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.match(/: busy — Ollama at .* is busy/g)).toHaveLength(2);
    expect(metricsLines()[0].attempts.map((a: { outcome: string }) => a.outcome)).toEqual(["busy", "busy", "ok"]);
  });

  it("a model that returns an empty answer: exit 15 when it is the only one", async () => {
    await install(SMALL);
    emulator.faults.push({ path: "/api/chat", times: 1, kind: "empty" });
    const r = await cli(["ask", "hi"]);
    expect(r.code).toBe(15);
    expect(r.stderr).toContain(
      "small-llm: every model of the quick chain failed; the last: the model returned an empty answer",
    );
    expect(metricsLines()[0]).toMatchObject({ success: false, error: "bad-answer" });
  });

  it("a bad --option: exit 2 naming the nearest option, or the expected type", async () => {
    const typo = await cli(["ask", "--option", "tempurature=0.2", "hi"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown Ollama option "tempurature" — did you mean "temperature"?');
    const type = await cli(["ask", "--option", "num_ctx=lots", "hi"]);
    expect(type.code).toBe(2);
    expect(type.stderr).toContain('option "num_ctx" must be an integer, not "lots"');
    const run = await cli(["run", SMALL, "--option", "top_k=1.5", "hi"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('option "top_k" must be an integer, not 1.5');
  });

  it("an unknown task: exit 2 naming the nearest task", async () => {
    const r = await cli(["ask", "--task", "translate", "hi"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown task "translate" — did you mean "translation"?');
  });

  it("Ollama down and no other runtime: exit 3 with what to do", async () => {
    await emulator.close();
    const r = await cli(["ask", "hi"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/Ollama is not installed|not running/);
    expect(r.stderr).toMatch(/small-llm setup|OLLAMA_HOST/);
  });

  it("--json prints the LlmResponse", async () => {
    await install(SMALL);
    const r = await cli(["ask", "--json", "--option", "temperature=0", "--format", "json", "hi"]);
    expect(r.code, r.stderr).toBe(0);
    const response = JSON.parse(r.stdout);
    expect(response).toMatchObject({ success: true, model: SMALL, runtime: "ollama", task: "quick", side: "local" });
    expect(JSON.parse(response.text)).toEqual({ answer: `Hello from ${SMALL}` });
    for (const k of ["latencyMs", "ttftMs", "promptTokens", "outputTokens", "tokensPerSecond"])
      expect(typeof response[k]).toBe("number");
    const body = emulator.requests.filter((q) => q.path === "/api/chat").pop()?.body;
    expect(body).toMatchObject({ options: { temperature: 0 }, format: "json" });
  });

  it("a broken config.json: exit 2 naming the field", async () => {
    writeFileSync(
      join(configDir, "config.json"),
      JSON.stringify({ retries: "two", cloud: { x: { baseUrl: "nope", model: "m" } } }),
    );
    const r = await cli(["ask", "hi"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("config.json is not valid:");
    expect(r.stderr).toMatch(/retries: .*number/);
    expect(r.stderr).toContain("cloud.x.baseUrl: must be an http:// or https:// URL");
  });

  it("a pinned chain from config.json, with per-task options", async () => {
    await install(SMALL, LARGE);
    writeFileSync(
      join(configDir, "config.json"),
      JSON.stringify({ tasks: { quick: { chain: [LARGE], options: { temperature: 0.1, seed: 7 } } } }),
    );
    const r = await cli(["ask", "hi"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Hello from ${LARGE}`);
    const body = emulator.requests.filter((q) => q.path === "/api/chat").pop()?.body;
    expect(body).toMatchObject({ options: { temperature: 0.1, seed: 7 } });
  });
});

describe("small-llm ask, hybrid", () => {
  it("config.json's cloud model answers when the local one cannot; the key comes from the env var it names", async () => {
    await install(SMALL);
    const cloud = await startOpenAIEmulator({ flavour: "openai", models: ["gpt-test"], tokenDelayMs: 0 });
    try {
      writeFileSync(
        join(configDir, "config.json"),
        JSON.stringify({
          cloud: { main: { baseUrl: `${cloud.url}/v1`, model: "gpt-test", apiKeyEnv: "SLI_CLOUD_KEY" } },
          fallback: ["cloud:main"],
        }),
      );
      emulator.faults.push({ path: "/api/chat", times: 1, kind: "empty" });
      const r = await cli(["ask", "hi"], { SLI_CLOUD_KEY: cloud.apiKey as string });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain("Hello from gpt-test");
      expect(r.stderr).toContain(`${SMALL}: bad-answer — the model returned an empty answer`);
      expect(r.stderr).toMatch(/answered by gpt-test \(openai, cloud\)/);
      expect(metricsLines()[0]).toMatchObject({ side: "cloud", model: "gpt-test" });
      const explained = await cli(["ask", "--explain", "hi"]);
      expect(explained.stdout).toMatch(
        /2\. gpt-test \[openai, cloud\] \(installed\) — fallback: cloud model gpt-test \(main\)/,
      );
    } finally {
      await cloud.close();
    }
  });

  it("Ollama down: a runtime from config.json answers", async () => {
    const lm = await startOpenAIEmulator({ flavour: "lmstudio", models: ["qwen2.5-7b-instruct"], tokenDelayMs: 0 });
    try {
      await emulator.close();
      writeFileSync(join(configDir, "config.json"), JSON.stringify({ runtimes: { lmstudio: lm.url } }));
      const r = await cli(["ask", "--task", "analysis", "hi"]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/answered by qwen2\.5-7b-instruct \(lmstudio, local\)/);
      expect(r.stderr).toMatch(/note: ollama at .* is not reachable/);
    } finally {
      await lm.close();
    }
  });
});

describe("small-llm metrics", () => {
  it("summarises by model and task, skipping corrupt lines, with a labelled savings estimate", async () => {
    await install(SMALL);
    expect((await cli(["ask", "hi"])).code).toBe(0);
    expect((await cli(["run", SMALL, "hello"])).code).toBe(0);
    appendFileSync(join(state, "metrics", "usage.jsonl"), '{"torn": \nnot json at all\n');
    const r = await cli(["metrics"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("2 calls all time");
    expect(r.stdout).toContain("skipped 2 corrupt lines of 4");
    expect(r.stdout).toMatch(new RegExp(`${SMALL.replace(/[.]/g, "\\.")}\\s+2\\s+100 %`));
    expect(r.stdout).toContain("Estimated savings (an estimate, not a bill): $");
    expect(r.stdout).toMatch(/Price source: .*, as of 2026-08/);
    const json = JSON.parse((await cli(["metrics", "--by", "task", "--days", "1", "--json"])).stdout);
    expect(json.groups.map((g: { key: string }) => g.key).sort()).toEqual(["(run)", "quick"]);
    expect(json.savings).toMatchObject({ estimate: true, price: { model: "claude-sonnet-4-5" } });
    expect(json.corrupt).toBe(2);
  });

  it("SMALL_LLM_METRICS=0 writes nothing; an empty file says how to fill it", async () => {
    await install(SMALL);
    expect((await cli(["ask", "hi"], { SMALL_LLM_METRICS: "0" })).code).toBe(0);
    const r = await cli(["metrics"]);
    expect(r.stdout).toContain("nothing recorded yet");
  });

  it("two processes writing metrics at once lose no line and tear none", async () => {
    const tsx = new URL("../../node_modules/.bin/tsx", import.meta.url).pathname;
    const script = new URL("../../test/helpers/append-metrics.ts", import.meta.url).pathname;
    const file = join(state, "metrics", "usage.jsonl");
    mkdirSync(join(state, "metrics"), { recursive: true });
    const writer = (id: string) =>
      new Promise<number | null>((resolve) => {
        const child = spawn(tsx, [script, file, id, "400"], { stdio: "inherit" });
        child.on("close", resolve);
      });
    expect(await Promise.all([writer("a"), writer("b")])).toEqual([0, 0]);
    const lines = readFileSync(file, "utf8").trim().split("\n");
    expect(lines).toHaveLength(800);
    const records = lines.map((l) => JSON.parse(l));
    expect(records.filter((r) => r.model === "writer-a")).toHaveLength(400);
    expect(records.filter((r) => r.model === "writer-b")).toHaveLength(400);
  });
});

describe("small-llm bench", () => {
  it("measures cold load and warm runs, with a progress line per run, and saves to bench.jsonl", async () => {
    await install(SMALL);
    const r = await cli(["bench", "--runs", "2", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/cold: load 0\.02 s/);
    expect(r.stderr).toMatch(/run 1\/2: first token \d+ ms, prompt \d+ tok\/s, 100\.0 tok\/s/);
    expect(r.stderr).toMatch(/run 2\/2/);
    const [result] = JSON.parse(r.stdout);
    expect(result).toMatchObject({ model: SMALL, complete: true, runs: 2, coldLoadMs: 20, context: 4096 });
    expect(result.tokensPerSecond).toMatchObject({ n: 2, mean: 100, sd: 0, median: 100 });
    expect(result.memory).toEqual({ sizeBytes: expect.any(Number), vramBytes: expect.any(Number) });
    expect(result.hardware.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    const saved = readFileSync(join(state, "bench.jsonl"), "utf8").trim().split("\n");
    expect(JSON.parse(saved[0] as string)).toMatchObject({ model: SMALL, complete: true });
    const body = emulator.requests.find(
      (q) => q.path === "/api/generate" && (q.body as { prompt?: string }).prompt,
    )?.body;
    expect(body).toMatchObject({ options: { temperature: 0, seed: 42, num_ctx: 4096 } });
  });

  it("a model that is not installed: exit 4", async () => {
    const r = await cli(["bench", "nobody/nothing:latest"]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("is not installed");
  });

  it("Ctrl-C keeps what was measured", async () => {
    await install(SMALL, LARGE);
    emulator.faults.push({ path: "/api/generate", times: 100, kind: "slow", delayMs: 400 });
    const child = spawn(process.execPath, [CLI, "bench", SMALL, LARGE, "--runs", "5"], {
      env: { ...process.env, ...env() },
    });
    let stderr = "";
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on("data", (d) => {
        stderr += d;
        if (/run 1\/5/.test(stderr) && !child.killed) child.kill("SIGINT");
      });
      child.on("close", resolve);
    });
    expect(code).toBe(130);
    const saved = readFileSync(join(state, "bench.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ model: SMALL, complete: false, error: { code: "cancelled" } });
    expect(saved[0].runs).toBeGreaterThanOrEqual(1);
  });
});
