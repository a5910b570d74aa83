/** The built site in headless Chromium (Debian's chromium, driven by playwright-core). */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Index, ModelEntry } from "../../schema/index.ts";
import { launchBrowser } from "../../test/helpers/browser.ts";
import { fixtureIndex } from "../../test/helpers/fixture-index.ts";
import { serveStatic } from "../../test/helpers/static-server.ts";
import { BASE, buildSite } from "./build-site.ts";

const XSS = `<script>alert("xss")</script><img src=x onerror=alert(2)>`;
const fixture = fixtureIndex();
const hostile: ModelEntry = {
  ...(fixture.models.find((m) => m.id === "Qwen/Qwen2.5-0.5B-Instruct") as ModelEntry),
  id: "evil/xss-model",
  author: "evil",
  name: XSS,
  downloads: 1,
};
// 30 more copies of a 7B model (fits no 4 GB GPU) take the index past one page of 100 rows.
const seven = fixture.models.find((m) => m.id === "Qwen/Qwen2.5-7B-Instruct") as ModelEntry;
const fillers = Array.from({ length: 30 }, (_, i) => ({
  ...seven,
  id: `filler/model-${String(i).padStart(2, "0")}`,
  author: "filler",
  name: `model-${i}`,
  downloads: i,
}));
const index: Index = {
  ...fixture,
  models: [...fixture.models, hostile, ...fillers].sort((a, b) => (a.id < b.id ? -1 : 1)),
};
const PAGE = 100;

let browser: Browser;
let server: Awaited<ReturnType<typeof serveStatic>>;
let outDir: string;
const problems: string[] = [];

async function open(path: string): Promise<Page> {
  const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const page = await context.newPage();
  page.on(
    "console",
    (m) =>
      m.type() === "error" && problems.push(`console error on ${path}: ${m.text()} ${JSON.stringify(m.location())}`),
  );
  page.on("pageerror", (e) => problems.push(`page error on ${path}: ${e.message}`));
  page.on("dialog", (d) => {
    problems.push(`dialog on ${path}: ${d.message()}`);
    void d.dismiss();
  });
  page.on("request", (r) => {
    const host = new URL(r.url()).hostname;
    if (host !== "127.0.0.1" && !r.url().startsWith("data:")) problems.push(`request left localhost: ${r.url()}`);
  });
  const response = await page.goto(`${server.url}${path}`);
  expect(response?.status(), path).toBe(200);
  return page;
}
const visibleRows = (page: Page) => page.locator("#models tbody tr:not([hidden])");

beforeAll(async () => {
  ({ outDir } = await buildSite(index));
  server = await serveStatic(outDir, BASE);
  browser = await launchBrowser();
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("the site", () => {
  it.each([
    "/",
    "/browse/",
    "/changelog/",
    "/data/",
    "/models/Qwen/Qwen2.5-0.5B-Instruct/",
  ])("renders %s", async (path) => {
    const page = await open(path);
    await expect(page.locator("h1").count()).resolves.toBe(1);
    await expect(page.locator("main").isVisible()).resolves.toBe(true);
    await page.context().close();
  });

  it("has a page for every entry, and publishes the data files beside them", () => {
    const pages = (dir: string): number =>
      readdirSync(dir, { withFileTypes: true }).reduce(
        (n, e) => n + (e.isDirectory() ? pages(join(dir, e.name)) : e.name === "index.html" ? 1 : 0),
        0,
      );
    expect(pages(join(outDir, "models"))).toBe(index.models.length);
    expect(JSON.parse(readFileSync(join(outDir, "v1", "index.json"), "utf8")).version).toBe(index.version);
    for (const f of ["index.schema.json", "changelog.json"]) expect(readdirSync(join(outDir, "v1"))).toContain(f);
  });

  it("home shows counts per tier and when the index was generated", async () => {
    const page = await open("/");
    const text = await page.locator("main").innerText();
    const sub = index.models.filter((m) => m.tier === "sub-1b").length;
    expect(text).toMatch(new RegExp(`Below 1B parameters\\s*${sub}\\s*models`));
    expect(text).toContain(index.version);
    await expect(page.locator(`a[href="${BASE}v1/index.json"]`).count()).resolves.toBe(1);
    await page.context().close();
  });

  it("browse filters change the rows and the URL, and a shared URL restores the view", async () => {
    const page = await open("/browse/");
    await expect(visibleRows(page).count()).resolves.toBe(PAGE);
    await page.selectOption("select[name=tier]", "sub-1b");
    const sub = index.models.filter((m) => m.tier === "sub-1b").length;
    await expect(visibleRows(page).count()).resolves.toBe(sub);
    expect(new URL(page.url()).searchParams.get("tier")).toBe("sub-1b");
    await expect(page.locator("#count").innerText()).resolves.toBe(`${sub} of ${index.models.length} models`);

    await page.fill("input[name=q]", "smollm2");
    await expect(visibleRows(page).count()).resolves.toBe(
      index.models.filter((m) => m.tier === "sub-1b" && /smollm2/i.test(`${m.id} ${m.baseModel ?? ""}`)).length,
    );
    await page.fill("input[name=q]", "");

    await page.selectOption("select[name=tier]", "");
    await page.selectOption("select[name=hw]", "gpu-4gb");
    const usable = index.profiles.find((p) => p.id === "gpu-4gb")?.usableBytes ?? 0;
    const fitting = index.models.filter((m) => m.fit.some((f) => f.contextLength === 4096 && f.memoryBytes <= usable));
    await expect(visibleRows(page).count()).resolves.toBe(fitting.length);
    await expect(page.locator("#fit-head").innerText()).resolves.toMatch(/Best fit \(3\.2 GB usable\)/);

    await page.selectOption("select[name=hw]", "custom");
    await page.fill("input[name=gb]", "2");
    await page.selectOption("select[name=kind]", "cpu");
    await expect(visibleRows(page).count()).resolves.toBe(0); // 2 GB of RAM leaves nothing once the OS has its 2 GB
    await page.fill("input[name=gb]", "48");
    await expect(visibleRows(page).count()).resolves.toBe(index.models.filter((m) => m.install.length > 0).length);
    expect(page.url()).toContain("hw=custom&gb=48&kind=cpu");

    await page.selectOption("select[name=sort]", "params");
    const firstParams = await visibleRows(page).first().getAttribute("data-params");
    expect(Number(firstParams)).toBe(
      Math.max(...index.models.filter((m) => m.install.length > 0).map((m) => m.params.total)),
    );

    const shared = page.url();
    const again = await open(shared.slice(server.url.length));
    await expect(again.locator("select[name=sort]").inputValue()).resolves.toBe("params");
    await expect(again.locator("input[name=gb]").inputValue()).resolves.toBe("48");
    await expect(visibleRows(again).count()).resolves.toBe(await visibleRows(page).count());
    await page.context().close();
    await again.context().close();
  });

  it("shows 100 rows at a time, and the rest on request", async () => {
    const page = await open("/browse/");
    await expect(visibleRows(page).count()).resolves.toBe(PAGE);
    await expect(page.locator("#count").innerText()).resolves.toBe(
      `${index.models.length} of ${index.models.length} models (showing the first ${PAGE})`,
    );
    await page.getByRole("button", { name: `Show ${index.models.length - PAGE} more` }).click();
    await expect(visibleRows(page).count()).resolves.toBe(index.models.length);
    await expect(page.locator("#more").isHidden()).resolves.toBe(true);
    await page.context().close();
  });

  it("the copy button puts the install command on the clipboard", async () => {
    const page = await open("/models/Qwen/Qwen2.5-0.5B-Instruct/");
    await page
      .getByRole("button", { name: /Copy: ollama run hf\.co\/Qwen\/Qwen2\.5-0\.5B-Instruct-GGUF:Q4_K_M/ })
      .first()
      .click();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(
      "ollama run hf.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M",
    );
    await page.getByRole("button", { name: "Copy: small-llm install Qwen/Qwen2.5-0.5B-Instruct" }).click();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(
      "small-llm install Qwen/Qwen2.5-0.5B-Instruct",
    );
    await page.context().close();
  });

  it("shows a model name holding <script> as text, everywhere", async () => {
    const page = await open("/models/evil/xss-model/");
    await expect(page.locator("h1").innerText()).resolves.toBe(XSS);
    // The only scripts are the site's own (the copy buttons): none carries the name.
    const scripts = await page.locator("script").evaluateAll((els) => els.map((e) => e.textContent ?? ""));
    expect(scripts.some((t) => t.includes("alert"))).toBe(false);
    const browse = await open("/browse/?q=xss");
    await expect(visibleRows(browse).first().locator("a").innerText()).resolves.toBe(XSS);
    await page.waitForTimeout(200);
    await page.context().close();
    await browse.context().close();
    expect(problems.filter((p) => p.startsWith("dialog"))).toEqual([]);
  });

  it("is keyboard-usable: the first Tab reaches the skip link", async () => {
    const page = await open("/browse/");
    await page.keyboard.press("Tab");
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe("Skip to content");
    await page.context().close();
  });

  it("logged no console errors and made no request that left localhost", () => {
    expect(problems).toEqual([]);
  });
});
