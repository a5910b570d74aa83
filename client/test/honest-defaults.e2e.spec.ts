/**
 * Honest defaults (issue 23): the CLI says what data it shows (test data, the bundled snapshot), an
 * index the user chose that fails is an error naming it (exit 7) rather than other data in its
 * place, a local index file works, and a folder that cannot be made is one clear error at once.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliInProcess } from "../../test/helpers/cli-in-process.ts";
import { FIXTURE_INDEX_DIR } from "../../test/helpers/fixture-index.ts";
import { type IndexServer, startIndexServer } from "../../test/helpers/index-server.ts";
import { sampleIndex } from "../../test/helpers/sample-index.ts";
import { ggufModel, type OllamaEmulator, startOllamaEmulator } from "../../test/ollama-emulator/server.ts";
import { FIXTURE_WARNING } from "../src/catalog/get-index.ts";

const fresh = () => mkdtempSync(join(tmpdir(), "sli-honest-"));
const emptyPath = fresh();
let good: IndexServer;
let failing: IndexServer;
let emulator: OllamaEmulator;

beforeAll(async () => {
  good = await startIndexServer(JSON.stringify({ ...sampleIndex(), fixture: undefined }));
  failing = await startIndexServer(JSON.stringify(sampleIndex()), "500");
  emulator = await startOllamaEmulator({
    registry: [ggufModel("hf.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M", 300_000_000)],
    chunkBytes: 1e9,
    lineDelayMs: 0,
  });
});
afterAll(async () => {
  await Promise.all([good.close(), failing.close(), emulator.close()]);
});

function cli(args: string[], env: Record<string, string | undefined> = {}) {
  return cliInProcess(args, {
    env: {
      SMALL_LLM_INDEX_URL: undefined,
      SMALL_LLM_CACHE_DIR: fresh(),
      SMALL_LLM_STATE_DIR: fresh(),
      OLLAMA_HOST: emulator.hostPort,
      PATH: emptyPath,
      ...env,
    },
  });
}

describe("which data is shown", () => {
  it("an index marked fixture is called test data on stderr, and in the library's result", async () => {
    const r = await cli(["models", "--index-url", FIXTURE_INDEX_DIR]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /warning: this index is marked `fixture`: test data .* not the models on the real Hugging Face Hub/,
    );
    expect(r.stderr).toMatch(/from the file file:\/\/.*\/v1\/index\.json/);
    const { getIndex } = await import("../src/catalog/get-index.ts");
    const result = await getIndex({ urls: [FIXTURE_INDEX_DIR], cacheDir: fresh() });
    expect(result.warnings).toContain(FIXTURE_WARNING);
    // A real index says nothing of the kind.
    const real = await cli(["models"], { SMALL_LLM_INDEX_URL: good.url });
    expect(real.stderr).not.toContain("fixture");
  });

  it("--offline with an empty cache uses the bundled snapshot, and says it is a small offline copy (and test data)", async () => {
    const r = await cli(["models", "--offline"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/from bundled, .* an offline copy of only \d+ well-known models/);
    expect(r.stderr).toContain("marked `fixture`");
  });
});

describe("an index the user chose", () => {
  it("that fails is exit 7 naming the URL and why, not the bundled snapshot", async () => {
    for (const env of [{ SMALL_LLM_INDEX_URL: failing.url }, {}]) {
      const args = env.SMALL_LLM_INDEX_URL ? ["models"] : ["models", "--index-url", failing.url];
      const r = await cli(args, env);
      expect(r.code, r.stderr).toBe(7);
      expect(r.stderr).toContain("the index you chose could not be loaded, so nothing else is used in its place");
      expect(r.stderr).toContain(`${failing.url}: [GET] "${failing.url}": 500`);
      expect(r.stdout).toBe("");
    }
    const typo = await cli(["models", "--index-url", "htp://example.org/v1/index.json"]);
    expect(typo.code).toBe(7);
    expect(typo.stderr).toContain('"htp://example.org/v1/index.json" is not an http:// or https:// URL');
    const missing = await cli(["models", "--index-url", "/nonexistent/index.json"]);
    expect(missing.code).toBe(7);
    expect(missing.stderr).toContain("/nonexistent/index.json: no such file");
  });

  it("that answered once may stand in from the cache when it fails later, with a warning", async () => {
    const cache = fresh();
    const server = await startIndexServer(JSON.stringify(sampleIndex()));
    try {
      expect(
        (await cli(["models", "--json"], { SMALL_LLM_INDEX_URL: server.url, SMALL_LLM_CACHE_DIR: cache })).code,
      ).toBe(0);
      server.mode = "500";
      const r = await cli(["refresh"], { SMALL_LLM_INDEX_URL: server.url, SMALL_LLM_CACHE_DIR: cache });
      expect(r.code).toBe(7);
      expect(r.stderr).toContain(`${server.url} failed (`);
      expect(r.stderr).toMatch(/could not refresh the index:[\s\S]*Still using the stale-cache copy/);
    } finally {
      await server.close();
    }
  });

  it("a path or file:// URL to what the pipeline wrote works, a folder or the file itself", async () => {
    const out = fresh();
    cpSync(FIXTURE_INDEX_DIR, out, { recursive: true });
    for (const where of [out, join(out, "v1", "index.json"), pathToFileURL(join(out, "v1", "index.json")).href]) {
      const r = await cli(["models", "--json", "--limit", "3"], { SMALL_LLM_INDEX_URL: where });
      expect(r.code, `${where}: ${r.stderr}`).toBe(0);
      expect(JSON.parse(r.stdout)).toHaveLength(3);
    }
    // Read fresh each time: a pipeline re-run is seen at once, never an older cached copy.
    const one = sampleIndex();
    writeFileSync(join(out, "v1", "index.json"), JSON.stringify(one));
    const r = await cli(["models", "--json"], { SMALL_LLM_INDEX_URL: out });
    expect(JSON.parse(r.stdout)).toHaveLength(one.models.length);
    rmSync(out, { recursive: true, force: true });
  });
});

describe("folders that cannot be made", () => {
  it("a cache dir under /proc costs a warning within a second, not a spinning process", async () => {
    const started = performance.now();
    const r = await cli(["models", "--json"], { SMALL_LLM_INDEX_URL: good.url, SMALL_LLM_CACHE_DIR: "/proc/nope" });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /could not cache the index in \/proc\/nope \(cannot create the cache directory \(SMALL_LLM_CACHE_DIR\) \/proc\/nope: the file system at \/proc does not allow creating folders/,
    );
  });

  it("a state dir under /proc is one clear error (exit 1) where it is needed, and a warning where it is not", async () => {
    const bin = fresh();
    writeFileSync(join(bin, "ollama"), "#!/bin/sh\nexit 1\n", { mode: 0o755 });
    const started = performance.now();
    const r = await cli(["server", "start"], {
      SMALL_LLM_STATE_DIR: "/proc/nope",
      PATH: bin,
      OLLAMA_HOST: "127.0.0.1:9",
    });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([
      "small-llm: cannot create the state directory (SMALL_LLM_STATE_DIR) /proc/nope/logs: the file system at /proc does not allow creating folders. Point it at a folder you can write to.",
    ]);
    // A run needs the state dir only for its usage line: it answers, and says the line was not written.
    const run = await cli(["run", "hf.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M", "hi"], {
      SMALL_LLM_STATE_DIR: "/proc/nope",
      SMALL_LLM_INDEX_URL: good.url,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("You said: hi");
    expect(run.stderr).toContain(
      "warning: usage not recorded: cannot create the state directory (SMALL_LLM_STATE_DIR) /proc/nope/metrics",
    );
  });
});
