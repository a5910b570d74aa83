/**
 * What tripped up a new user, each as the message and exit code it must give (issue: a newcomer's
 * first hour). The built binary against the Ollama emulator, an index server, and servers that are
 * not Ollama at all.
 */
import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliInProcess } from "../../test/helpers/cli-in-process.ts";
import { randomPort } from "../../test/helpers/fake-ollama.ts";
import { type IndexServer, startIndexServer } from "../../test/helpers/index-server.ts";
import { listenLocal } from "../../test/helpers/listen.ts";
import { sampleIndex } from "../../test/helpers/sample-index.ts";
import { ggufModel, type OllamaEmulator, startOllamaEmulator } from "../../test/ollama-emulator/server.ts";

const CLI = new URL("../dist/cli.js", import.meta.url).pathname;
const QWEN = "hf.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M";
const QWEN_ID = "Qwen/Qwen2.5-0.5B-Instruct";
let emulator: OllamaEmulator;
let slow: OllamaEmulator;
let indexServer: IndexServer;
let notOllama: { url: string; hostPort: string; close(): Promise<void> };
const emptyPath = mkdtempSync(join(tmpdir(), "sli-nopath-"));
const fresh = () => mkdtempSync(join(tmpdir(), "sli-nc-"));

function cli(args: string[], env: Record<string, string> = {}, input?: string) {
  return cliInProcess(args, {
    env: {
      SMALL_LLM_INDEX_URL: indexServer.url,
      SMALL_LLM_CACHE_DIR: fresh(),
      SMALL_LLM_STATE_DIR: fresh(),
      OLLAMA_HOST: emulator.hostPort,
      PATH: emptyPath,
      ...env,
    },
    ...(input !== undefined ? { input } : {}),
  });
}

beforeAll(async () => {
  emulator = await startOllamaEmulator({
    registry: [ggufModel(QWEN, 300_000_000)],
    chunkBytes: 30_000_000,
    lineDelayMs: 0,
  });
  slow = await startOllamaEmulator({
    registry: [ggufModel(QWEN, 30_000_000_000)],
    chunkBytes: 10_000_000,
    lineDelayMs: 20,
  });
  indexServer = await startIndexServer(JSON.stringify(sampleIndex()));
  const server = createServer((_req, res) => {
    res.writeHead(404, { "content-type": "text/html" });
    res.end("<!doctype html><html><head><title>Welcome to nginx</title></head><body>hi</body></html>");
  });
  const { port, close } = await listenLocal(server);
  notOllama = { url: `http://127.0.0.1:${port}`, hostPort: `127.0.0.1:${port}`, close };
});
afterAll(async () => {
  await Promise.all([emulator.close(), slow.close(), indexServer.close(), notOllama.close()]);
});

describe("the command line parses as written", () => {
  it("a global option before the command does not swallow it", async () => {
    const r = await cli(["--index-url", indexServer.url, "refresh", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ source: "network", url: indexServer.url });
  });

  it("--option before the prompt does not swallow the prompt", async () => {
    const r = await cli(["run", QWEN_ID, "--option", "temperature=0.2", "hello"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("You said: hello");
    const generate = emulator.requests.filter((x) => x.path === "/api/generate").at(-1);
    expect(generate?.body).toMatchObject({ prompt: "hello", options: { temperature: 0.2 } });
  });

  it.each([
    [["models", "--limit", "abc"], /--limit takes a whole number above 0, not "abc"/],
    [["models", "--limit", "-1"], /--limit takes a whole number above 0/],
    [["models", "--task", "cooking"], /--task takes one of chat, code/],
    [["models", "--tier", "2b"], /--tier takes one of sub-1b, 1b-8b, not "2b"/],
    [["recommend", "--context", "0"], /--context takes a whole number above 0/],
  ])("%j → exit 2, saying what the option takes", async (args, message) => {
    const r = await cli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it("--installable leaves out entries Ollama cannot install", async () => {
    const index = sampleIndex();
    const noGguf = { ...index.models[0], id: "x/no-gguf", name: "no-gguf", author: "x", install: [], fit: [] };
    const server = await startIndexServer(JSON.stringify({ ...index, models: [...index.models, noGguf] }));
    try {
      const all = JSON.parse((await cli(["models", "--json"], { SMALL_LLM_INDEX_URL: server.url })).stdout);
      const installable = JSON.parse(
        (await cli(["models", "--json", "--installable"], { SMALL_LLM_INDEX_URL: server.url })).stdout,
      );
      expect(all.map((m: { id: string }) => m.id)).toContain("x/no-gguf");
      expect(installable.map((m: { id: string }) => m.id)).not.toContain("x/no-gguf");
      expect(installable).toHaveLength(all.length - 1);
    } finally {
      await server.close();
    }
  });
});

describe("output", () => {
  it("a closed pipe ends quietly, without an EPIPE stack trace", async () => {
    const big = sampleIndex(
      Array.from({ length: 400 }, (_, i) => ({ ...sampleIndex().models[0], id: `m/model-${i}` }) as never),
    );
    const server = await startIndexServer(JSON.stringify(big));
    try {
      const child = spawn(process.execPath, [CLI, "models", "--json"], {
        env: { ...process.env, SMALL_LLM_INDEX_URL: server.url, SMALL_LLM_CACHE_DIR: fresh() },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (d) => {
        stderr += d;
      });
      child.stdout.once("data", () => child.stdout.destroy()); // like `| head -c 100`
      const code = await new Promise((resolve) => child.on("close", resolve));
      expect(stderr).not.toMatch(/EPIPE|at .*\(.*:\d+:\d+\)/);
      expect(code).toBe(0);
    } finally {
      await server.close();
    }
  });

  it("recommend and show say which index they used", async () => {
    for (const args of [
      ["recommend", "--fits", "8"],
      ["show", QWEN_ID],
    ]) {
      const r = await cli(args);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/index 2026-11-23\.3f9a1c2b \(2 models\) from network/);
    }
    const offline = await cli(["recommend", "--fits", "8", "--offline"]);
    expect(offline.stderr).toMatch(/from bundled, .* an offline copy of only \d+ well-known models/);
  });

  it("a cache directory that cannot be written still uses the fetched index, and says so", async () => {
    const parent = fresh();
    writeFileSync(join(parent, "file"), "");
    const r = await cli(["models", "--json"], { SMALL_LLM_CACHE_DIR: join(parent, "file", "cache") });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(2); // the network's two models, not the bundled snapshot
    expect(r.stderr).toMatch(/warning: could not cache the index in .*; using it anyway/);
  });
});

describe("Ollama that is not there, not Ollama, or dies", () => {
  it("OLLAMA_HOST at a server that is not Ollama says so (exit 3), for list and install", async () => {
    for (const args of [["list"], ["install", QWEN_ID], ["status"]]) {
      const r = await cli(args, { OLLAMA_HOST: notOllama.hostPort });
      expect(r.code, `${args}: ${r.stderr}`).toBe(3);
      expect(r.stderr).toMatch(
        new RegExp(`the server at ${notOllama.url} is not Ollama \\(it answered HTTP 404: "Welcome to nginx"\\)`),
      );
      expect(r.stderr + r.stdout).not.toMatch(/Getting text from response|<html/);
    }
  });

  it("status --check exits 3 when Ollama does not answer, 0 when it does", async () => {
    expect((await cli(["status", "--check"], { OLLAMA_HOST: "127.0.0.1:9" })).code).toBe(3);
    expect((await cli(["status"], { OLLAMA_HOST: "127.0.0.1:9" })).code).toBe(0);
    expect((await cli(["status", "--check"])).code).toBe(0);
  });

  it("an `ollama` that exits at once stops the wait and shows the end of its log", async () => {
    const bin = fresh();
    writeFileSync(
      join(bin, "ollama"),
      '#!/bin/sh\necho "Error: listen tcp 127.0.0.1:11434: bind: address already in use" >&2\nexit 1\n',
    );
    chmodSync(join(bin, "ollama"), 0o755);
    const r = await cli(["list"], { PATH: bin, OLLAMA_HOST: `127.0.0.1:${randomPort()}` });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/serve` stopped at once \(exit code 1\)/);
    expect(r.stderr).toContain("bind: address already in use");
  });

  it("--no-pull on a known model that is not installed names the exact install command (exit 4)", async () => {
    const r = await cli(["run", QWEN_ID, "--no-pull", "hi"], { OLLAMA_HOST: slow.hostPort });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`is not installed. Install it with: small-llm install ${QWEN_ID}`);
    expect(r.stderr).not.toContain("unknown model");
  });

  it("Ctrl-C during a pull ends the progress line and says the pull resumes (exit 130)", async () => {
    const state = fresh();
    mkdirSync(state, { recursive: true });
    const child = spawn(process.execPath, [CLI, "install", QWEN_ID], {
      env: {
        ...process.env,
        SMALL_LLM_INDEX_URL: indexServer.url,
        SMALL_LLM_CACHE_DIR: fresh(),
        SMALL_LLM_STATE_DIR: state,
        OLLAMA_HOST: slow.hostPort,
        PATH: emptyPath,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
      if (/pulling [0-9a-f]{12}:/.test(stderr) && !child.killed) child.kill("SIGINT");
    });
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(code).toBe(130);
    expect(stderr).toMatch(/run the same command again to resume it/);
    expect(stderr.endsWith("\n")).toBe(true);
  });
});
