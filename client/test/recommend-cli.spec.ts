/**
 * `small-llm recommend` in process: rows with tokens/s (measured here or estimated), memory and
 * download; `--min-speed`; `--fits` of any size of any kind. This machine's bandwidth is stated
 * (SMALL_LLM_MEMORY_BANDWIDTH), so no answer depends on what the test machine measures.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliInProcess } from "../../test/helpers/cli-in-process.ts";
import { fixtureIndex } from "../../test/helpers/fixture-index.ts";
import { type IndexServer, startIndexServer } from "../../test/helpers/index-server.ts";
import { hardwareFingerprint } from "../src/agent/bench.ts";
import { detectHardware } from "../src/hardware/detect-hardware.ts";

let indexServer: IndexServer;
let home: string;
let env: Record<string, string>;
beforeAll(async () => {
  indexServer = await startIndexServer(JSON.stringify(fixtureIndex()));
  home = mkdtempSync(join(tmpdir(), "sli-recommend-"));
  env = {
    SMALL_LLM_INDEX_URL: indexServer.url,
    SMALL_LLM_CACHE_DIR: join(home, "cache"),
    SMALL_LLM_STATE_DIR: join(home, "state"),
    SMALL_LLM_CONFIG_DIR: join(home, "config"),
    SMALL_LLM_MEMORY_BANDWIDTH: "51.2",
  };
});
afterAll(async () => {
  await indexServer.close();
  rmSync(home, { recursive: true, force: true });
});

interface Row {
  id: string;
  quant: string;
  ref: string;
  tokensPerSecond: number;
  source: string;
  usable: boolean;
  memoryBytes: number;
  fileBytes: number;
}
const recommend = async (...args: string[]) => {
  const r = await cliInProcess(["recommend", "--json", ...args], { env });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { recommendations: Row[]; speed: { devices: { source: string }[] } };
};

describe("recommend", () => {
  it("says when no model has the task or tier asked for, rather than that nothing fits", async () => {
    const none = await cliInProcess(["recommend", "--task", "math", "--tier", "sub-1b"], { env });
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).toContain("No model of the index has the task math and the tier sub-1b");
    // Every task tag the index documents is one --task takes, `guard` included.
    expect((await cliInProcess(["recommend", "--task", "guard"], { env })).code).toBe(0);
  });

  it("--json rows carry tokensPerSecond and whether it was measured here or estimated", async () => {
    const { recommendations: rows, speed } = await recommend("--task", "chat", "--limit", "50");
    expect(speed.devices.at(-1)).toMatchObject({ source: "stated", bandwidthGBs: 51.2 });
    for (const row of rows) {
      expect(row.tokensPerSecond, row.id).toBeGreaterThan(0);
      expect(row.source).toBe("estimated");
      expect(row.memoryBytes).toBeGreaterThan(0);
      expect(row.fileBytes).toBeGreaterThan(0);
    }
    // Usable first: once a row is below the floor, every row after it is too.
    const first = rows.findIndex((r) => !r.usable);
    if (first >= 0) expect(rows.slice(first).every((r) => !r.usable)).toBe(true);

    // Benchmarked here: that row says measured, with the measured figure.
    const pick = rows[0] as Row;
    mkdirSync(env.SMALL_LLM_STATE_DIR as string, { recursive: true });
    const bench = {
      v: 1,
      model: pick.ref,
      hardware: hardwareFingerprint(await detectHardware(undefined, { measure: false })),
      promptChars: 96,
      numPredict: 128,
      tokensPerSecond: { n: 3, mean: 12.3, sd: 0.1, median: 12.3 },
    };
    writeFileSync(join(env.SMALL_LLM_STATE_DIR as string, "bench.jsonl"), `${JSON.stringify(bench)}\n`);
    const after = await recommend("--task", "chat", "--limit", "50");
    expect(after.recommendations.find((r) => r.ref === pick.ref)).toMatchObject({
      tokensPerSecond: 12,
      source: "measured",
    });
    rmSync(join(env.SMALL_LLM_STATE_DIR as string, "bench.jsonl"));
  });

  it("the table shows tokens/s, memory and download; --min-speed moves the floor", async () => {
    const r = await cliInProcess(
      ["recommend", "--fits", "cpu-8gb", "--task", "chat", "--min-speed", "12", "--limit", "100"],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    const [header, first] = r.stdout.split("\n");
    expect(header).toMatch(/^MODEL +PARAMS +QUANT +TOKENS\/S +MEMORY +DOWNLOAD +NOTE$/);
    const tps = Number(/ ~([\d.]+) /.exec(first ?? "")?.[1]);
    expect(tps).toBeGreaterThanOrEqual(12);
    expect(r.stdout).toMatch(/below 12 tokens\/s/);
    expect(r.stderr).toContain("CPU only, 8 GB RAM: read at 51.2 GB/s (profile: the cpu-8gb profile)");
    expect(r.stderr).toMatch(/--min-speed sets the floor \(12\)/);
  });

  it("--fits help and the README say the same usable memory, and the same kinds of size", async () => {
    const help = (await cliInProcess(["recommend", "--help"], { env })).stdout.replace(/\s+/g, " ");
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8").replace(/\s+/g, " ");
    for (const rule of [
      "VRAM − 1 GiB",
      "2/3 of Apple unified memory",
      "min(80 %, RAM − 2 GiB)",
      "gpu-10gb",
      "apple-18gb",
      "cpu-12gb",
    ]) {
      expect(help, rule).toContain(rule);
      expect(readme, rule).toContain(rule);
    }
  });

  it("--fits takes any size of any kind; a typo says what it takes", async () => {
    for (const fits of ["apple-18gb", "cpu-12gb", "gpu-10gb", "16"]) {
      const { recommendations } = await recommend("--fits", fits, "--limit", "3");
      expect(recommendations.length, fits).toBe(3);
    }
    const typo = await cliInProcess(["recommend", "--fits", "tpu-8gb"], { env });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/--fits takes "auto", a profile id \(.*\) or a size in GB, not "tpu-8gb"/);
    const zero = await cliInProcess(["recommend", "--min-speed", "0"], { env });
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('--min-speed takes a number above 0, not "0"');
  });
});
