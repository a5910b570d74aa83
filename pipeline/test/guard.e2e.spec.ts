/** The last good index is never lost: guarded, unreachable and misused runs write nothing. */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../test/helpers/run-command.ts";
import { buildCatalogue } from "../../test/hub-replay/catalogue.ts";
import { type HubReplay, startHubReplay } from "../../test/hub-replay/server.ts";
import { pipelineAgainst, tmp, tree } from "./run-pipeline.ts";

let hub: HubReplay;
const pipeline = pipelineAgainst(() => hub);

beforeAll(async () => {
  hub = await startHubReplay({ catalogue: buildCatalogue(), approvedTokens: ["hf_approved_token"] });
});
afterAll(async () => {
  await hub.close();
});

describe("the last good index is never lost", () => {
  it("refuses to publish a run that keeps under 70 % of the entries, exit 3", async () => {
    const out = tmp("guard");
    const first = await pipeline(["--out", out, "--cache-dir", tmp("gc"), "--quiet"]);
    expect(first.code, first.stderr).toBe(0);
    const before = tree(out);
    const full = buildCatalogue();
    const gone = /^(community-|mradermacher\/|Qwen\/)/;
    hub.setCatalogue({ repos: full.repos.filter((r) => !gone.test(r.info.id)) });
    try {
      const shrunk = await pipeline(["--out", out, "--cache-dir", tmp("gc2")]);
      expect(shrunk.code).toBe(3);
      expect(shrunk.stderr).toMatch(/refusing to publish: \d+ models is fewer than 70 %/);
      expect(tree(out)).toEqual(before);
      // --quiet hides progress, never the reason nothing was written.
      const quiet = await pipeline(["--out", out, "--cache-dir", tmp("gc3"), "--quiet"]);
      expect(quiet.code).toBe(3);
      expect(quiet.stderr).toMatch(/^pipeline: nothing was written — refusing to publish: \d+ models/);
      expect(tree(out)).toEqual(before);
    } finally {
      hub.setCatalogue(full);
    }
  });

  it("exits 1 and writes nothing when the Hub cannot be reached", async () => {
    const out = tmp("down");
    const result = await pipeline([
      "--out",
      out,
      "--cache-dir",
      tmp("dc"),
      "--hub",
      "http://127.0.0.1:9",
      "--retries",
      "1",
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("nothing was written");
    expect(result.stderr).toContain("cannot reach the Hub at http://127.0.0.1:9: ");
    expect(result.stderr).toContain("npm run hub-replay");
    expect(result.stderr).not.toContain("retry");
    expect(readdirSync(out)).toEqual([]);
  });

  it("prints the replay Hub's help instead of starting it, and rejects unknown faults", async () => {
    const help = await runCommand("npm", ["run", "--silent", "hub-replay", "--", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--port N");
    expect(help.stdout).toContain("--fault KIND:MATCH");
    const bad = await runCommand("npm", ["run", "--silent", "hub-replay", "--", "--fault", "boom:/api"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("KIND must be one of");
  });

  it("a Hub URL that cannot work (a typo in the scheme, no scheme) fails at once: one line, exit 2, nothing written", async () => {
    for (const [args, env, from] of [
      [["--hub", "htp://huggingface.co"], {}, "--hub"],
      [[], { HF_ENDPOINT: "huggingface.co" }, "HF_ENDPOINT"],
    ] as const) {
      const out = tmp("badurl");
      const started = performance.now();
      const result = await pipeline(["--out", out, ...args], env);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split("\n")).toEqual([
        expect.stringMatching(
          new RegExp(`^pipeline: the Hub URL ".*" \\(from ${from}\\) is not an http:// or https:// URL`),
        ),
      ]);
      expect(performance.now() - started).toBeLessThan(15_000); // npm and tsx starting: no retries
      expect(readdirSync(out)).toEqual([]);
    }
  });

  it("rejects bad options with exit 2 and a hint", async () => {
    const result = await pipeline(["--min-downloads", "lots"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--min-downloads needs a whole number");
    const out = tmp("cachein");
    const inside = await pipeline(["--out", out, "--cache-dir", join(out, "cache")]);
    expect(inside.code).toBe(2);
    expect(inside.stderr).toContain("the cache must never be published with the data");
  });
});
