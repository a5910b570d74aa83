/** `npm run publish:hf -- --dry-run` with no Hub in reach: it still lists what it would send, and says why everything. */
import { createServer } from "node:http";
import { describe, expect, it } from "vitest";
import { FIXTURE_INDEX_DIR } from "../../test/helpers/fixture-index.ts";
import { listenLocal } from "../../test/helpers/listen.ts";
import { runCommand } from "../../test/helpers/run-command.ts";

describe("npm run publish:hf --dry-run, offline", () => {
  it("says it could not compare with the remote and that every file would be sent", async () => {
    const { port, close } = await listenLocal(createServer());
    await close(); // nothing listens there now
    const r = await runCommand(
      "npm",
      ["run", "--silent", "publish:hf", "--", "--data-dir", FIXTURE_INDEX_DIR, "--dry-run", "--repo", "o/n"],
      { env: { HF_ENDPOINT: `http://127.0.0.1:${port}`, HF_TOKEN: undefined } },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `could not compare with the remote datasets/o/n at http://127.0.0.1:${port} (ECONNREFUSED)`,
    );
    expect(r.stderr).toContain("every file would be sent");
    expect(r.stderr).toContain("would upload v1/index.json");
    expect(r.stderr).not.toContain("fetch failed");
  });

  it("does what the README says with no repo named: compares with the project's dataset, prints the card, says the real run needs a token", async () => {
    const { port, close } = await listenLocal(createServer());
    await close();
    const r = await runCommand(
      "npm",
      ["run", "--silent", "publish:hf", "--", "--data-dir", FIXTURE_INDEX_DIR, "--dry-run"],
      { env: { HF_ENDPOINT: `http://127.0.0.1:${port}`, HF_TOKEN: undefined, HF_DATASET_REPO: undefined } },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("comparing with datasets/small-llm-index/small-llm-index (the default");
    expect(r.stdout).toMatch(/^--- README\.md \(generated dataset card\) ---\n---\n/);
    expect(r.stderr).toContain("would upload README.md");
    expect(r.stderr).toContain("HF_TOKEN is not set: the real run needs a Hugging Face token with write access");
    // A real run is never pointed anywhere by default.
    const real = await runCommand("npm", ["run", "--silent", "publish:hf", "--", "--data-dir", FIXTURE_INDEX_DIR], {
      env: { HF_ENDPOINT: `http://127.0.0.1:${port}`, HF_TOKEN: undefined, HF_DATASET_REPO: undefined },
    });
    expect(real.code).toBe(2);
    expect(real.stderr).toContain("say which dataset repo to publish to");
  });
});
