/**
 * Updating Ollama from the dashboard, end to end: a pretend machine where `small-llm setup`
 * installed Ollama 0.33.0 from a loopback releases server, `small-llm serve` on it, and Chromium
 * clicking "Check for updates", then "Update Ollama" once 0.34.0 is out — and the dashboard saying
 * the index it shows is test data.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readlinkSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../../test/helpers/browser.ts";
import { type IndexServer, startIndexServer } from "../../test/helpers/index-server.ts";
import { sampleIndex } from "../../test/helpers/sample-index.ts";
import { buildArchive } from "../../test/ollama-releases/archives.ts";
import { createMachine, type Machine } from "../../test/ollama-releases/machine.ts";
import { type ReleaseServer, startReleaseServer } from "../../test/ollama-releases/server.ts";

const CLI = new URL("../dist/cli.js", import.meta.url).pathname;
const linux = (tag: string) => ({
  name: "ollama-linux-amd64.tar.zst",
  data: buildArchive("linux-tar.zst", tag.slice(1)),
});
let releases: ReleaseServer;
let indexServer: IndexServer;
let machine: Machine;
let browser: Browser;
let serve: ChildProcess | undefined;

beforeAll(async () => {
  releases = await startReleaseServer([{ tag: "v0.33.0", assets: [linux("v0.33.0")] }], "v0.33.0");
  indexServer = await startIndexServer(JSON.stringify(sampleIndex()));
  const registry = sampleIndex().models.flatMap((m) => m.install.map((t) => [t.ref, 3_000_000]));
  machine = await createMachine({
    SMALL_LLM_OLLAMA_RELEASES: releases.apiBase,
    SMALL_LLM_INDEX_URL: indexServer.url,
    SLI_STANDIN_REGISTRY: JSON.stringify(registry),
    SMALL_LLM_DETECT: "0",
    SMALL_LLM_SCAN_DEFAULT_PORTS: "0",
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  serve?.kill("SIGINT");
  await browser?.close();
  await machine?.cleanup();
  await Promise.all([releases?.close(), indexServer?.close()]);
});

const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 60_000, interval: 100 });

describe("the dashboard updates Ollama", () => {
  it("checks, offers the update, updates with its progress, and shows the new version", async () => {
    const setup = await machine.cli(["setup", "--no-model"]);
    expect(setup.code, setup.stderr).toBe(0);
    releases.releases.push({ tag: "v0.34.0", assets: [linux("v0.34.0")] });
    releases.latest = "v0.34.0";
    serve = spawn(process.execPath, [CLI, "--json", "serve", "--port", "0"], {
      env: { ...process.env, ...machine.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      serve?.stdout?.on("data", (d) => {
        out += d;
        if (out.includes("\n")) resolve(JSON.parse(out.split("\n")[0] as string).url);
      });
      serve?.on("exit", (code) => reject(new Error(`serve exited ${code}`)));
    });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${url}/`);
    await page.waitForSelector("body[data-ready='1']");
    await poll(() => page.locator("#runtime").textContent()).toContain("Ollama 0.33.0");
    // The sample index is test data, and the page says so.
    expect(await page.locator("#index-notes").textContent()).toContain("this index is marked `fixture`: test data");

    await page.getByRole("button", { name: "Check for updates" }).click();
    const status = page.locator(".update-status");
    await poll(() => status.textContent()).toContain("Ollama 0.34.0 is available (this is 0.33.0).");
    await page.getByRole("button", { name: "Update Ollama" }).click();
    await poll(() => status.textContent()).toContain("Updated Ollama 0.33.0 → 0.34.0 and restarted the server.");
    await poll(() => page.locator("#runtime").textContent()).toContain("Ollama 0.34.0");
    expect(readlinkSync(join(machine.data, "ollama", "current"))).toBe("0.34.0");
    expect(errors).toEqual([]);
  });
});
