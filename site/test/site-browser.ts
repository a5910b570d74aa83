/**
 * One built site, served and opened in Chromium, for a spec file: build once in beforeAll, open
 * pages at a width and colour scheme, and collect every console error, page error, dialog and
 * request that leaves localhost, which the spec then asserts is none.
 */
import type { Browser, Page } from "playwright-core";
import { expect } from "vitest";
import type { Index } from "../../schema/index.ts";
import { launchBrowser } from "../../test/helpers/browser.ts";
import { serveStatic } from "../../test/helpers/static-server.ts";
import { BASE, sharedSiteBuild } from "./build-site.ts";

export const DESKTOP = { width: 1366, height: 900 } as const;
export const PHONE = { width: 390, height: 844 } as const;
/** The four ways every page is looked at. */
export const VIEWS = [
  { name: "desktop light", viewport: DESKTOP, colorScheme: "light" },
  { name: "desktop dark", viewport: DESKTOP, colorScheme: "dark" },
  { name: "phone light", viewport: PHONE, colorScheme: "light" },
  { name: "phone dark", viewport: PHONE, colorScheme: "dark" },
] as const;
export type View = (typeof VIEWS)[number];

export interface OpenOptions {
  view?: Pick<View, "viewport" | "colorScheme">;
  /** Grant the clipboard (default), or leave it denied. */
  clipboard?: boolean;
  expectStatus?: number;
}

export class SiteUnderTest {
  browser!: Browser;
  outDir!: string;
  url!: string;
  readonly problems: string[] = [];
  #close?: () => Promise<void>;

  async start(index: Index): Promise<void> {
    ({ outDir: this.outDir } = await sharedSiteBuild(index));
    const server = await serveStatic(this.outDir, BASE);
    this.url = server.url;
    this.browser = await launchBrowser();
    this.#close = async () => {
      await this.browser.close();
      await server.close();
    };
  }

  async stop(): Promise<void> {
    await this.#close?.();
  }

  async open(path: string, options: OpenOptions = {}): Promise<Page> {
    const view = options.view ?? VIEWS[0];
    const context = await this.browser.newContext({
      viewport: view.viewport,
      colorScheme: view.colorScheme,
      permissions: options.clipboard === false ? [] : ["clipboard-read", "clipboard-write"],
    });
    const page = await context.newPage();
    const where = `${path} (${view.viewport.width} px, ${view.colorScheme})`;
    page.on("console", (m) => {
      if (m.type() === "error") this.problems.push(`console error on ${where}: ${m.text()}`);
    });
    page.on("pageerror", (e) => this.problems.push(`page error on ${where}: ${e.message}`));
    page.on("dialog", (d) => {
      this.problems.push(`dialog on ${where}: ${d.message()}`);
      void d.dismiss();
    });
    page.on("request", (r) => {
      const url = new URL(r.url());
      if (url.hostname !== "127.0.0.1" && url.protocol !== "data:")
        this.problems.push(`request left localhost: ${r.url()}`);
    });
    const response = await page.goto(`${this.url}${path}`);
    expect(response?.status(), path).toBe(options.expectStatus ?? 200);
    return page;
  }
}

/** Whether the page itself scrolls sideways (a table inside a scroll box does not count). */
export const scrollsSideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
