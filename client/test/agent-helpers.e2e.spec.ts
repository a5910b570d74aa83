/**
 * The agent helpers the delegation seed names, against the Ollama emulator: the `heavy` task, the
 * quick* wrappers and `delegateMany` (library), `small-llm review` (a diff on stdin or `--git`),
 * `delegate` as another name for `ask`, `--chain` entries that do not resolve, models made here
 * (personas) kept out of derived chains, and `update --all` going on past them.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { agentIndex, agentRegistry, CODER, LARGE, machine, SMALL } from "../../test/helpers/agent-fixtures.ts";
import { cliInProcess } from "../../test/helpers/cli-in-process.ts";
import { type IndexServer, startIndexServer } from "../../test/helpers/index-server.ts";
import { type OllamaEmulator, startOllamaEmulator } from "../../test/ollama-emulator/server.ts";
import { delegateMany, quickAnalysis, quickAnswer, quickCode } from "../src/agent/helpers.ts";
import { Router } from "../src/agent/router.ts";
import { OllamaDriver } from "../src/runtimes/ollama/driver.ts";

const fresh = () => mkdtempSync(join(tmpdir(), "sli-helpers-"));
const emptyPath = fresh();
let emulator: OllamaEmulator;
let indexServer: IndexServer;
let config: string;

const env = (extra: Record<string, string> = {}) => ({
  SMALL_LLM_INDEX_URL: indexServer.url,
  SMALL_LLM_CACHE_DIR: fresh(),
  SMALL_LLM_STATE_DIR: fresh(),
  SMALL_LLM_CONFIG_DIR: config,
  OLLAMA_HOST: emulator.hostPort,
  PATH: emptyPath,
  SMALL_LLM_DETECT: "0",
  ...extra,
});
const cli = (args: string[], input?: string, extra: Record<string, string> = {}) =>
  cliInProcess(args, { env: env(extra), ...(input !== undefined ? { input } : {}) });
const install = async (...refs: string[]) => {
  const driver = new OllamaDriver({ host: emulator.url });
  for (const ref of refs) await driver.install(ref);
};

beforeAll(async () => {
  indexServer = await startIndexServer(JSON.stringify(agentIndex()));
});
afterAll(async () => {
  await Promise.all([emulator?.close(), indexServer.close()]);
});
beforeEach(async () => {
  await emulator?.close();
  emulator = await startOllamaEmulator({ registry: agentRegistry(), lineDelayMs: 0 });
  config = fresh();
});

describe("the heavy task", () => {
  it("tries the largest model that is fast enough here first, and a slow one only last", async () => {
    await install(SMALL, CODER, LARGE);
    // Memory read at 25 GB/s (stated, so the estimate is the same on every machine without a GPU):
    // the 3B model's ~7 tokens/s is below the floor, the 1.5B's ~14 is not.
    const slowRam = { SMALL_LLM_MEMORY_BANDWIDTH: "25" };
    const plan = await cli(["ask", "--task", "heavy", "--explain", "--json", "x"], undefined, slowRam);
    const chain = JSON.parse(plan.stdout).chain as { model: string; why: string }[];
    expect(chain.map((l) => l.model)).toEqual([CODER, SMALL, LARGE]);
    expect(chain[0]?.why).toMatch(/^first: chat model \(1\.5B.*~14 tokens\/s$/);
    expect(chain[2]?.why).toMatch(/~7 tokens\/s: below the 10 tokens\/s floor$/);
    const r = await cli(["ask", "--task", "heavy", "hi"], undefined, slowRam);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`Hello from ${CODER}. You said: hi\n`);
    // config.json sets what is fast enough.
    writeFileSync(join(config, "config.json"), JSON.stringify({ tasks: { heavy: { minTokensPerSecond: 5 } } }));
    expect((await cli(["ask", "--task", "heavy", "hi"], undefined, slowRam)).stdout).toBe(
      `Hello from ${LARGE}. You said: hi\n`,
    );
  });
});

describe("the library's helpers", () => {
  it("quickAnswer, quickCode and quickAnalysis are delegate() with their task", async () => {
    await install(SMALL, CODER, LARGE);
    const runtimes = [new OllamaDriver({ host: emulator.url })];
    const common = { runtimes, index: agentIndex(), hardware: machine, config: {}, metrics: false };
    const [a, c, l] = await Promise.all([
      quickAnswer("hi", common),
      quickCode("fizzbuzz", common),
      quickAnalysis("summarise", common),
    ]);
    expect([a.task, a.model]).toEqual(["quick", SMALL]);
    expect([c.task, c.model]).toEqual(["coding", CODER]);
    expect([l.task, l.model]).toEqual(["analysis", LARGE]);
  });

  it("delegateMany answers every prompt in order, never more than `concurrency` at once", async () => {
    await emulator.close();
    emulator = await startOllamaEmulator({ registry: agentRegistry(), lineDelayMs: 15 });
    await install(SMALL);
    const router = new Router({ runtimes: [new OllamaDriver({ host: emulator.url })], hardware: async () => machine });
    const prompts = Array.from({ length: 7 }, (_, i) => `prompt ${i}`);
    const seen: number[] = [];
    const responses = await router.delegateMany(prompts, {
      concurrency: 3,
      index: agentIndex(),
      config: {},
      metrics: false,
      onResult: (i) => seen.push(i),
    });
    expect(responses.map((r) => r.text)).toEqual(prompts.map((p) => `Hello from ${SMALL}. You said: ${p}`));
    expect(emulator.peakAnswers()).toBe(3);
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    await expect(delegateMany(["x"], { concurrency: 0 })).rejects.toThrow(/concurrency must be a whole number/);
  });
});

const DIFF = `diff --git a/src/add.js b/src/add.js
index 1111111..2222222 100644
--- a/src/add.js
+++ b/src/add.js
@@ -1,3 +1,4 @@
 export function add(a, b) {
-  return a + b;
+  // subtract, on purpose?
+  return a - b;
 }
diff --git a/README.md b/README.md
index 3333333..4444444 100644
--- a/README.md
+++ b/README.md
@@ -10,2 +10,3 @@ Intro
 Some text.
+More text.
 End.
`;

describe("small-llm review", () => {
  it("reviews a diff on stdin file by file with the coding chain, printing path:line: severity: message", async () => {
    await install(SMALL, CODER);
    const r = await cli(["review"], DIFF);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split("\n")).toEqual([
      `src/add.js:1: bug: Hello from ${CODER}`,
      `README.md:1: bug: Hello from ${CODER}`,
    ]);
    expect(r.stderr).toContain(`2 findings in 2 of 2 files (reviewed by ${CODER})`);
    // Each file's changed lines went with their line numbers in the new file, asking for the findings schema.
    const chats = emulator.requests
      .filter((q) => q.path === "/api/chat")
      .map((q) => q.body as { messages: { content: string }[]; format: { required: string[] } });
    const prompt = chats
      .find((c) => c.messages.at(-1)?.content.startsWith("File: src/add.js"))
      ?.messages.at(-1)?.content;
    expect(prompt).toContain("2 +   // subtract, on purpose?\n3 +   return a - b;");
    expect(chats[0]?.format.required).toEqual(["findings"]);
    const json = JSON.parse((await cli(["review", "--json"], DIFF)).stdout);
    expect(json).toMatchObject({ findings: 2, files: [{ path: "src/add.js", model: CODER }, { path: "README.md" }] });
  });

  it("--git REF reviews the working tree against REF; nothing to review and no input are said plainly", async () => {
    await install(CODER);
    const repo = fresh();
    const git = (...args: string[]) =>
      execFileSync("git", args, { cwd: repo, env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null" } });
    git("init", "-q");
    git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-q", "--allow-empty", "-m", "start");
    writeFileSync(join(repo, "a.py"), "print('hi')\n");
    git("add", "a.py");
    const withGit = { ...env(), PATH: process.env.PATH as string };
    const r = await cliInProcess(["review", "--git", "HEAD"], { env: withGit, cwd: repo });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(`a.py:1: bug: Hello from ${CODER}`);
    const none = await cliInProcess(["review", "--git", "HEAD~0"], { env: withGit, cwd: fresh() });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/cannot run `git diff HEAD~0`: .*not a git repository/i);
    const empty = await cli(["review"], "");
    expect(empty.code).toBe(0);
    expect(empty.stderr).toContain("no changes in the diff on stdin");
    const prose = await cli(["review"], "hello world\n");
    expect(prose.code).toBe(2);
    expect(prose.stderr).toContain("stdin is not a unified diff");
    const option = await cli(["review", "--git", "--output=/tmp/x"]);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain('--git takes a commit, branch or tag, not "--output=/tmp/x"');
  });
});

describe("ask, under its other name and with a chain it cannot follow", () => {
  it("`delegate` is `ask`", async () => {
    await install(CODER);
    const r = await cli(["delegate", "--task", "coding", "fizzbuzz"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`Hello from ${CODER}. You said: fizzbuzz\n`);
  });

  it("--chain entries that do not resolve are named on stderr, whether or not another answers", async () => {
    await install(SMALL);
    const r = await cli(["ask", "--chain", `bad name!,${SMALL}`, "hi"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('note: chain entry "bad name!" is not used: unknown model "bad name!"');
    const none = await cli(["ask", "--chain", "bad name!", "hi"]);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain('note: chain entry "bad name!" is not used');
  });
});

describe("models made on this machine", () => {
  it("a persona joins a chain only where it is named, and update --all goes on past it", async () => {
    await install(SMALL);
    const made = await cli(["create", "pirate", "--from", SMALL, "--system", "You answer like a pirate."]);
    expect(made.code, made.stderr).toBe(0);
    // Larger than the 0.5B model by its name: without the rule it would lead the analysis chain.
    const explained = JSON.parse((await cli(["ask", "--task", "analysis", "--explain", "--json", "x"])).stdout);
    expect(explained.chain.map((l: { model: string }) => l.model)).toEqual([SMALL]);
    expect(explained.excluded).toContainEqual({
      model: "pirate:latest",
      why: expect.stringContaining("made on this machine (its own system prompt or adapter)"),
    });
    expect((await cli(["ask", "hi"])).stdout).toContain(`Hello from ${SMALL}`);
    // Named, it answers: per call, or in the config's chain.
    expect((await cli(["ask", "--model", "pirate", "hi"])).stdout).toContain(
      "Hello from pirate:latest. (system: You answer like a pirate.)",
    );
    writeFileSync(join(config, "config.json"), JSON.stringify({ tasks: { quick: { chain: ["pirate"] } } }));
    expect((await cli(["ask", "hi"])).stdout).toContain("Hello from pirate:latest");

    const update = await cli(["update", "--all"]);
    expect(update.code, update.stderr).toBe(0);
    expect(update.stdout).toContain(`${SMALL} is up to date`);
    expect(update.stdout).toContain(
      "could not re-pull 1 model; left as it is (created on this machine, or no longer in their registry):\n  pirate:latest",
    );
    const json = JSON.parse((await cli(["update", "--all", "--json"])).stdout);
    expect(json).toContainEqual(
      expect.objectContaining({
        ref: "pirate:latest",
        changed: false,
        skipped: expect.objectContaining({ code: "unknown-model" }),
      }),
    );
  });
});
