/**
 * `setup` picks what answers at a usable speed here, says what it will pull, asks before a download
 * above 2 GB (or pulls the best pick of at most 2 GB where nobody can be asked), and `--dry-run`
 * does nothing. The library against the Ollama emulator on machines described by hand; the CLI in
 * process; and once on a real terminal (util-linux `script` gives the CLI a pty), where the question
 * is really asked and answered.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliInProcess } from "../../test/helpers/cli-in-process.ts";
import { fixtureIndex } from "../../test/helpers/fixture-index.ts";
import { type IndexServer, startIndexServer } from "../../test/helpers/index-server.ts";
import { sampleIndex, sampleModel } from "../../test/helpers/sample-index.ts";
import { ggufModel, type OllamaEmulator, startOllamaEmulator } from "../../test/ollama-emulator/server.ts";
import { hardwareFingerprint } from "../src/agent/bench.ts";
import type { Hardware } from "../src/hardware/detect-hardware.ts";
import { detectHardware } from "../src/hardware/detect-hardware.ts";
import { type SetupOptions, setup } from "../src/provision/setup.ts";
import { planSetup } from "../src/provision/setup-decide.ts";
import { ASK_ABOVE_BYTES, planModel } from "../src/provision/setup-plan.ts";

const GiB = 1024 ** 3;
const index = fixtureIndex();
const nothingMeasured = () => ({ speeds: new Map<string, number>(), runs: [] });

const smallCpu: Hardware = {
  platform: "linux",
  arch: "x64",
  cpu: { model: null, cores: 2 },
  ram: { totalBytes: 8 * GiB, availableBytes: 4 * GiB },
  gpus: [],
  unifiedMemory: false,
};
const gpu8: Hardware = {
  ...smallCpu,
  cpu: { model: null, cores: 8 },
  ram: { totalBytes: 16 * GiB, availableBytes: 8 * GiB },
  gpus: [
    {
      vendor: "nvidia",
      name: "NVIDIA GeForce RTX 4060",
      vramBytes: 8 * GiB,
      freeBytes: null,
      bandwidth: { gbs: 272, source: "table", basis: "RTX 4060" },
    },
  ],
};

describe("what setup picks", () => {
  it("2 cores, 8 GB, no GPU: a small model at Q4_K_M, under 2 GB, so nothing to ask", () => {
    const plan = planModel({ index, hardware: smallCpu });
    expect(plan).toMatchObject({ quant: "Q4_K_M", usable: true, large: false, source: "estimated" });
    expect(plan?.downloadBytes).toBeLessThanOrEqual(ASK_ABOVE_BYTES);
    expect(plan?.tokensPerSecond).toBeGreaterThanOrEqual(8);
    expect(plan?.smaller).toBeUndefined();
  });

  it("an 8 GB GPU: a 7–8B at Q4_K_M, which is large, with the best pick under 2 GB beside it", () => {
    const plan = planModel({ index, hardware: gpu8 });
    expect(plan).toMatchObject({ quant: "Q4_K_M", large: true, usable: true });
    expect(plan?.downloadBytes).toBeGreaterThan(4e9);
    expect(plan?.smaller?.downloadBytes).toBeLessThanOrEqual(ASK_ABOVE_BYTES);
    expect(plan?.smaller?.usable).toBe(true);
  });
});

describe("setup() with a pick above 2 GB", () => {
  let ollama: OllamaEmulator;
  const plan = planModel({ index, hardware: gpu8 });
  beforeAll(async () => {
    const refs = index.models.flatMap((m) => m.install.map((t) => ggufModel(t.ref, 1000)));
    ollama = await startOllamaEmulator({ registry: refs });
  });
  afterAll(() => ollama.close());
  const run = (options: Partial<SetupOptions>) =>
    setup({ host: ollama.hostPort, index, hardware: gpu8, measured: nothingMeasured, force: true, ...options });
  const pulls = () => ollama.requests.filter((r) => r.path === "/api/pull").length;

  it("off a terminal (nobody to ask): never more than 2 GB unasked — the best small pick instead, said so", async () => {
    const r = await run({});
    expect(r.model?.ref).toBe(plan?.smaller?.ref);
    expect(r.plan).toMatchObject({ model: plan?.smaller?.model, large: false });
    expect(r.notes.join("\n")).toMatch(
      /is the best pick here, but a download above 2 GB needs a yes \(`small-llm setup --yes`\); pulling .* instead/,
    );
  });

  it("with a usable model installed, keeps it: nothing pulled, and it names the better pick --model would pull", async () => {
    const kept = await run({
      confirm: async () => {
        throw new Error("nothing to ask: nothing is pulled");
      },
    });
    expect(kept.plan).toMatchObject({ model: plan?.smaller?.model, why: "already installed, usable here" });
    expect(kept.model?.pulled).toBeFalsy();
    expect(kept.notes.join("\n")).toContain(
      `is installed and usable here, so nothing is pulled; the best pick here is ${plan?.model} Q4_K_M`,
    );
    expect(kept.notes.join("\n")).toContain(`small-llm setup --model ${plan?.model}`);
  });

  it("asked and declined: nothing is pulled; asked and accepted, or --yes: the pick is pulled", async () => {
    // As on a fresh machine: what the tests before installed is removed.
    for (const m of (await (await fetch(`${ollama.url}/api/tags`)).json()).models)
      await fetch(`${ollama.url}/api/delete`, { method: "DELETE", body: JSON.stringify({ model: m.name }) });
    const before = pulls();
    const asked: string[] = [];
    const declined = await run({
      confirm: async (p) => {
        asked.push(p.model);
        return false;
      },
    });
    expect(asked).toEqual([plan?.model]);
    expect(declined.model).toBeUndefined();
    expect(declined.notes.join("\n")).toMatch(/did not pull .*; a smaller pick: small-llm setup --model /);
    expect(pulls()).toBe(before);
    const accepted = await run({ confirm: async () => true });
    expect(accepted.model).toMatchObject({ ref: plan?.ref, pulled: true });
    expect(accepted.plan).toMatchObject({ model: plan?.model, quant: "Q4_K_M", source: "estimated" });
    const yes = await run({
      yes: true,
      confirm: async () => {
        throw new Error("--yes must not ask");
      },
    });
    expect(yes.model?.ref).toBe(plan?.ref);
  });

  it("--model naming a large model: asked on a terminal; a script's --model is its own yes", async () => {
    for (const m of (await (await fetch(`${ollama.url}/api/tags`)).json()).models)
      await fetch(`${ollama.url}/api/delete`, { method: "DELETE", body: JSON.stringify({ model: m.name }) });
    const asked: string[] = [];
    const declined = await run({
      model: plan?.model,
      confirm: async (p) => {
        asked.push(p.model);
        return false;
      },
    });
    expect(asked).toEqual([plan?.model]);
    expect(declined.model).toBeUndefined();
    const scripted = await run({ model: plan?.model });
    expect(scripted.model).toMatchObject({ ref: plan?.ref, pulled: true });
  });

  it("--dry-run does nothing, and reports { model, quant, downloadBytes, tokensPerSecond, source }", async () => {
    const before = ollama.requests.length;
    const dry = await planSetup({ host: ollama.hostPort, index, hardware: gpu8, measured: nothingMeasured });
    expect(dry).toMatchObject({
      dryRun: true,
      model: plan?.model,
      quant: "Q4_K_M",
      downloadBytes: plan?.downloadBytes,
      tokensPerSecond: plan?.tokensPerSecond,
      source: "estimated",
      ollama: { action: "reuse" },
      ask: false, // installed by the test before: nothing to pull, nothing to ask
      pull: false,
    });
    expect(ollama.requests.slice(before).every((r) => r.method === "GET")).toBe(true);
  });
});

/** A catalogue with one large model (4.6 GB download) that a fast machine runs best, and one small one. */
function largeAndSmall() {
  const big = sampleModel({
    id: "example/Big-7B-Instruct",
    name: "Big-7B-Instruct",
    tier: "1b-8b",
    params: { total: 7e9, source: "safetensors" },
    downloads: 5_000_000,
    layers: 28,
    install: [
      {
        runtime: "ollama",
        ref: "hf.co/example/Big-7B-Instruct-GGUF:Q4_K_M",
        quant: "Q4_K_M",
        repo: "example/Big-7B-Instruct-GGUF",
        file: "Big-7B-Instruct-Q4_K_M.gguf",
        fileBytes: 4.6e9,
        default: true,
      },
    ],
    fit: [{ quant: "Q4_K_M", contextLength: 4096, memoryBytes: 5 * GiB, fits: [], kvCacheBytes: 200_000_000 }],
  });
  return sampleIndex([sampleModel(), big]);
}

describe("the CLI", () => {
  let ollama: OllamaEmulator;
  let indexServer: IndexServer;
  let home: string;
  let env: Record<string, string>;
  const catalogue = largeAndSmall();
  beforeAll(async () => {
    ollama = await startOllamaEmulator({
      registry: catalogue.models.flatMap((m) => m.install.map((t) => ggufModel(t.ref, 1000))),
    });
    indexServer = await startIndexServer(JSON.stringify(catalogue));
    home = mkdtempSync(join(tmpdir(), "sli-setup-plan-"));
    env = {
      OLLAMA_HOST: ollama.hostPort,
      SMALL_LLM_INDEX_URL: indexServer.url,
      SMALL_LLM_CACHE_DIR: join(home, "cache"),
      SMALL_LLM_STATE_DIR: join(home, "state"),
      SMALL_LLM_CONFIG_DIR: join(home, "config"),
      OLLAMA_MODELS: join(home, "models"),
      // Stated, so the plan never depends on this machine's measured bandwidth: fast enough for the 7B.
      SMALL_LLM_MEMORY_BANDWIDTH: "1000",
    };
  });
  afterAll(async () => {
    await ollama.close();
    await indexServer.close();
    rmSync(home, { recursive: true, force: true });
  });

  it("setup --dry-run --json: the plan, nothing pulled; measured here beats estimated", async () => {
    // Piped, nobody can be asked: the dry run shows what the run would pull, the best pick under 2 GB.
    const piped = JSON.parse((await cliInProcess(["setup", "--dry-run", "--json"], { env })).stdout);
    expect(piped).toMatchObject({ model: "Qwen/Qwen2.5-0.5B-Instruct", ask: false, pull: true, dryRun: true });
    expect(piped.notes.join("\n")).toMatch(
      /example\/Big-7B-Instruct Q4_K_M \(4\.6 GB download\) is the best pick here, but a download above 2 GB needs a yes/,
    );
    const r = await cliInProcess(["setup", "--dry-run", "--json", "--yes"], { env });
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan).toMatchObject({
      model: "example/Big-7B-Instruct",
      quant: "Q4_K_M",
      downloadBytes: 4.6e9,
      source: "estimated",
      ask: false,
      pull: true,
      dryRun: true,
    });
    expect(plan.tokensPerSecond).toBeGreaterThan(8);
    expect(plan.smaller).toMatchObject({ model: "Qwen/Qwen2.5-0.5B-Instruct" });
    expect(ollama.requests.some((q) => q.path === "/api/pull")).toBe(false);

    // `small-llm bench` measured it on this machine: the plan says so.
    const hardware = await detectHardware(undefined, { measure: false });
    mkdirSync(env.SMALL_LLM_STATE_DIR as string, { recursive: true });
    const bench = {
      v: 1,
      model: "hf.co/example/Big-7B-Instruct-GGUF:Q4_K_M",
      hardware: hardwareFingerprint(hardware),
      promptChars: 96,
      numPredict: 128,
      tokensPerSecond: { n: 3, mean: 23.4, sd: 0.2, median: 23.4 },
    };
    writeFileSync(join(env.SMALL_LLM_STATE_DIR as string, "bench.jsonl"), `${JSON.stringify(bench)}\n`);
    const measured = JSON.parse((await cliInProcess(["setup", "--dry-run", "--json", "--yes"], { env })).stdout);
    expect(measured).toMatchObject({ model: "example/Big-7B-Instruct", tokensPerSecond: 23, source: "measured" });
    rmSync(join(env.SMALL_LLM_STATE_DIR as string, "bench.jsonl"));

    const text = await cliInProcess(["setup", "--dry-run", "--yes"], { env });
    expect(text.stdout).toMatch(
      /model {5}example\/Big-7B-Instruct Q4_K_M — 4\.6 GB download, ~\d+ tokens\/s estimated/,
    );
    expect(text.stdout).toMatch(/pull hf\.co\/example\/Big-7B-Instruct-GGUF:Q4_K_M\n/);
    expect(text.stdout).toContain("Nothing was done (--dry-run).");
  });

  it("--min-speed takes a number above 0", async () => {
    const r = await cliInProcess(["setup", "--dry-run", "--min-speed", "fast"], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--min-speed takes a number above 0, not "fast"');
  });

  const hasScript = spawnSync("script", ["--version"]).status === 0;
  it.skipIf(!hasScript)("on a real terminal it asks before pulling 4.6 GB; answering n pulls nothing", async () => {
    const cli = new URL("../dist/cli.js", import.meta.url).pathname;
    const child = spawn("script", ["-qefc", `${process.execPath} ${cli} setup`, "/dev/null"], {
      env: { ...process.env, ...env, TERM: "dumb" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    const asked = new Promise<void>((resolve) =>
      child.stdout.on("data", (d) => {
        out += d;
        if (/\[Y\/n\]/.test(out)) resolve();
      }),
    );
    const done = new Promise<number | null>((resolve) => child.on("close", resolve));
    await asked;
    child.stdin.write("n\r");
    expect(await done).toBe(0);
    expect(out).toMatch(/setup will pull example\/Big-7B-Instruct Q4_K_M — 4\.6 GB download/);
    expect(out).toMatch(/did not pull example\/Big-7B-Instruct Q4_K_M \(4\.6 GB download\); a smaller pick/);
    expect(ollama.requests.some((q) => q.path === "/api/pull")).toBe(false);
  });
});
