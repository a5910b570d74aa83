/**
 * "What do you run on?" in Chromium: the home page's answer, the choice carried to Browse, the
 * installable filter, badges, search, the empty result, figures, and a layout that stays put.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModelEntry } from "../../schema/index.ts";
import { type Machine, machineBudget } from "../src/lib/machine.ts";
import { type Pick, picksFor, tierPicks } from "../src/lib/picks.ts";
import { DESKTOP, PHONE, SiteUnderTest, VIEWS } from "./site-browser.ts";
import { testIndex } from "./test-index.ts";

const index = testIndex();
const site = new SiteUnderTest();
const rows = (page: Page) => page.locator("#models tbody tr");
const rowIds = (page: Page) => rows(page).evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.id));
const byId = (id: string) => index.models.find((m) => m.id === id) as ModelEntry;

/** Decimal units, as Ollama's HumanBytes prints them: written out here independently of format.ts. */
function decimal(n: number): string {
  const [size, unit] = n >= 1e9 ? [1e9, "GB"] : [1e6, "MB"];
  const v = n / size;
  return v >= 10 ? `${Math.trunc(v)} ${unit}` : Number.isInteger(v) ? `${v} ${unit}` : `${v.toFixed(1)} ${unit}`;
}

/**
 * The home page's expected answer, from the index: every chat-capable entry of the tier ranked by the
 * site's own rule with nothing pruned (lib.spec.ts holds that rule to the client's recommend).
 */
function expectedPicks(tier: string, machine: Machine) {
  const models = index.models.filter((m) => m.tier === tier);
  const candidates = models.flatMap((m) => tierPicks([m], [{ id: tier }], index.profiles)[0]?.candidates ?? []);
  const smallest = tierPicks(models, [{ id: tier }])[0]?.smallest ?? [];
  return picksFor({ tier, candidates, smallest }, machineBudget(machine, index.profiles));
}
/** What a pick's line says of its speed: `~42 tokens/s`, two significant digits. */
const speedText = (p: Pick) => `~${Number(p.fit.speed?.tokensPerSecond.toPrecision(2))} tokens/s`;

beforeAll(() => site.start(index), 600_000);
afterAll(() => site.stop());

describe("the home page asks what you run on", () => {
  it.each(VIEWS)("asks first, then answers per tier, best first, with the quant and command ($name)", async (view) => {
    const page = await site.open("/", { view });
    // The question comes before any answer, and there is no command to copy before a machine is chosen.
    await expect(page.locator("main fieldset legend").first().innerText()).resolves.toBe("What do you run on?");
    await expect(page.locator(".picks .copy").count()).resolves.toBe(0);
    await page.getByLabel("GPU VRAM", { exact: true }).check();
    await page.getByRole("button", { name: "8 GB", exact: true }).click();
    await expect(page.locator("#fits-summary").innerText()).resolves.toMatch(/^On 8 GB GPU VRAM: 7\.5 GB usable/);
    for (const tier of index.tiers) {
      const expected = expectedPicks(tier.id, { kind: "gpu", gb: 8 }).picks;
      const items = page.locator(`ol[data-picks="${tier.id}"] li.pick`);
      await expect(items.locator("a").allInnerTexts()).resolves.toEqual(expected.map((e) => e.row.name));
      for (const [i, e] of expected.entries()) {
        const text = await items.nth(i).innerText();
        expect(text).toContain(
          `${e.fit.install.quant} · ${speedText(e)} · ${decimal(e.fit.install.fileBytes)} download · ${decimal(e.fit.memoryBytes)} memory needed`,
        );
        await expect(items.nth(i).locator("button[data-copy]").getAttribute("data-copy")).resolves.toBe(
          `ollama run ${e.fit.install.ref}`,
        );
      }
    }
    expect(new URL(page.url()).search).toBe("?kind=gpu&gb=8");
    await page.context().close();
  });

  it("takes a custom size, and a URL restores the choice", async () => {
    const page = await site.open("/");
    await page.getByLabel("Apple unified memory", { exact: true }).check();
    await page.getByLabel("Other size").fill("6");
    await expect(page.locator("#fits-summary").innerText()).resolves.toMatch(/^On 6 GB Apple unified memory:/);
    await expect(page.locator('ol[data-picks="1b-8b"] li.pick a').allInnerTexts()).resolves.toEqual(
      expectedPicks("1b-8b", { kind: "unified", gb: 6 }).picks.map((e) => e.row.name),
    );
    expect(new URL(page.url()).search).toBe("?kind=unified&gb=6");
    const again = await site.open("/?kind=unified&gb=6");
    await expect(again.getByLabel("Apple unified memory", { exact: true }).isChecked()).resolves.toBe(true);
    await expect(again.locator("#fits-summary").innerText()).resolves.toMatch(/^On 6 GB Apple unified memory:/);
    await page.context().close();
    await again.context().close();
  });

  it("a CPU-only choice never leads with a model below the speed floor, and says how fast it reads", async () => {
    const page = await site.open("/?kind=cpu&gb=8");
    await expect(page.locator("#fits-summary").innerText()).resolves.toContain("; speeds estimated at 51.2 GB/s.");
    for (const tier of index.tiers) {
      const first = page.locator(`ol[data-picks="${tier.id}"] li.pick .pick-fit`).first();
      const tps = Number(/~([\d.]+) tokens\/s/.exec(await first.innerText())?.[1]);
      expect(tps, tier.id).toBeGreaterThanOrEqual(8);
      await expect(first.innerText()).resolves.not.toContain("slow here");
    }
    // The 8B that used to come first on 8 GB of RAM is not among the picks.
    await expect(page.locator('ol[data-picks="1b-8b"]').innerText()).resolves.not.toMatch(/Llama-3\.1-8B|Qwen3-8B/);
    await page.context().close();
  });

  it("says a machine with no memory left does not fit, instead of a size", async () => {
    const page = await site.open("/?kind=cpu&gb=2");
    await expect(page.locator("#fits-summary").innerText()).resolves.toContain("does not fit");
    await expect(page.locator("li.pick").count()).resolves.toBe(0);
    await expect(page.locator("main").innerText()).resolves.not.toMatch(/\b0 B\b|\b1 MB\b/);
    const browse = await site.open("/browse/?kind=cpu&gb=2");
    await expect(browse.locator("#count").innerText()).resolves.toContain("nothing fits");
    await page.context().close();
    await browse.context().close();
  });

  it("carries the choice to Browse, with the installable filter on and the same count", async () => {
    const page = await site.open("/?kind=gpu&gb=8");
    const { total } = expectedPicks("1b-8b", { kind: "gpu", gb: 8 });
    await page.locator('section[data-tier="1b-8b"] .see-all a').click();
    await page.waitForURL(/\/browse\//);
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toEqual({ tier: "1b-8b", kind: "gpu", gb: "8" });
    await expect(page.getByLabel("Installable with Ollama").isChecked()).resolves.toBe(true);
    await expect(page.getByRole("button", { name: "8 GB", exact: true }).getAttribute("aria-pressed")).resolves.toBe(
      "true",
    );
    // Browse counts base models too; the home page's list leaves them out. None of this tier is a base model with a GGUF.
    await expect(rows(page).count()).resolves.toBe(total);
    // The header's Browse link carries it as well.
    const home = await site.open("/?kind=cpu&gb=16");
    await expect(home.locator("header nav a", { hasText: "Browse" }).getAttribute("href")).resolves.toMatch(
      /\?kind=cpu&gb=16$/,
    );
    await page.context().close();
    await home.context().close();
  });
});

describe("browse", () => {
  it("filters to what installs with Ollama: off with no machine, on once one is chosen", async () => {
    const page = await site.open("/browse/?tier=sub-1b");
    const installable = page.getByLabel("Installable with Ollama");
    await expect(installable.isChecked()).resolves.toBe(false);
    const sub = index.models.filter((m) => m.tier === "sub-1b");
    await expect(rows(page).count()).resolves.toBe(sub.length);
    await installable.check();
    await expect(rowIds(page)).resolves.toEqual(
      expect.arrayContaining(sub.filter((m) => m.install.length > 0).map((m) => m.id)),
    );
    await expect(rows(page).count()).resolves.toBe(sub.filter((m) => m.install.length > 0).length);
    expect(new URL(page.url()).searchParams.get("installable")).toBe("1");
    await installable.uncheck();
    await page.getByLabel("GPU VRAM", { exact: true }).check();
    await expect(installable.isChecked()).resolves.toBe(true);
    // Turned off with a machine chosen: every model, each saying whether it fits.
    await installable.uncheck();
    await expect(rows(page).count()).resolves.toBe(sub.length);
    const fitCell = (id: string) => page.locator(`tr[data-id="${id}"] td.fit`).innerText();
    await expect(fitCell("EleutherAI/pythia-70m")).resolves.toBe("no GGUF yet");
    await page.getByRole("button", { name: "4 GB", exact: true }).click();
    await expect(fitCell("Qwen/Qwen2.5-0.5B-Instruct")).resolves.toMatch(/^Q8_0 · [\d.]+ [MG]B memory needed$/);
    expect(new URL(page.url()).searchParams.get("installable")).toBe("0");
    await page.getByLabel("Other size").fill("1");
    await expect(fitCell("Qwen/Qwen2.5-0.5B-Instruct")).resolves.toBe("does not fit");
    await page.context().close();
  });

  it("shows what each model is for, gated, and that a base model cannot chat", async () => {
    const page = await site.open("/browse/");
    const badges = (id: string) => page.locator(`tr[data-id="${id}"] td.for .badge`).allInnerTexts();
    await expect(badges("Qwen/Qwen2.5-Coder-1.5B-Instruct")).resolves.toEqual(["chat", "code"]);
    await expect(badges("thinkers/Qwen3-1.7B-Reasoning-R1")).resolves.toEqual(["chat", "reasoning"]);
    await expect(badges("google/gemma-3-4b-it")).resolves.toEqual(["chat", "vision", "gated"]);
    await expect(badges("Qwen/Qwen2.5-0.5B")).resolves.toEqual(["base · no chat"]);
    await expect(page.locator("#models thead").innerText()).resolves.toContain("For");
    const model = await site.open("/models/Qwen/Qwen2.5-0.5B/");
    await expect(model.getByRole("note").filter({ hasText: "base model" }).innerText()).resolves.toContain(
      "does not follow instructions or chat",
    );
    await page.context().close();
    await model.context().close();
  });

  it.each([
    ["qwen 7b", ["Qwen/Qwen2.5-7B-Instruct", "blend/Qwen2.5-7B-Merge"], ["Qwen/Qwen3-8B", "Qwen/Qwen2.5-3B"]],
    [
      "llama 3",
      ["meta-llama/Llama-3.2-1B-Instruct", "meta-llama/Llama-3.1-8B-Instruct"],
      ["TinyLlama/TinyLlama-1.1B-Chat-v1.0"],
    ],
    ["gemma3", ["google/gemma-3-1b-it", "google/gemma-3-4b-it"], ["google/gemma-2-2b-it"]],
    ["phi3", ["microsoft/Phi-3-mini-4k-instruct", "microsoft/Phi-3.5-mini-instruct"], ["microsoft/phi-2"]],
    ["QWEN2.5 Coder", ["Qwen/Qwen2.5-Coder-1.5B-Instruct"], ["Qwen/Qwen2.5-7B-Instruct"]],
  ])("search %j finds what a person means", async (query, found, notFound) => {
    // Family counts too: Phi-4-mini's architecture is `phi3`, so `phi3` finds it, as the CLI's search does.
    const page = await site.open(`/browse/?q=${encodeURIComponent(query)}`);
    const ids = await rowIds(page);
    expect(ids).toEqual(expect.arrayContaining(found));
    for (const id of notFound) expect(ids).not.toContain(id);
    await page.context().close();
  });

  it("says when nothing matches, and one click resets everything", async () => {
    const page = await site.open("/browse/?q=no-such-model-anywhere&tier=sub-1b&kind=gpu&gb=4");
    await expect(rows(page).count()).resolves.toBe(0);
    await expect(page.locator("#empty").isVisible()).resolves.toBe(true);
    await expect(page.locator("#empty").innerText()).resolves.toContain("No model matches");
    await page.getByRole("button", { name: "Clear search and filters" }).click();
    await expect(page.locator("#empty").isHidden()).resolves.toBe(true);
    await expect(rows(page).count()).resolves.toBe(100);
    await expect(page.locator("input[name=q]").inputValue()).resolves.toBe("");
    expect(new URL(page.url()).search).toBe("");
    await page.context().close();
  });

  it("prints no 1000M, and sizes in decimal units with what they are", async () => {
    const page = await site.open("/browse/?q=gemma%203%201b");
    const gemma = byId("google/gemma-3-1b-it");
    expect(gemma.params.total).toBeGreaterThan(999.85e6);
    await expect(page.locator(`tr[data-id="${gemma.id}"] td.params`).innerText()).resolves.toMatch(/^999\.\dM$/);
    const def = gemma.install.find((t) => t.default) as ModelEntry["install"][number];
    await expect(page.locator(`tr[data-id="${gemma.id}"] td.fit`).innerText()).resolves.toBe(
      `${def.quant} · ${decimal(def.fileBytes)} download`,
    );
    const all = await site.open("/browse/");
    await all.getByRole("button", { name: /^Show \d+ more$/ }).click();
    await expect(all.locator("main").innerText()).resolves.not.toMatch(/\b1000(\.0)?M\b/);
    await page.context().close();
    await all.context().close();
  });
});

describe("the model page", () => {
  it("puts the default quant and its command first, then every GGUF repo's quants, named", async () => {
    const m = byId("Qwen/Qwen2.5-0.5B-Instruct");
    const def = m.install.find((t) => t.default) as ModelEntry["install"][number];
    const page = await site.open(`/models/${m.id}/`);
    const hero = page.locator(".default-quant");
    await expect(hero.locator(".quant-title strong").innerText()).resolves.toBe(def.quant);
    await expect(hero.locator(".copy.large button").getAttribute("data-copy")).resolves.toBe(`ollama run ${def.ref}`);
    const heroText = await hero.innerText();
    expect(heroText).toMatch(new RegExp(`Download\\s+${decimal(def.fileBytes)}`));
    expect(heroText).toMatch(/Memory needed at 4K\s+\d/);
    // The first command on the page is the default one.
    await expect(page.locator("button[data-copy]").first().getAttribute("data-copy")).resolves.toBe(
      `ollama run ${def.ref}`,
    );
    const others = m.install.filter((t) => t !== def);
    await expect(page.locator(".quant-table tbody th").allInnerTexts()).resolves.toEqual(
      expect.arrayContaining(others.map((t) => t.quant)),
    );
    await expect(page.locator(".quant-table tbody tr").count()).resolves.toBe(others.length);
    // Every GGUF repo that offers one of the other quants is named once.
    const repos = [...new Set(others.map((t) => t.repo))].map((r) => `From ${r}`);
    await expect(
      page
        .locator(".quants h3")
        .allInnerTexts()
        .then((h) => [...h].sort()),
    ).resolves.toEqual(repos.sort());
    await page.context().close();
  });

  it("names each repo when the quants come from several", async () => {
    const base = byId("Qwen/Qwen2.5-0.5B-Instruct");
    const [a, b] = [base.install[0], base.install[1]] as ModelEntry["install"];
    const multi = {
      ...base,
      install: base.install.map((t) =>
        t === b
          ? {
              ...t,
              repo: "bartowski/Qwen2.5-0.5B-Instruct-GGUF",
              ref: `hf.co/bartowski/Qwen2.5-0.5B-Instruct-GGUF:${t.quant}`,
            }
          : t,
      ),
    };
    // Built into a second site only for this: several repos per entry is what the pipeline is starting to publish.
    const other = new SiteUnderTest();
    await other.start({ ...index, models: [multi] });
    try {
      const page = await other.open(`/models/${base.id}/`);
      const headings = await page.locator(".quants h3").allInnerTexts();
      expect(headings).toEqual(expect.arrayContaining(["From bartowski/Qwen2.5-0.5B-Instruct-GGUF"]));
      await expect(
        page.locator(`button[data-copy="ollama run hf.co/bartowski/Qwen2.5-0.5B-Instruct-GGUF:${b?.quant}"]`).count(),
      ).resolves.toBe(1);
      expect(a).toBeDefined();
      await page.context().close();
    } finally {
      await other.stop();
    }
  });

  it("shows tokens/s per machine beside memory: the index's estimate on each profile, split runs named", async () => {
    const m = byId("meta-llama/Llama-3.1-8B-Instruct");
    const def = m.install.find((t) => t.default) as ModelEntry["install"][number];
    const row = m.fit.find((f) => f.quant === def.quant && f.contextLength === 4096);
    const speeds = row?.tokensPerSecond ?? {};
    const page = await site.open(`/models/${m.id}/`);
    const hero = page.locator(".default-quant");
    // "Fits" names the smallest machine of each kind that holds it (Q4_K_M: ~6 GB), with its speed there.
    await expect(hero.locator(".quant-facts li").last().innerText()).resolves.toContain(
      `GPU 8 GB ~${speeds["gpu-8gb"]} tok/s · Mac 16 GB ~${speeds["apple-16gb"]} tok/s · CPU 8 GB ~${speeds["cpu-8gb"]} tok/s`,
    );
    await hero.locator("details.speeds summary").click();
    for (const [id, tps] of Object.entries(speeds)) {
      const item = hero.locator(`details.speeds li[data-profile="${id}"]`);
      await expect(item.innerText(), id).resolves.toContain(`~${tps} tok/s`);
    }
    // A 4 GB card holds a third of its layers: the rest run from RAM, and the page says so.
    const split = row?.offload?.["gpu-4gb"];
    expect(split?.gpuLayers).toBeGreaterThan(0);
    await expect(hero.locator('details.speeds li[data-profile="gpu-4gb"]').innerText()).resolves.toContain(
      `~${speeds["gpu-4gb"]} tok/s (${split?.gpuLayers}/${split?.totalLayers} layers on the GPU)`,
    );
    // The other quants' table has the speed on each kind's smallest machine too.
    const q8 = m.fit.find((f) => f.quant === "Q8_0" && f.contextLength === 4096);
    const q8Speeds = q8?.tokensPerSecond ?? {};
    await expect(
      page.locator(".quant-table tr", { hasText: "Q8_0" }).locator('td[data-label="Fits"]').innerText(),
    ).resolves.toBe(
      `GPU 12 GB · Mac 16 GB · CPU 16 GB\n~${q8Speeds["gpu-12gb"]} · ~${q8Speeds["apple-16gb"]} · ~${q8Speeds["cpu-16gb"]} tok/s`,
    );
    await page.context().close();
  });

  it("shows memory only at contexts the model supports", async () => {
    const tiny = await site.open("/models/TinyLlama/TinyLlama-1.1B-Chat-v1.0/");
    const heads = await tiny.locator(".quant-table thead th").allInnerTexts();
    expect(heads.filter((h) => h.startsWith("Memory"))).toEqual(["Memory needed at 2K (its maximum)"]);
    const phi = await site.open("/models/microsoft/Phi-3-mini-4k-instruct/");
    await expect(phi.locator(".default-quant").innerText()).resolves.not.toContain("32K");
    const qwen = await site.open("/models/Qwen/Qwen3-4B/");
    await expect(qwen.locator(".quant-table thead").first().innerText()).resolves.toMatch(/4K[\s\S]*32K/);
    for (const p of [tiny, phi, qwen]) await p.context().close();
  });
});

describe("choosing a machine", () => {
  const top = (page: Page, selector: string) =>
    page
      .locator(selector)
      .first()
      .evaluate((el) => el.getBoundingClientRect().top + scrollY);

  it.each([DESKTOP, PHONE])("does not move the page ($width px)", async (viewport) => {
    const browse = await site.open("/browse/", { view: { viewport, colorScheme: "light" } });
    const before = [await top(browse, "#models"), await top(browse, "#count")];
    await browse.getByLabel("GPU VRAM", { exact: true }).check();
    await browse.getByRole("button", { name: "16 GB", exact: true }).click();
    await browse.getByLabel("CPU RAM", { exact: true }).check();
    await browse.getByLabel("Other size").fill("12.5");
    expect([await top(browse, "#models"), await top(browse, "#count")]).toEqual(before);
    await browse.getByLabel("Any machine").check();
    expect([await top(browse, "#models"), await top(browse, "#count")]).toEqual(before);

    const home = await site.open("/", { view: { viewport, colorScheme: "light" } });
    const anchors = ["#fits-title", ".tier-picks h3", "#fits-summary + div"];
    const homeBefore = await Promise.all(anchors.map((s) => top(home, s)));
    await home.getByLabel("Apple unified memory", { exact: true }).check();
    await home.getByRole("button", { name: "24 GB", exact: true }).click();
    await expect(home.locator("li.pick").count()).resolves.toBeGreaterThan(0);
    expect(await Promise.all(anchors.map((s) => top(home, s)))).toEqual(homeBefore);
    await browse.context().close();
    await home.context().close();
  });

  it("logged no console errors and made no request that left localhost", () => {
    expect(site.problems).toEqual([]);
  });
});
