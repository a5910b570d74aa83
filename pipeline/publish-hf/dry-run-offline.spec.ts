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
});
