/**
 * Right on every screen, in Chromium: phone cards without sideways scrolling, the quant list,
 * commands that wrap between parts, the sticky table header, Back after "Show more", the 404 page,
 * what screen readers hear, a denied clipboard, and axe-core on every page type in all four views.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DESKTOP, PHONE, SiteUnderTest, scrollsSideways, VIEWS } from "./site-browser.ts";
import { PAGE, testIndex } from "./test-index.ts";

const index = testIndex();
const site = new SiteUnderTest();
const phone = { viewport: PHONE, colorScheme: "light" } as const;
const desktop = { viewport: DESKTOP, colorScheme: "light" } as const;
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const PAGE_TYPES = [
  ["home", "/?kind=gpu&gb=8"],
  ["browse", "/browse/?kind=gpu&gb=8"],
  ["model", "/models/meta-llama/Llama-3.2-1B-Instruct/"],
  ["base model", "/models/Qwen/Qwen2.5-0.5B/"],
  ["changelog", "/changelog/"],
  ["data", "/data/"],
  ["404", "/404.html"],
] as const;

/**
 * Where each line of an element's text starts, found from the boxes of its characters, and the
 * character before each break: what a reader sees when a command wraps.
 */
const lineBreaks = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((els) =>
    els.map((el) => {
      const text = el.textContent ?? "";
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      const before: string[] = [];
      let lastTop: number | undefined;
      let previous = "";
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < (node.textContent ?? "").length; i++) {
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const top = range.getBoundingClientRect().top;
          if (lastTop !== undefined && top > lastTop + 2) before.push(previous);
          lastTop = top;
          previous = (node.textContent ?? "")[i] ?? "";
        }
      }
      return { text, before };
    }),
  );

beforeAll(() => site.start(index), 600_000);
afterAll(() => site.stop());

describe("on a phone (390 px)", () => {
  it.each(PAGE_TYPES)("the %s page does not scroll sideways", async (_, path) => {
    for (const view of VIEWS.filter((v) => v.viewport === PHONE)) {
      const page = await site.open(path, { view });
      expect(await scrollsSideways(page), `${path} ${view.name}`).toBe(false);
      await page.context().close();
    }
  });

  it("Browse is cards: name, params, tasks, best fit and downloads, and no sideways scrolling after Show more", async () => {
    const page = await site.open("/browse/?kind=gpu&gb=8&installable=0", { view: phone });
    const card = page.locator('#models tbody tr[data-id="Qwen/Qwen2.5-0.5B-Instruct"]');
    await expect(card.evaluate((tr) => getComputedStyle(tr).display)).resolves.toBe("grid");
    for (const cell of ["td.name a", "td.params", "td.for .badge", "td.fit", "td.dl"]) {
      await expect(card.locator(cell).first().isVisible(), cell).resolves.toBe(true);
    }
    for (const cell of ["td.ctx", "td.license"])
      await expect(card.locator(cell).isVisible(), cell).resolves.toBe(false);
    await expect(card.locator("td.fit").innerText()).resolves.toMatch(/memory needed$/);
    await expect(card.locator("td.dl").innerText()).resolves.toMatch(/^Downloads /);
    const box = await card.boundingBox();
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(PHONE.width);
    await page.getByRole("button", { name: /^Show \d+ more$/ }).click();
    expect(await scrollsSideways(page)).toBe(false);
    await page.context().close();
  });

  it("the model page's quants are a list, and commands wrap between their parts and keep a copy button", async () => {
    const page = await site.open("/models/meta-llama/Llama-3.1-8B-Instruct/", { view: phone });
    await expect(
      page
        .locator(".quant-table tbody tr")
        .first()
        .evaluate((tr) => getComputedStyle(tr).display),
    ).resolves.toBe("flex");
    await expect(
      page
        .locator(".quant-table thead")
        .first()
        .evaluate((t) => t.getBoundingClientRect().height),
    ).resolves.toBeLessThanOrEqual(1);
    await expect(
      page
        .locator(".quant-table td[data-label=Download]")
        .first()
        .evaluate((td) => getComputedStyle(td, "::before").content),
    ).resolves.toBe('"Download: "');
    const wrapped = await lineBreaks(page, ".copy code");
    expect(wrapped.some((c) => c.before.length > 0)).toBe(true); // long enough to wrap at 390 px
    for (const { text, before } of wrapped) {
      for (const ch of before) expect(["/", ":", " ", "-"], `${text} broke after ${JSON.stringify(ch)}`).toContain(ch);
    }
    for (const button of await page.locator(".copy button").all()) {
      const box = await button.boundingBox();
      expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(PHONE.width);
    }
    const home = await site.open("/?kind=gpu&gb=8", { view: phone });
    for (const { text, before } of await lineBreaks(home, ".picks .copy code")) {
      for (const ch of before) expect(["/", ":", " ", "-"], `${text} broke after ${JSON.stringify(ch)}`).toContain(ch);
    }
    await page.context().close();
    await home.context().close();
  });
});

describe("on a desktop (1366 px)", () => {
  it("other quants take one line each", async () => {
    const page = await site.open("/models/meta-llama/Llama-3.1-8B-Instruct/", { view: desktop });
    const lines = await lineBreaks(page, ".quant-table .copy code");
    expect(lines.length).toBeGreaterThan(3);
    for (const { text, before } of lines) expect(before, text).toEqual([]);
    const heights = await page
      .locator(".quant-table tbody tr")
      .evaluateAll((trs) => trs.map((tr) => tr.getBoundingClientRect().height));
    expect(Math.max(...heights)).toBeLessThan(2 * Math.min(...heights));
    await page.context().close();
  });

  it("the table header stays in view while scrolling", async () => {
    const page = await site.open("/browse/", { view: desktop });
    await page.mouse.wheel(0, 2500);
    await expect.poll(() => page.evaluate(() => scrollY)).toBeGreaterThan(2000);
    const head = page.locator("#models thead th").first();
    await expect.poll(async () => (await head.boundingBox())?.y).toBe(0);
    await expect(head.isVisible()).resolves.toBe(true);
    await page.context().close();
  });
});

describe("Back after Show more", () => {
  it.each([desktop, phone])("returns to the same row ($viewport.width px)", async (view) => {
    const page = await site.open("/browse/", { view });
    await page.getByRole("button", { name: /^Show \d+ more$/ }).click();
    const row = page.locator("#models tbody tr").nth(PAGE + 5);
    const id = await row.getAttribute("data-id");
    await row.locator("a").scrollIntoViewIfNeeded();
    await row.locator("a").click();
    await page.waitForURL(/\/models\//);
    await page.goBack();
    await page.waitForURL(/\/browse\//);
    const back = page.locator(`#models tbody tr[data-id="${id}"]`);
    await expect(back.count()).resolves.toBe(1);
    await expect
      .poll(() =>
        back.evaluate((tr) => {
          const r = tr.getBoundingClientRect();
          return r.top >= 0 && r.bottom <= innerHeight;
        }),
      )
      .toBe(true);
    await page.context().close();
  });
});

describe("the 404 page", () => {
  it("is in the site's style and searches the catalogue", async () => {
    const page = await site.open("/404.html");
    await expect(page.locator("header.site .brand").isVisible()).resolves.toBe(true);
    await page.getByLabel("Search the models").fill("qwen 7b");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/\/browse\/\?q=qwen\+7b/);
    await expect(page.locator("input[name=q]").inputValue()).resolves.toBe("qwen 7b");
    await expect(page.locator('#models tbody tr[data-id="Qwen/Qwen2.5-7B-Instruct"]').count()).resolves.toBe(1);
    await page.context().close();
  });
});

describe("what screen readers hear", () => {
  it("Copied is announced", async () => {
    const page = await site.open("/models/Qwen/Qwen2.5-0.5B-Instruct/");
    await page.locator(".copy.large button").click();
    await expect.poll(() => page.locator("#announce").innerText()).toMatch(/^Copied: ollama run /);
    await expect(page.locator("#announce").getAttribute("role")).resolves.toBe("status");
    await page.context().close();
  });

  it("the result count is announced once per change, not per keystroke", async () => {
    const page = await site.open("/browse/");
    await page.evaluate(() => {
      const region = document.getElementById("announce") as HTMLElement;
      (window as unknown as { said: string[] }).said = [];
      new MutationObserver(() => {
        if (region.textContent) (window as unknown as { said: string[] }).said.push(region.textContent);
      }).observe(region, { childList: true, characterData: true, subtree: true });
      // Six keystrokes in one go, as a fast typist makes them.
      const q = document.querySelector<HTMLInputElement>("input[name=q]") as HTMLInputElement;
      for (const prefix of ["q", "qw", "qwe", "qwen", "qwen ", "qwen 7"]) {
        q.value = prefix;
        q.dispatchEvent(new Event("input", { bubbles: true }));
      }
    });
    const count = await page.locator("#count").innerText();
    await expect.poll(() => page.evaluate(() => (window as unknown as { said: string[] }).said)).toEqual([count]);
    // The visible count is not itself a live region, or it would be read at every keystroke.
    await expect(page.locator("#count").getAttribute("aria-live")).resolves.toBeNull();
    await page.context().close();
  });

  it("a denied clipboard selects the command instead", async () => {
    const page = await site.open("/models/Qwen/Qwen2.5-0.5B-Instruct/", { clipboard: false });
    await page.evaluate(() => {
      navigator.clipboard.writeText = () => Promise.reject(new DOMException("denied", "NotAllowedError"));
    });
    const button = page.locator(".copy.large button");
    const command = await button.getAttribute("data-copy");
    await button.click();
    await expect.poll(() => page.evaluate(() => getSelection()?.toString())).toBe(command);
    await expect(button.innerText()).resolves.toBe("Press Ctrl+C");
    await expect.poll(() => page.locator("#announce").innerText()).toContain("press Ctrl+C");
    await page.context().close();
  });

  it("scrollable code blocks can be reached with the keyboard", async () => {
    const page = await site.open("/data/", { view: phone });
    const blocks = page.locator("pre");
    expect(await blocks.count()).toBeGreaterThan(0);
    for (const pre of await blocks.all()) await expect(pre.getAttribute("tabindex")).resolves.toBe("0");
    await page.context().close();
  });
});

describe("axe-core", () => {
  it.each(PAGE_TYPES)("finds no violations on the %s page, at both widths, light and dark", async (_, path) => {
    for (const view of VIEWS) {
      const page = await site.open(path, { view });
      await page.addScriptTag({ content: AXE });
      const violations = await page.evaluate(async () => {
        const axe = (
          window as unknown as {
            axe: { run(): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> };
          }
        ).axe;
        const result = await axe.run();
        return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")}`);
      });
      expect(violations, `${path} ${view.name}`).toEqual([]);
      await page.context().close();
    }
  });

  it("logged no console errors and made no request that left localhost", () => {
    expect(site.problems).toEqual([]);
  });
});
