/** The built `small-llm` binary against the Ollama emulator and an index server. */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliInProcess } from "../../test/helpers/cli-in-process.ts";
import { fakeOllamaBinDir, randomPort } from "../../test/helpers/fake-ollama.ts";
import { type IndexServer, startIndexServer } from "../../test/helpers/index-server.ts";
import { runCommand } from "../../test/helpers/run-command.ts";
import { sampleIndex } from "../../test/helpers/sample-index.ts";
import { ggufModel, type OllamaEmulator, startOllamaEmulator } from "../../test/ollama-emulator/server.ts";
import type { ModelEntry } from "../src/index.ts";

const CLI = new URL("../dist/cli.js", import.meta.url).pathname;
const QWEN = "hf.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M";
let emulator: OllamaEmulator;
let indexServer: IndexServer;
let cacheDir: string;
const emptyPath = mkdtempSync(join(tmpdir(), "sli-nopath-"));

function cli(args: string[], options: { env?: Record<string, string>; input?: string } = {}) {
  return cliInProcess(args, {
    env: {
      SMALL_LLM_INDEX_URL: indexServer.url,
      SMALL_LLM_CACHE_DIR: cacheDir,
      OLLAMA_HOST: emulator.hostPort,
      PATH: emptyPath,
      ...options.env,
    },
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
}

beforeAll(async () => {
  emulator = await startOllamaEmulator({
    registry: [ggufModel(QWEN, 300_000_000), ggufModel("hf.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q8_0", 500_000_000)],
    chunkBytes: 30_000_000,
    lineDelayMs: 0,
  });
  indexServer = await startIndexServer(JSON.stringify(sampleIndex()));
  cacheDir = mkdtempSync(join(tmpdir(), "sli-cli-"));
});
afterAll(async () => {
  await emulator.close();
  await indexServer.close();
});

describe("small-llm, the catalogue", () => {
  it("models --json prints the entries", async () => {
    const r = await cli(["models", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(
      JSON.parse(r.stdout)
        .map((m: { id: string }) => m.id)
        .sort(),
    ).toEqual(["Qwen/Qwen2.5-0.5B-Instruct", "meta-llama/Llama-3.2-3B-Instruct"]);
  });

  it("models filters by tier, task, search and what fits", async () => {
    const table = await cli(["models", "--tier", "sub-1b"]);
    expect(table.stdout).toMatch(/^MODEL\s+PARAMS\s+TIER/);
    expect(table.stdout).toContain("Qwen/Qwen2.5-0.5B-Instruct  494M");
    expect(table.stdout).not.toContain("Llama");
    expect(table.stderr).toMatch(/index 2026-11-23\.3f9a1c2b \(2 models\) from (network|cache)/);
    // A 2 GB GPU: 1 GB usable, like the index's GPU profiles.
    const fits = JSON.parse((await cli(["models", "--fits", "2", "--json"])).stdout);
    expect(fits.map((m: { id: string; bestFit: { quant: string } }) => [m.id, m.bestFit.quant])).toEqual([
      ["Qwen/Qwen2.5-0.5B-Instruct", "Q4_K_M"],
    ]);
    expect(JSON.parse((await cli(["models", "--task", "tools", "--json"])).stdout)).toHaveLength(1);
    expect(JSON.parse((await cli(["models", "--search", "llama", "--json"])).stdout)).toHaveLength(1);
  });

  it("rejects bad options with exit 2 and says what they take", async () => {
    const r = await cli(["models", "--tier", "9b"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--tier takes one of sub-1b, 1b-8b");
    expect((await cli(["models", "--fits", "lots"])).stderr).toContain("--fits takes");
    expect((await cli(["frobnicate"])).code).toBe(2);
    expect((await cli(["install"])).code).toBe(2);
  });

  it("show lists quants, memory, lineage and the install commands", async () => {
    const r = await cli(["show", "Qwen/Qwen2.5-0.5B-Instruct"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("base:       Qwen/Qwen2.5-0.5B");
    // One table per GGUF repo under the ref it is pulled as; what it fits, short: the smallest machine of each kind.
    expect(r.stdout).toContain("\nhf.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF:<QUANT>\nQUANT    DOWNLOAD  MEMORY @4K");
    expect(r.stdout).toMatch(/^Q4_K_M\*\s+397 MB\s+966 MB\s+GPU ≥ 4 GB · CPU ≥ 8 GB$/m);
    expect(r.stdout).toContain("small-llm install Qwen/Qwen2.5-0.5B-Instruct");
    const missing = await cli(["show", "nobody/nothing"]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain("not in the index");
  });

  it("recommend plans for a stated budget", async () => {
    const r = await cli(["recommend", "--fits", "gpu-4gb", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const { recommendations } = JSON.parse(r.stdout);
    expect(recommendations[0]).toMatchObject({ id: "meta-llama/Llama-3.2-3B-Instruct", quant: "Q4_K_M" });
    expect(recommendations[0].why).toContain("fits GPU, 4 GB VRAM");
  });

  it("refresh fetches now, and fails loudly (exit 7) when no mirror answers", async () => {
    const ok = await cli(["refresh", "--json"]);
    expect(JSON.parse(ok.stdout)).toMatchObject({ source: "network", models: 2 });
    const bad = await cli(["refresh"], { env: { SMALL_LLM_INDEX_URL: "http://127.0.0.1:9/index.json" } });
    expect(bad.code).toBe(7);
    // A URL the user chose is never silently replaced by the copy another mirror left in the cache.
    expect(bad.stderr).toMatch(/the index you chose could not be loaded[\s\S]*127\.0\.0\.1:9/);
  });

  it("works offline from the bundled snapshot", async () => {
    const r = await cli(["models", "--offline", "--json"], {
      env: { SMALL_LLM_CACHE_DIR: mkdtempSync(join(tmpdir(), "sli-empty-")) },
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).length).toBeGreaterThan(4);
  });
});

describe("small-llm, driving Ollama", () => {
  it("install shows plain progress lines when stderr is not a TTY", async () => {
    const r = await cli(["install", "Qwen/Qwen2.5-0.5B-Instruct"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^installed hf\.co\/Qwen\/Qwen2\.5-0\.5B-Instruct-GGUF:Q4_K_M \(300 MB, digest [0-9a-f]{12}\)/,
    );
    expect(r.stderr).toContain("pulling manifest\n");
    expect(r.stderr).toMatch(/pulling [0-9a-f]{12}: 300.0 MB \/ 300.0 MB \(100 %\)/);
    expect(r.stderr).toContain("success\n");
  });

  it("list and update", async () => {
    const list = JSON.parse((await cli(["list", "--json"])).stdout);
    expect(list).toEqual([expect.objectContaining({ name: QWEN, indexId: "Qwen/Qwen2.5-0.5B-Instruct" })]);
    expect((await cli(["update", "Qwen/Qwen2.5-0.5B-Instruct"])).stdout).toMatch(/is up to date/);
    emulator.republish(QWEN, "weights:v2");
    const changed = await cli(["update", "--all", "--json"]);
    expect(JSON.parse(changed.stdout)).toEqual([expect.objectContaining({ ref: QWEN, changed: true })]);
    expect((await cli(["update"])).code).toBe(2);
  });

  it("run streams the answer, reads stdin, passes options, reports speed", async () => {
    const r = await cli([
      "run",
      "Qwen/Qwen2.5-0.5B-Instruct",
      "why",
      "is",
      "the",
      "sky",
      "blue",
      "--option",
      "temperature=0.2",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`Hello from ${QWEN}. You said: why is the sky blue\n`);
    expect(r.stderr).toMatch(/10 tokens in \d+\.\d s \(first token after \d+ ms, generating at 100\.0 tokens\/s\)/);
    const piped = await cli(["run", QWEN, "--json"], { input: "from stdin\n" });
    expect(JSON.parse(piped.stdout)).toMatchObject({
      model: QWEN,
      text: `Hello from ${QWEN}. You said: from stdin`,
      doneReason: "stop",
    });
    expect((await cli(["run", QWEN, "x", "--option", "novalue"])).code).toBe(2);
  });

  it("rm removes, and says so when the model is not there (exit 4)", async () => {
    expect((await cli(["rm", "Qwen/Qwen2.5-0.5B-Instruct"])).stdout).toContain(`removed ${QWEN}`);
    const again = await cli(["rm", QWEN]);
    expect(again.code).toBe(4);
  });

  it("status reports the server, and what to do when there is none", async () => {
    expect(JSON.parse((await cli(["status", "--json"])).stdout)).toMatchObject({ reachable: true, version: "0.33.0" });
    const none = await cli(["status"], { env: { OLLAMA_HOST: "127.0.0.1:9" } });
    expect(none.code).toBe(0);
    expect(none.stdout).toContain("not running and not installed");
  });

  it.each([
    [
      "Ollama not installed",
      3,
      ["list"],
      { OLLAMA_HOST: "127.0.0.1:9" },
      /Ollama is not installed[\s\S]*small-llm setup/,
    ],
    ["unknown model", 4, ["install", "hf.co/nobody/nothing-GGUF:Q4_K_M"], {}, /unknown model/],
    ["no GGUF build", 4, ["install", "Qwen/Qwen2.5-0.5B-Instruct", "--quant", "Q2_K"], {}, /available: Q4_K_M, Q8_0/],
  ])("%s → exit %d with a message that says what next", async (_what, code, args, env, message) => {
    const r = await cli(args as string[], { env: env as Record<string, string> });
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message as RegExp);
  });

  it.each([
    ["disk full", "disk-full", 5, /disk is full[\s\S]*resumes/],
    ["an interrupted pull", "cut", 6, /interrupted[\s\S]*Run the same command again/],
  ] as const)("%s → exit %d", async (_what, kind, code, message) => {
    emulator.faults.push({ path: "/api/pull", times: 1, kind, afterLines: 3 });
    const r = await cli(["install", "Qwen/Qwen2.5-0.5B-Instruct", "--quant", "Q8_0"]);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
  });

  it("starts `ollama serve` when Ollama is installed but not running, unless --no-start", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "sli-state-"));
    const env = {
      OLLAMA_HOST: `127.0.0.1:${randomPort()}`,
      PATH: `${fakeOllamaBinDir()}:${process.env.PATH}`,
      SMALL_LLM_STATE_DIR: stateDir,
    };
    const refused = await cli(["list", "--no-start"], { env });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("is not running");
    const started = await cli(["list"], { env });
    try {
      expect(started.code, started.stderr).toBe(0);
      expect(started.stderr).toMatch(/started `ollama serve` \(pid \d+, log: .*logs\/ollama\.log\)/);
      expect(started.stdout).toContain("no models installed");
    } finally {
      process.kill(Number(readFileSync(join(stateDir, "ollama.pid"), "utf8")));
    }
  });

  // CI installs Node 22.12.0 (the floor in package.json's engines) and names it in SMALL_LLM_FLOOR_NODE
  // (.ci/run, .github/workflows/ci.yml); elsewhere the same checks run on this Node.
  it("runs on the oldest Node the package supports: the CLI and the library import", async () => {
    const floor = process.env.SMALL_LLM_FLOOR_NODE || process.execPath;
    const version = execFileSync(floor, ["--version"], { encoding: "utf8" }).trim();
    if (process.env.SMALL_LLM_FLOOR_NODE) expect(version).toBe("v22.12.0");
    const env = {
      SMALL_LLM_INDEX_URL: indexServer.url,
      SMALL_LLM_CACHE_DIR: mkdtempSync(join(tmpdir(), "sli-floor-")),
    };
    const r = await runCommand(floor, [CLI, "models", "--json"], { env });
    expect(r.code, `${version}: ${r.stderr}`).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(2);
    const lib = await runCommand(
      floor,
      [
        "--input-type=module",
        "-e",
        'const { getIndex } = await import("small-llm"); console.log((await getIndex()).index.models.length)',
      ],
      { env, cwd: fileURLToPath(new URL("../..", import.meta.url)) },
    );
    expect(lib.code, `${version}: ${lib.stderr}`).toBe(0);
    expect(lib.stdout.trim()).toBe("2");
  });

  // The machine's own Node (20 here and on CI) is older than the floor: the CLI says so in a sentence.
  const systemNode = existsSync("/usr/bin/node")
    ? execFileSync("/usr/bin/node", ["--version"], { encoding: "utf8" }).trim()
    : undefined;
  const tooOld = systemNode !== undefined && /^v(1\d|20|21|22\.([0-9]|1[01]))\./.test(systemNode);
  it.skipIf(!tooOld)("on a Node older than 22.12, says which Node it needs instead of a linker error", async () => {
    const r = await runCommand("/usr/bin/node", [CLI, "status"], {});
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `small-llm: needs Node.js 22.12 or newer, and this is ${systemNode}. Install the current LTS (https://nodejs.org, or \`nvm install --lts\`).\n`,
    );
  });

  it("prints a large --json answer whole through a pipe (the process waits for it before exiting)", async () => {
    const big = sampleIndex(
      Array.from({ length: 400 }, (_, i) => ({
        ...(sampleIndex().models[0] as ModelEntry),
        id: `big-${i}/m`,
        author: `big-${i}`,
      })),
    );
    const server = await startIndexServer(JSON.stringify(big));
    const cache = mkdtempSync(join(tmpdir(), "sli-big-"));
    try {
      const r = await runCommand(process.execPath, [CLI, "models", "--json"], {
        env: { SMALL_LLM_INDEX_URL: server.url, SMALL_LLM_CACHE_DIR: cache },
      });
      expect(r.code, r.stderr).toBe(0);
      // The bundled CLI writes its cache like the library does (the only warning: the test index is a fixture).
      expect(r.stderr.split("\n").filter((l) => l.includes("warning") && !l.includes("marked `fixture`"))).toEqual([]);
      expect(existsSync(join(cache, "index-cache.json"))).toBe(true);
      expect(r.stdout.length).toBeGreaterThan(400_000);
      expect(JSON.parse(r.stdout)).toHaveLength(400);
    } finally {
      await server.close();
    }
  });

  it("--help lists every command and the exit codes", async () => {
    const r = await cli(["--help"]);
    expect(r.code).toBe(0);
    for (const c of ["models", "show", "recommend", "install", "update", "run", "list", "rm", "status", "refresh"])
      expect(r.stdout).toContain(c);
    expect(r.stdout).toContain("Exit codes");
  });
});
