/** An index from a newer pipeline (unknown runtime, count source, fit basis, fields) does not break the built client. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { futureIndex } from "../../test/helpers/future-index.ts";
import { type IndexServer, startIndexServer } from "../../test/helpers/index-server.ts";
import { runCommand } from "../../test/helpers/run-command.ts";

const CLI = new URL("../dist/cli.js", import.meta.url).pathname;
let server: IndexServer;

beforeAll(async () => {
  server = await startIndexServer(JSON.stringify(futureIndex()));
});
afterAll(async () => {
  await server.close();
});

describe("a newer index", () => {
  it("is read by `small-llm models --json`: every other entry is listed, with a warning on stderr", async () => {
    const r = await runCommand(process.execPath, [CLI, "models", "--json"], {
      env: { SMALL_LLM_INDEX_URL: server.url, SMALL_LLM_CACHE_DIR: mkdtempSync(join(tmpdir(), "sli-fc-")) },
    });
    expect(r.code, r.stderr).toBe(0);
    const models = JSON.parse(r.stdout) as { id: string; install: { runtime: string }[] }[];
    expect(models.map((m) => m.id).sort()).toEqual(["Qwen/Qwen2.5-0.5B-Instruct", "meta-llama/Llama-3.2-3B-Instruct"]);
    expect(models.flatMap((m) => m.install.map((t) => t.runtime))).not.toContain("llamacpp");
    expect(r.stderr).toMatch(/warning: .*runtime "llamacpp".*update small-llm/);
  });
});
