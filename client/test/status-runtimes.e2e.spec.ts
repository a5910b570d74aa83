/** `small-llm status` lists the other runtimes it finds, beside Ollama, in text and JSON. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliInProcess } from "../../test/helpers/cli-in-process.ts";
import { type IndexServer, startIndexServer } from "../../test/helpers/index-server.ts";
import { sampleIndex } from "../../test/helpers/sample-index.ts";
import { type OllamaEmulator, startOllamaEmulator } from "../../test/ollama-emulator/server.ts";
import { type OpenAIEmulator, startOpenAIEmulator, startStrangerServer } from "../../test/openai-emulator/server.ts";

const _CLI = new URL("../dist/cli.js", import.meta.url).pathname;
let ollama: OllamaEmulator;
let llama: OpenAIEmulator;
let vllm: OpenAIEmulator;
let jan: OpenAIEmulator;
let stranger: { url: string; close(): Promise<void> };
let indexServer: IndexServer;
const emptyPath = mkdtempSync(join(tmpdir(), "sli-nopath-"));
const cacheDir = mkdtempSync(join(tmpdir(), "sli-status-"));

function cli(args: string[], env: Record<string, string | undefined> = {}) {
  return cliInProcess(args, {
    env: {
      SMALL_LLM_INDEX_URL: indexServer.url,
      SMALL_LLM_CACHE_DIR: cacheDir,
      OLLAMA_HOST: ollama.hostPort,
      PATH: emptyPath,
      // Only the servers this test starts: whatever listens on this machine's default ports stays out.
      SMALL_LLM_SCAN_DEFAULT_PORTS: "0",
      SMALL_LLM_RUNTIMES: `${llama.url}, ${vllm.url} jan=${jan.url},${stranger.url}`,
      JAN_API_KEY: undefined,
      ...env,
    },
  });
}

beforeAll(async () => {
  ollama = await startOllamaEmulator({ registry: [], lineDelayMs: 0 });
  llama = await startOpenAIEmulator({ flavour: "llamacpp", models: ["qwen2.5-0.5b-instruct-q4_k_m.gguf"] });
  vllm = await startOpenAIEmulator({ flavour: "vllm", models: ["Qwen/Qwen2.5-0.5B-Instruct", "\u001b[31mred"] });
  jan = await startOpenAIEmulator({ flavour: "jan", apiKey: "sk-jan-secret" });
  stranger = await startStrangerServer("html");
  indexServer = await startIndexServer(JSON.stringify(sampleIndex()));
});
afterAll(async () => {
  await Promise.all([ollama, llama, vllm, jan, stranger, indexServer].map((s) => s.close()));
});

describe("small-llm status with other runtimes", () => {
  it("lists each runtime found with its URL, kind and models; skips what is not a runtime", async () => {
    const r = await cli(["status"]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(/^Ollama 0\.33\.0 at /);
    expect(lines).toContain("Other runtimes:");
    expect(r.stdout).toContain(
      `  llama.cpp llama-server b6500-00dc805 at ${llama.url}: 1 model — qwen2.5-0.5b-instruct-q4_k_m.gguf`,
    );
    expect(r.stdout).toContain(`  vLLM 0.11.0 at ${vllm.url}: 2 models — Qwen/Qwen2.5-0.5B-Instruct, [31mred`);
    expect(r.stdout).not.toContain("\u001b"); // a server's names never drive the terminal
    expect(r.stdout).toContain(`  Jan at ${jan.url}: needs an API key: set JAN_API_KEY`);
    expect(r.stdout).not.toContain(stranger.url);
  });

  it("--json is the one status shape: Ollama's own status, every runtime, and the others that answer; a key is never printed", async () => {
    const r = await cli(["status", "--json"], { JAN_API_KEY: "sk-jan-secret" });
    expect(r.code, r.stderr).toBe(0);
    const status = JSON.parse(r.stdout);
    expect(status).toMatchObject({ kind: "ollama", reachable: true });
    expect(status.runtimes).toMatchObject([{ kind: "ollama", reachable: true }, { kind: "embedded" }]);
    expect(status).toHaveProperty("hardware");
    expect(status).toHaveProperty("index");
    expect(status.others).toEqual([
      { kind: "llamacpp", baseUrl: llama.url, version: "b6500-00dc805", models: ["qwen2.5-0.5b-instruct-q4_k_m.gguf"] },
      { kind: "vllm", baseUrl: vllm.url, version: "0.11.0", models: ["Qwen/Qwen2.5-0.5B-Instruct", "\u001b[31mred"] },
      { kind: "jan", baseUrl: jan.url, models: ["qwen2.5-0.5b-instruct"] },
    ]);
    expect(r.stdout + r.stderr).not.toContain("sk-jan-secret");
  });

  it("--check still exits 3 when Ollama does not answer, and still lists the others", async () => {
    const r = await cli(["status", "--check"], { OLLAMA_HOST: "127.0.0.1:9" });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("Ollama at http://127.0.0.1:9: not running");
    expect(r.stdout).toContain(`vLLM 0.11.0 at ${vllm.url}`);
  });

  it("says when none answer, and how to add addresses", async () => {
    const r = await cli(["status"], { SMALL_LLM_RUNTIMES: stranger.url });
    expect(r.stdout).toContain("Other runtimes: none answering");
    expect(r.stdout).toContain("SMALL_LLM_RUNTIMES");
  });

  it("a kind SMALL_LLM_RUNTIMES does not know is a usage error (exit 2) that lists the kinds", async () => {
    const r = await cli(["status"], { SMALL_LLM_RUNTIMES: `lmstuido=${llama.url}` });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/"lmstuido" is not a runtime kind; use one of .*lmstudio/);
  });
});
