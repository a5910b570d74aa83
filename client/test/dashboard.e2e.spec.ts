/**
 * The dashboard in headless Chromium, served by the built `small-llm serve` against the Ollama
 * emulator: recommendations and the plan-for control, install with live progress and cancel,
 * update (changed or not), try (streamed, escaped), remove, refresh, and the errors a user sees —
 * disk full, Ollama down — and starting a stopped Ollama.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../../test/helpers/browser.ts";
import { fakeOllamaBinDir, randomPort } from "../../test/helpers/fake-ollama.ts";
import { type IndexServer, startIndexServer } from "../../test/helpers/index-server.ts";
import { sampleIndex } from "../../test/helpers/sample-index.ts";
import { ggufModel, type OllamaEmulator, startOllamaEmulator } from "../../test/ollama-emulator/server.ts";
import { type OpenAIEmulator, startOpenAIEmulator } from "../../test/openai-emulator/server.ts";

const CLI = new URL("../dist/cli.js", import.meta.url).pathname;
const QWEN = "hf.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M";
const LLAMA = "hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M";
const emptyPath = mkdtempSync(join(tmpdir(), "sli-nopath-"));
let emulator: OllamaEmulator;
let lmstudio: OpenAIEmulator;
let indexServer: IndexServer;
let browser: Browser;
const servers: ChildProcess[] = [];
const startedPids: number[] = [];

/** `small-llm serve --port 0`, resolved with its URL once it listens. */
function serve(env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, [CLI, "--json", "serve", "--port", "0"], {
    env: {
      ...process.env,
      SMALL_LLM_INDEX_URL: indexServer.url,
      SMALL_LLM_CACHE_DIR: mkdtempSync(join(tmpdir(), "sli-dash-")),
      SMALL_LLM_STATE_DIR: mkdtempSync(join(tmpdir(), "sli-dash-state-")),
      PATH: emptyPath,
      SMALL_LLM_SCAN_DEFAULT_PORTS: "0", // a real runtime on this machine's default ports must not leak in
      SMALL_LLM_DETECT: "0",
      SMALL_LLM_CONFIG_DIR: mkdtempSync(join(tmpdir(), "sli-dash-config-")),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  servers.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
      const line = out.split("\n")[0];
      if (out.includes("\n") && line) resolve(JSON.parse(line).url);
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("exit", (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

/** A page that records every request, so the test can check none left the machine. */
async function open(url: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("response", async (r) => {
    if (r.url().endsWith("/api/runtime/start") && r.ok()) startedPids.push((await r.json()).pid);
  });
  await page.goto(`${url}/`);
  await page.waitForSelector("body[data-ready='1']");
  return { page, requests, errors };
}

/** Wait for the page to catch up: generous, for a busy 2-core machine; never a fixed sleep. */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 45_000, interval: 50 });

/** Change what the recommendations plan for, and wait until the newest list is drawn. */
async function planFor(page: Page, value: string, gb?: string): Promise<void> {
  await page.selectOption("#plan-for", value);
  if (gb) {
    await page.fill("#custom-gb", gb);
    await page.locator("#custom-gb").blur(); // a typed number takes effect on leaving the field
  }
  await poll(() => page.locator("#recommended").getAttribute("data-settled")).toBe("1");
}

const card = (page: Page, id: string) => page.locator(`li.card[data-model="${id}"]`);
const row = (page: Page, name: string) => page.locator(`tr[data-name="${name}"]`);

beforeAll(async () => {
  emulator = await startOllamaEmulator({
    registry: [ggufModel(QWEN, 600_000_000), ggufModel(LLAMA, 2_000_000_000)],
    chunkBytes: 5_000_000,
    lineDelayMs: 25, // slow enough to watch the bar move: ~3 s for Qwen, ~10 s for Llama
  });
  indexServer = await startIndexServer(JSON.stringify(sampleIndex()));
  lmstudio = await startOpenAIEmulator({ flavour: "lmstudio", models: ["qwen2.5-0.5b-instruct"], tokenDelayMs: 0 });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  for (const s of servers) s.kill("SIGINT");
  for (const pid of startedPids) {
    try {
      process.kill(pid);
    } catch {
      // already gone
    }
  }
  await emulator?.close();
  await lmstudio?.close();
  await indexServer?.close();
});

describe("the dashboard, with Ollama running", () => {
  let page: Page;
  let requests: string[];
  let url: string;

  beforeAll(async () => {
    url = await serve({ OLLAMA_HOST: emulator.hostPort, SMALL_LLM_RUNTIMES: `lmstudio=${lmstudio.url}` });
    ({ page, requests } = await open(url));
  });

  it("shows the runtime, the hardware, and recommendations in two tiers", async () => {
    await poll(() => page.locator("#runtime").textContent()).toContain("Ollama 0.33.0");
    expect(await page.locator("#runtime .others").textContent()).toBe(
      `Also answering: LM Studio at ${lmstudio.url} (1 model)`,
    );
    expect(await page.locator("#hardware").textContent()).toMatch(/^This machine: .* RAM/);
    expect(await page.locator("#index-info").textContent()).toContain("2026-11-23.3f9a1c2b");
    // Plan for a 16 GB CPU machine, whatever this one is: both sample models fit it.
    await planFor(page, "cpu-16gb");
    expect(await page.locator("#rec-1b-8b li.card").count()).toBe(1);
    expect(await page.locator("#rec-sub-1b li.card").count()).toBe(1);
    // On that CPU's 51 GB/s Q8_0 would cost more speed than it is worth: Q4_K_M, and how fast it answers.
    expect(await card(page, "Qwen/Qwen2.5-0.5B-Instruct").textContent()).toMatch(/Q4_K_M · ~\d+ tokens\/s/);
    // A 2 GB GPU holds only the small one, at Q4_K_M.
    await planFor(page, "custom", "2");
    expect(await page.locator("#rec-1b-8b").textContent()).toContain("Nothing in this tier fits");
    expect(await card(page, "Qwen/Qwen2.5-0.5B-Instruct").textContent()).toContain("Q4_K_M");
  });

  it("installs with live progress, then lists the model as installed", async () => {
    const qwen = card(page, "Qwen/Qwen2.5-0.5B-Instruct");
    await qwen.getByRole("button", { name: "Install" }).click();
    await poll(() => qwen.locator(".pull-status").textContent()).toMatch(/pulling \w+: .* of 600 MB/);
    expect(await qwen.locator("progress").count()).toBe(1);
    await poll(() => qwen.locator(".card-status").textContent()).toBe(`Installed ${QWEN}`);
    await poll(() => row(page, QWEN).count()).toBe(1);
    expect(await row(page, QWEN).textContent()).toContain("Qwen/Qwen2.5-0.5B-Instruct");
    expect(await qwen.getByRole("button").textContent()).toBe("Installed");
  });

  it("cancels an install, saying that installing again resumes", async () => {
    await planFor(page, "cpu-16gb");
    const llama = card(page, "meta-llama/Llama-3.2-3B-Instruct");
    await llama.getByRole("button", { name: "Install" }).click();
    await poll(() => llama.locator(".pull-status").textContent()).toContain(" of 2 GB");
    await llama.getByRole("button", { name: "Cancel" }).click();
    await poll(() => llama.locator(".card-status").textContent()).toContain("Cancelled");
    expect(await page.locator("#errors .error").count()).toBe(0);
    expect(await llama.getByRole("button", { name: "Install" }).isEnabled()).toBe(true);
  });

  it("updates, saying whether anything changed", async () => {
    const r = row(page, QWEN);
    await r.getByRole("button", { name: "Update" }).click();
    await poll(() => r.locator(".row-status").textContent()).toBe("Already up to date");
    emulator.republish(QWEN, "rebuilt");
    await r.getByRole("button", { name: "Update" }).click();
    await poll(() => page.locator(`tr[data-name="${QWEN}"] .row-status`).textContent()).toMatch(
      /^Updated: [0-9a-f]{12} → [0-9a-f]{12}$/,
    );
  });

  it("tries a model: the answer streams in as text, never markup, with tokens/s", async () => {
    expect(await page.locator("#metrics").textContent()).toContain("No delegated calls");
    const r = row(page, QWEN);
    await r.getByRole("button", { name: "Try" }).click();
    const panel = page.locator(".try");
    const attack = `<img src=x onerror="window.__pwned=1">`;
    await panel.locator("textarea").fill(attack);
    await panel.getByRole("button", { name: "Run" }).click();
    await poll(() => panel.locator(".stats").textContent()).toMatch(/\d+ tokens · [\d.]+ tokens\/s/);
    expect(await panel.locator(".answer").textContent()).toContain(`You said: ${attack}`);
    expect(await panel.locator(".answer img").count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    // It went through delegate(), so the usage summary counts it.
    await poll(() => page.locator("#metrics").textContent()).toContain("Last 30 days: 1 call, 100 % answered");
    expect(await page.locator("#metrics table.metrics td").first().textContent()).toBe(QWEN);
  });

  it("refreshes the index, and says when it had to fall back", async () => {
    await page.getByRole("button", { name: "Refresh" }).click();
    await poll(() => page.locator("#refresh-note").textContent()).toContain("Refreshed: index 2026-11-23.3f9a1c2b");
    indexServer.mode = "500";
    try {
      await page.getByRole("button", { name: "Refresh" }).click();
      await poll(() => page.locator("#refresh-note").textContent()).toContain("Could not reach the index mirrors");
    } finally {
      indexServer.mode = "ok";
    }
  });

  it("shows a full disk as an error on the card and at the top", async () => {
    emulator.faults.push({ path: "/api/pull", model: LLAMA, times: 1, kind: "disk-full", afterLines: 3 });
    emulator.republish(LLAMA, "other-build"); // no partial download left to resume past the fault
    const llama = card(page, "meta-llama/Llama-3.2-3B-Instruct");
    await llama.getByRole("button", { name: "Install" }).click();
    await poll(() => llama.locator(".card-status .bad").textContent()).toContain("the disk is full");
    await poll(() => page.locator('#errors .error[data-code="disk-full"]').count()).toBe(1);
    await page.locator("#errors").getByRole("button", { name: "Dismiss" }).click();
    expect(await page.locator("#errors .error").count()).toBe(0);
  });

  it("removes a model after a second click", async () => {
    const remove = row(page, QWEN).getByRole("button", { name: "Remove" });
    await remove.click();
    expect(await remove.textContent()).toBe("Click again to remove");
    expect(emulator.installed()).toContain(QWEN);
    await remove.click();
    await poll(() => row(page, QWEN).count()).toBe(0);
    expect(await page.locator("#installed-rows").textContent()).toContain("No models installed yet");
  });

  it("never asked anything of another host", () => {
    expect(requests.length).toBeGreaterThan(10);
    for (const r of requests) expect(r.startsWith(`${url}/`), r).toBe(true);
  });
});

describe("the dashboard, with Ollama down", () => {
  it("says Ollama is missing and how to set it up, and shows the error", async () => {
    const url = await serve({ OLLAMA_HOST: "127.0.0.1:9" });
    const { page, errors } = await open(url);
    await poll(() => page.locator("#runtime").textContent()).toContain("No Ollama answers at http://127.0.0.1:9");
    expect(await page.locator("#runtime code").textContent()).toBe("small-llm setup");
    await poll(() => page.locator('#errors .error[data-code="ollama-not-installed"]').count()).toBe(1);
    expect(await page.locator("#installed-rows").textContent()).toContain("Ollama is not installed");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("starts an installed but stopped Ollama with one click", async () => {
    const hostPort = `127.0.0.1:${randomPort()}`;
    const url = await serve({ OLLAMA_HOST: hostPort, PATH: `${fakeOllamaBinDir()}:${process.env.PATH}` });
    const { page } = await open(url);
    await poll(() => page.locator("#runtime").textContent()).toContain("installed");
    await page.getByRole("button", { name: "Start the server" }).click();
    await poll(() => page.locator("#runtime").textContent()).toContain("Ollama 0.33.0");
    expect(startedPids.length).toBe(1);
    await page.close();
  });
});
