/**
 * `npm run screenshots -w small-llm-index-site`: builds the site from the fixture index and
 * takes the README's screenshots (home, browse, a model page at 1366 and 390 px) into
 * docs/screenshots/ (then `pngquant --ext .png --force docs/screenshots/*.png` keeps them small).
 * SCREENSHOT_DIR writes elsewhere, SCREENSHOT_SCHEME=dark looks at dark mode, SCREENSHOT_FULL=1 takes whole pages.
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { launchBrowser } from "../../test/helpers/browser.ts";
import { fixtureIndex } from "../../test/helpers/fixture-index.ts";
import { serveStatic } from "../../test/helpers/static-server.ts";
import { BASE, buildSite } from "./build-site.ts";

const out = resolve(process.env.SCREENSHOT_DIR ?? join(import.meta.dirname, "..", "..", "docs", "screenshots"));
const scheme = process.env.SCREENSHOT_SCHEME === "dark" ? "dark" : "light";
mkdirSync(out, { recursive: true });

/** Each page with where a phone's screen starts: at the part that answers, not at the site header. */
const pages = [
  ["home", "/?kind=gpu&gb=8", "#machine-form"],
  ["browse", "/browse/?kind=gpu&gb=8", "#count"],
  ["model", "/models/meta-llama/Llama-3.2-1B-Instruct/", "h1"],
] as const;
const widths = [
  ["desktop", 1366, 900],
  ["phone", 390, 844],
] as const;

const { outDir } = await buildSite(fixtureIndex());
const server = await serveStatic(outDir, BASE);
const browser = await launchBrowser();
try {
  for (const [device, width, height] of widths) {
    const context = await browser.newContext({ viewport: { width, height }, colorScheme: scheme });
    const page = await context.newPage();
    for (const [name, path, start] of pages) {
      await page.goto(`${server.url}${path}`);
      if (device === "phone") await page.locator(start).evaluate((el) => el.scrollIntoView());
      const file = join(out, `${name}-${device}${scheme === "dark" ? "-dark" : ""}.png`);
      await page.screenshot({ path: file, fullPage: process.env.SCREENSHOT_FULL === "1" });
      console.log(file);
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
