/** Each Hub fault, injected by the replay server, against the pipeline run in-process. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseIndex } from "../../schema/index.ts";
import { buildCatalogue } from "../../test/hub-replay/catalogue.ts";
import { type Fault, type HubReplay, startHubReplay } from "../../test/hub-replay/server.ts";
import { PIPELINE_DEFAULTS, runPipeline } from "../run.ts";

const catalogue = buildCatalogue();
let hub: HubReplay | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

async function runWith(
  faults: Fault[],
  hubOptions: { timeoutMs?: number; retries?: number; retryBaseMs?: number } = {},
  omitFromList?: string[],
) {
  hub = await startHubReplay({ catalogue, faults, ...(omitFromList ? { omitFromList } : {}) });
  const out = mkdtempSync(join(tmpdir(), "sli-fault-"));
  const retries: { delayMs: number; reason: string }[] = [];
  const report = await runPipeline({
    outDir: out,
    cacheDir: mkdtempSync(join(tmpdir(), "sli-fault-cache-")),
    hub: { endpoint: hub.url, retryBaseMs: 10, timeoutMs: 20_000, ...hubOptions },
    ...PIPELINE_DEFAULTS,
    fixture: true,
    log: (line) => {
      const m = /^retry \d+ in (\d+) ms: (.*) — /.exec(line);
      if (m) retries.push({ delayMs: Number(m[1]), reason: m[2] as string });
    },
  });
  return {
    report,
    retries,
    index:
      report.status === "written"
        ? parseIndex(JSON.parse(readFileSync(join(out, "v1", "index.json"), "utf8")))
        : undefined,
  };
}

describe("Hub faults", () => {
  it("waits as long as Retry-After says on a 429, then goes on", async () => {
    const { report, retries, index } = await runWith([
      { match: "pipeline_tag=text-generation", times: 1, kind: "429", retryAfterSeconds: 1 },
    ]);
    expect(report.status).toBe("written");
    expect(retries).toEqual([{ delayMs: 1000, reason: "429 Too Many Requests" }]);
    expect(index?.models.length).toBeGreaterThan(70);
  });

  it("retries a 500", async () => {
    const { report, retries } = await runWith([{ match: "/tree/", times: 2, kind: "500" }]);
    expect(report.status).toBe("written");
    expect(retries.map((r) => r.reason)).toEqual(["500 Internal Server Error", "500 Internal Server Error"]);
    expect(report.skipped.filter((s) => s.what === "file listing")).toEqual([]);
  });

  it("retries a truncated JSON body", async () => {
    const { report, retries } = await runWith([{ match: "filter=gguf", times: 1, kind: "truncate" }]);
    expect(report.status).toBe("written");
    expect(retries[0]?.reason).toMatch(/broken JSON/);
  });

  it("retries a dropped connection", async () => {
    const { report, retries } = await runWith([{ match: "/resolve/", times: 1, kind: "drop" }]);
    expect(report.status).toBe("written");
    expect(retries[0]?.reason).toMatch(/network error/);
  });

  it("times out a slow answer and retries it", async () => {
    const { report, retries } = await runWith([{ match: "search=tiny", times: 1, kind: "slow", delayMs: 1500 }], {
      timeoutMs: 500,
    });
    expect(report.status).toBe("written");
    expect(retries[0]?.reason).toMatch(/timed out after 500 ms/);
  });

  it("skips a repo whose listing keeps failing, with the reason, and falls back to the next GGUF repo", async () => {
    const { report, index } = await runWith(
      [{ match: "/api/models/Qwen/Qwen2.5-0.5B-Instruct-GGUF/tree/", times: 100, kind: "500" }],
      { retries: 1 },
    );
    expect(report.status).toBe("written");
    expect(report.skipped).toContainEqual({
      id: "Qwen/Qwen2.5-0.5B-Instruct-GGUF",
      what: "file listing",
      reason: "http-500",
    });
    const qwen = index?.models.find((m) => m.id === "Qwen/Qwen2.5-0.5B-Instruct");
    expect(qwen?.install.find((t) => t.default)?.ref).toBe("hf.co/bartowski/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M");
  });

  it("asks for the revision of each entry when list answers carry no sha", async () => {
    const { report, index } = await runWith([], {}, ["sha"]);
    expect(report.status).toBe("written");
    expect(report.dropped["no-revision"]).toBeUndefined();
    expect(index?.models.length).toBe(report.entries);
    expect(index?.models.every((m) => /^[0-9a-f]{40}$/.test(m.revision))).toBe(true);
  });

  it("fails the run, writing nothing, when a list call keeps failing", async () => {
    await expect(runWith([{ match: "/api/models?", times: 1000, kind: "500" }], { retries: 1 })).rejects.toThrow(
      /500 Internal Server Error/,
    );
  });

  it("gives list pages a larger retry budget than per-repo reads: the page survives, the read is skipped (issue 22)", async () => {
    // Per-repo reads get 1 retry here, so list pages get 2 × 1 + 2 = 4.
    const { report, retries } = await runWith(
      [
        { match: "pipeline_tag=image-text-to-text", times: 4, kind: "500" },
        { match: "/api/models/Qwen/Qwen2.5-0.5B-Instruct-GGUF/tree/", times: 4, kind: "500" },
      ],
      { retries: 1 },
    );
    expect(report.status).toBe("written");
    expect(retries.filter((r) => r.reason.startsWith("500")).length).toBeGreaterThanOrEqual(5);
    expect(report.routes["pipeline:image-text-to-text"]?.listed).toBeGreaterThan(0);
    expect(report.skipped).toContainEqual({
      id: "Qwen/Qwen2.5-0.5B-Instruct-GGUF",
      what: "file listing",
      reason: "http-500",
    });
  });

  it("publishes under a Hub that fails half of its requests (429, 500, cut bodies, dropped sockets)", async () => {
    const { report, retries, index } = await runWith([{ match: "/", times: 1_000_000, kind: "flaky", rate: 0.5 }], {
      retryBaseMs: 1,
      // A cut body with its full Content-Length hangs until the timeout, as on the real Hub.
      timeoutMs: 500,
    });
    expect(report.status).toBe("written");
    expect(new Set(retries.map((r) => r.reason.split(" ")[0]))).toEqual(new Set(["429", "500", "broken", "network"]));
    // What a run cannot read is skipped and reported; the listing itself was complete.
    expect(index?.models.length).toBeGreaterThan(90);
  });
});
