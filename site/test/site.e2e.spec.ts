/** The built site in headless Chromium (Debian's chromium, driven by playwright-core): pages, filters, copy, escaping. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE } from "./build-site.ts";
import { SiteUnderTest } from "./site-browser.ts";
import { PAGE, testIndex, XSS } from "./test-index.ts";

const index = testIndex();
const site = new SiteUnderTest();
const visibleRows = (page: Page) => page.locator("#models tbody tr:not([hidden])");

beforeAll(() => site.start(index), 600_000);
afterAll(() => site.stop());

describe("the site", () => {
  it.each([
    "/",
    "/browse/",
    "/changelog/",
    "/data/",
    "/models/Qwen/Qwen2.5-0.5B-Instruct/",
    "/404.html",
  ])("renders %s", async (path) => {
    const page = await site.open(path);
    await expect(page.locator("h1").count()).resolves.toBe(1);
    await expect(page.locator("main").isVisible()).resolves.toBe(true);
    await page.context().close();
  });

  it("never tells people to fetch small-llm from the npm registry before it is published there", () => {
    for (const page of ["index.html", join("data", "index.html")]) {
      const html = readFileSync(join(site.outDir, page), "utf8");
      expect(html, page).not.toMatch(/npx small-llm|npm install small-llm/);
      expect(html, page).toContain("https://github.com/small-llm-index/small-llm-index#install-the-cli");
    }
  });

  it("has a page for every entry, and publishes the data files beside them", () => {
    const pages = (dir: string): number =>
      readdirSync(dir, { withFileTypes: true }).reduce(
        (n, e) => n + (e.isDirectory() ? pages(join(dir, e.name)) : e.name === "index.html" ? 1 : 0),
        0,
      );
    expect(pages(join(site.outDir, "models"))).toBe(index.models.length);
    expect(JSON.parse(readFileSync(join(site.outDir, "v1", "index.json"), "utf8")).version).toBe(index.version);
    for (const f of ["index.schema.json", "changelog.json"]) expect(readdirSync(join(site.outDir, "v1"))).toContain(f);
  });

  it("home shows counts per tier and when the index was generated", async () => {
    const page = await site.open("/");
    const text = await page.locator("main").innerText();
    const sub = index.models.filter((m) => m.tier === "sub-1b").length;
    expect(text).toMatch(new RegExp(`Below 1B parameters\\s*${sub}\\s*models`));
    expect(text).toContain(index.version);
    await expect(page.locator(`a[href="${BASE}v1/index.json"]`).count()).resolves.toBe(1);
    await page.context().close();
  });

  it("browse filters change the rows and the URL, and a shared URL restores the view", async () => {
    const page = await site.open("/browse/");
    await expect(visibleRows(page).count()).resolves.toBe(PAGE);
    await page.selectOption("select[name=tier]", "sub-1b");
    const sub = index.models.filter((m) => m.tier === "sub-1b").length;
    await expect(visibleRows(page).count()).resolves.toBe(sub);
    expect(new URL(page.url()).searchParams.get("tier")).toBe("sub-1b");
    await expect(page.locator("#count").innerText()).resolves.toBe(`${sub} of ${index.models.length} models`);

    await page.selectOption("select[name=tier]", "");
    await page.getByLabel("GPU VRAM", { exact: true }).check();
    await page.getByRole("button", { name: "4 GB", exact: true }).click();
    const usable = index.profiles.find((p) => p.id === "gpu-4gb")?.usableBytes ?? 0;
    const fitting = index.models.filter((m) => m.fit.some((f) => f.contextLength === 4096 && f.memoryBytes <= usable));
    await expect(visibleRows(page).count()).resolves.toBe(fitting.length);
    await expect(page.locator("#fit-head").innerText()).resolves.toBe("Best fit");
    await expect(page.locator("#count").innerText()).resolves.toContain("fit 4 GB GPU VRAM (3.2 GB usable)");

    await page.getByLabel("CPU RAM", { exact: true }).check();
    await page.fill("input[name=gb]", "2");
    await expect(visibleRows(page).count()).resolves.toBe(0); // 2 GB of RAM leaves nothing once the OS has its 2 GB
    await page.fill("input[name=gb]", "48");
    await expect(visibleRows(page).count()).resolves.toBe(index.models.filter((m) => m.install.length > 0).length);
    expect(page.url()).toContain("kind=cpu&gb=48");

    await page.selectOption("select[name=sort]", "params");
    const firstParams = await visibleRows(page).first().getAttribute("data-params");
    expect(Number(firstParams)).toBe(
      Math.max(...index.models.filter((m) => m.install.length > 0).map((m) => m.params.total)),
    );

    const shared = page.url();
    const again = await site.open(shared.slice(site.url.length));
    await expect(again.locator("select[name=sort]").inputValue()).resolves.toBe("params");
    await expect(again.locator("input[name=gb]").inputValue()).resolves.toBe("48");
    await expect(again.getByLabel("CPU RAM", { exact: true }).isChecked()).resolves.toBe(true);
    await expect(visibleRows(again).count()).resolves.toBe(await visibleRows(page).count());
    await page.context().close();
    await again.context().close();
  });

  it("reads links made before the machine picker (?hw=<profile>)", async () => {
    const page = await site.open("/browse/?hw=gpu-8gb");
    await expect(page.getByLabel("GPU VRAM", { exact: true }).isChecked()).resolves.toBe(true);
    await expect(page.locator("input[name=gb]").inputValue()).resolves.toBe("8");
    expect(page.url()).toContain("kind=gpu&gb=8");
    await page.context().close();
  });

  it("shows 100 rows at a time, and the rest on request", async () => {
    const page = await site.open("/browse/");
    await expect(visibleRows(page).count()).resolves.toBe(PAGE);
    await expect(page.locator("#count").innerText()).resolves.toBe(
      `${index.models.length} of ${index.models.length} models, first ${PAGE} shown`,
    );
    await page.getByRole("button", { name: `Show ${index.models.length - PAGE} more` }).click();
    await expect(visibleRows(page).count()).resolves.toBe(index.models.length);
    await expect(page.locator("#more").isHidden()).resolves.toBe(true);
    // Keyboard users continue at the first row that was added.
    await expect(page.evaluate(() => document.activeElement?.closest("tr")?.rowIndex)).resolves.toBe(PAGE + 1);
    await page.context().close();
  });

  it("the copy button puts the install command on the clipboard", async () => {
    const page = await site.open("/models/Qwen/Qwen2.5-0.5B-Instruct/");
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
    const page = await site.open("/models/evil/xss-model/");
    await expect(page.locator("h1").innerText()).resolves.toBe(XSS);
    // The only scripts are the site's own: none carries the name.
    const scripts = await page
      .locator("script:not([type='application/json'])")
      .evaluateAll((els) => els.map((e) => e.textContent ?? ""));
    expect(scripts.some((t) => t.includes("alert"))).toBe(false);
    const browse = await site.open("/browse/?q=xss");
    await expect(visibleRows(browse).first().locator("a").innerText()).resolves.toBe(XSS);
    // The home page ranks in the browser from JSON: a name there must stay inside its data block.
    const home = await site.open("/?kind=cpu&gb=64");
    await expect(home.locator("img").count()).resolves.toBe(0);
    await page.waitForTimeout(200);
    for (const p of [page, browse, home]) await p.context().close();
    expect(site.problems.filter((p) => p.startsWith("dialog"))).toEqual([]);
  });

  it("is keyboard-usable: the first Tab reaches the skip link", async () => {
    const page = await site.open("/browse/");
    await page.keyboard.press("Tab");
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe("Skip to content");
    await page.context().close();
  });

  it("logged no console errors and made no request that left localhost", () => {
    expect(site.problems).toEqual([]);
  });
});
