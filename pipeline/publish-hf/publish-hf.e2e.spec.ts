/** `npm run publish:hf` against a loopback emulator of the Hub's repo-create / preupload / commit API. */

import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { FIXTURE_INDEX_DIR } from "../../test/helpers/fixture-index.ts";
import { runCommand } from "../../test/helpers/run-command.ts";
import { type HubDatasetsEmulator, startHubDatasetsEmulator } from "../../test/hub-datasets/server.ts";

const TOKEN = "hf_write_token_for_tests";
const REPO = "small-llm-index/small-llm-index";
let hub: HubDatasetsEmulator;
let dataDir: string;

const publish = (args: string[] = [], env: Record<string, string | undefined> = {}) =>
  runCommand("npm", ["run", "--silent", "publish:hf", "--", "--data-dir", dataDir, ...args], {
    env: { HF_ENDPOINT: hub.url, HF_TOKEN: TOKEN, HF_DATASET_REPO: REPO, ...env },
  });

beforeAll(async () => {
  hub = await startHubDatasetsEmulator({ tokens: [TOKEN] });
  dataDir = mkdtempSync(join(tmpdir(), "sli-publish-"));
  cpSync(join(FIXTURE_INDEX_DIR, "v1"), join(dataDir, "v1"), { recursive: true });
});
afterAll(async () => {
  await hub.close();
});

describe("npm run publish:hf", () => {
  it("lists what it would upload on a dry run, changing nothing", async () => {
    const r = await publish(["--dry-run"], { HF_TOKEN: undefined });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("would upload v1/index.json");
    expect(r.stderr).toContain("would upload README.md");
    expect(hub.repos.size).toBe(0);
  });

  it("creates the repo and commits v1/* and the card, with the token and never printing it", async () => {
    const r = await publish(["--json"]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.created).toBe(true);
    const repo = hub.repos.get(REPO);
    expect([...(repo?.files.keys() ?? [])].sort()).toEqual([
      ".gitattributes",
      "README.md",
      "v1/changelog.json",
      "v1/index.json",
      "v1/index.schema.json",
      "v1/models.jsonl",
      "v1/tiers/1b-8b.json",
      "v1/tiers/1b-8b.jsonl",
      "v1/tiers/sub-1b.json",
      "v1/tiers/sub-1b.jsonl",
    ]);
    expect(repo?.files.get("v1/models.jsonl")?.toString()).toBe(
      readFileSync(join(dataDir, "v1", "models.jsonl"), "utf8"),
    );
    expect(repo?.commits).toHaveLength(1);
    expect(repo?.commits[0]?.summary).toMatch(/^Index \d{4}-\d{2}-\d{2}\.[0-9a-f]{8}$/);
    expect(hub.requests.filter((q) => q.method === "POST").every((q) => q.authorized)).toBe(true);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });

  it("writes a card whose YAML parses and whose data_files exist, so load_dataset works", () => {
    const card = hub.repos.get(REPO)?.files.get("README.md")?.toString() ?? "";
    const yaml = parse(card.split("---\n")[1] ?? "") as {
      license: string;
      pretty_name: string;
      configs: { config_name: string; data_files: { path: string }[] }[];
      size_categories: string[];
    };
    expect(yaml).toMatchObject({ license: "apache-2.0", pretty_name: "Small LLM Index", size_categories: ["n<1K"] });
    expect(yaml.configs.map((c) => c.config_name)).toEqual(["all", "sub-1b", "1b-8b"]);
    for (const c of yaml.configs)
      for (const f of c.data_files) expect(hub.repos.get(REPO)?.files.has(f.path), f.path).toBe(true);
    expect(card).toContain("| `params` | yes | Parameter count and its provenance. |");
    expect(card).toContain(`hf download ${REPO} --repo-type dataset`);
  });

  it("uploads nothing when nothing changed, and only the changed file otherwise", async () => {
    const same = await publish();
    expect(same.code, same.stderr).toBe(0);
    expect(same.stderr).toContain("is up to date");
    expect(hub.repos.get(REPO)?.commits).toHaveLength(1);
    writeFileSync(join(dataDir, "v1", "changelog.json"), '{"schemaVersion":1,"entries":[]}\n');
    const changed = await publish(["--json"]);
    expect(JSON.parse(changed.stdout).upload).toEqual(["v1/changelog.json"]);
    expect(hub.repos.get(REPO)?.commits.at(-1)?.paths).toEqual(["v1/changelog.json"]);
  });

  it("says what to do when the token is missing or rejected", async () => {
    const missing = await publish([], { HF_TOKEN: undefined });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("HF_TOKEN is not set");
    const wrong = await publish([], { HF_TOKEN: "hf_not_a_valid_token" });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/the Hub rejected HF_TOKEN \(401\)/);
    expect(wrong.stderr).not.toContain("hf_not_a_valid_token");
    const noRepo = await publish([], { HF_DATASET_REPO: undefined });
    expect(noRepo.code).toBe(2);
    expect(existsSync(join(dataDir, "v1", "index.json"))).toBe(true);
  });
});
