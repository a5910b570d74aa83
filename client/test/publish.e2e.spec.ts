/**
 * `small-llm publish` and `publishModel()` against the loopback Hub (test/hub-datasets): an adapter,
 * GGUF files, an offline dry run, an interrupted upload resumed, tokens that may not write, an
 * existing repo with other files, and folders that are no model.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { cliInProcess } from "../../test/helpers/cli-in-process.ts";
import { listenLocal } from "../../test/helpers/listen.ts";
import { type HubDatasetsEmulator, startHubDatasetsEmulator } from "../../test/hub-datasets/server.ts";
import { HubError } from "../src/errors/index.ts";
import { publishModel } from "../src/publish/publish-model.ts";

const _CLI = new URL("../dist/cli.js", import.meta.url).pathname;
const ALICE = "hf_alice_write_token";
const READER = "hf_read_only_token";
const FINE = "hf_fine_grained_no_write";
let hub: HubDatasetsEmulator;
let work: string;

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
/** A GGUF v3 header with no tensors or keys, then filler: what a publish reads of a file. */
const header = () => Buffer.concat([Buffer.from("GGUF"), Buffer.from([3, 0, 0, 0]), Buffer.alloc(16)]);
const gguf = (bytes: number) => Buffer.concat([header(), randomBytes(bytes)]);

const cli = (args: string[], env: Record<string, string | undefined> = {}) =>
  cliInProcess(args, {
    cwd: work,
    env: { HF_ENDPOINT: hub.url, HF_TOKEN: ALICE, SMALL_LLM_CACHE_DIR: join(work, "cache"), ...env },
  });

function folder(name: string, files: Record<string, Buffer | string>): string {
  const dir = join(work, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const adapter = (name: string) =>
  folder(name, {
    "adapter_config.json": JSON.stringify({
      base_model_name_or_path: "Qwen/Qwen2.5-0.5B-Instruct",
      peft_type: "LORA",
      task_type: "CAUSAL_LM",
      r: 8,
    }),
    "adapter_model.safetensors": randomBytes(50_000),
  });

const card = (repo: string) => {
  const text = hub.models.get(repo)?.files.get("README.md")?.toString() ?? "";
  return { text, meta: parse(text.split("---\n")[1] ?? "") as Record<string, unknown> };
};

beforeAll(async () => {
  hub = await startHubDatasetsEmulator({
    tokens: [],
    accounts: [
      { token: ALICE, name: "alice", orgs: [{ name: "acme" }, { name: "readers", roleInOrg: "read" }] },
      { token: READER, name: "alice", role: "read", displayName: "laptop" },
      { token: FINE, name: "alice", role: "fineGrained", writeTo: [] },
    ],
  });
  work = mkdtempSync(join(tmpdir(), "sli-publish-model-"));
});
afterAll(async () => {
  await hub.close();
});

describe("small-llm publish", () => {
  it("publishes a PEFT adapter: repo created, weights through LFS, a card the Hub understands", async () => {
    const dir = adapter("lora");
    const r = await cli(["publish", dir, "--repo", "alice/tiny-lora", "--license", "apache-2.0"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^published PEFT adapter to http:\/\/127\.0\.0\.1:\d+\/alice\/tiny-lora \(new repo\): 3 file/,
    );
    expect(r.stdout + r.stderr).not.toContain(ALICE);
    const repo = hub.models.get("alice/tiny-lora");
    expect([...(repo?.files.keys() ?? [])].sort()).toEqual([".gitattributes", "README.md", "adapter_config.json"]);
    expect(repo?.lfsFiles.get("adapter_model.safetensors")?.sha256).toBe(
      sha256(readFileSync(join(dir, "adapter_model.safetensors"))),
    );
    const { meta, text } = card("alice/tiny-lora");
    expect(meta).toEqual({
      base_model: "Qwen/Qwen2.5-0.5B-Instruct",
      base_model_relation: "adapter",
      library_name: "peft",
      license: "apache-2.0",
      pipeline_tag: "text-generation",
      tags: ["peft", "lora", "small-llm"],
    });
    expect(text).toContain("small-llm create tiny-lora --from Qwen/Qwen2.5-0.5B-Instruct --adapter ./adapter");
    // Until small-llm is on npm, a card points at how to install it from the project, never at a
    // registry name (or an `npx small-llm`) someone else could publish under.
    expect(text).toContain("[small-llm](https://github.com/small-llm-index/small-llm-index#install-the-cli)");
    expect(text).not.toMatch(/npmjs\.com|npx small-llm/);
  });

  it("publishes GGUF files with Ollama's template/system/params, then finds nothing to send on a re-run", async () => {
    const dir = folder("gguf", { "tiny-Q4_K_M.gguf": gguf(40_000), "tiny-Q8_0.gguf": gguf(60_000) });
    writeFileSync(join(work, "chat.tmpl"), "{{ .System }}\n{{ .Prompt }}");
    const args = ["publish", dir, "--repo", "acme/tiny-GGUF", "--base", "Qwen/Qwen2.5-0.5B-Instruct"];
    const extras = [
      "--template",
      "chat.tmpl",
      "--system",
      "Be brief.",
      "--param",
      "temperature=0.7",
      "--param",
      "stop=<|im_end|>",
    ];
    const r = await cli([...args, ...extras]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("run it: ollama run hf.co/acme/tiny-GGUF:Q4_K_M");
    expect(r.stderr).toContain("note: no --license given");
    const repo = hub.models.get("acme/tiny-GGUF");
    expect([...(repo?.lfsFiles.keys() ?? [])].sort()).toEqual(["tiny-Q4_K_M.gguf", "tiny-Q8_0.gguf"]);
    expect(repo?.files.get("template")?.toString()).toBe("{{ .System }}\n{{ .Prompt }}");
    expect(repo?.files.get("system")?.toString()).toBe("Be brief.");
    expect(JSON.parse(repo?.files.get("params")?.toString() ?? "")).toEqual({ temperature: 0.7, stop: ["<|im_end|>"] });
    const { meta, text } = card("acme/tiny-GGUF");
    expect(meta).toMatchObject({
      base_model: "Qwen/Qwen2.5-0.5B-Instruct",
      base_model_relation: "quantized",
      library_name: "gguf",
    });
    expect(text).toContain("ollama run hf.co/acme/tiny-GGUF:Q4_K_M\nollama run hf.co/acme/tiny-GGUF:Q8_0");
    expect(text).toContain("small-llm install hf.co/acme/tiny-GGUF:Q4_K_M");
    expect(text).not.toMatch(/npmjs\.com|npx small-llm/);

    const puts = hub.modelRequests.filter((q) => q.method === "PUT").length;
    const again = await cli([...args, ...extras]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^acme\/tiny-GGUF is up to date \(6 files\)/);
    expect(again.stderr).not.toContain("comparing"); // only files of 10 MB or more are worth a line
    expect(repo?.commits).toHaveLength(1);
    expect(hub.modelRequests.filter((q) => q.method === "PUT").length).toBe(puts);
  });

  it("says it is reading a large file to compare it with the repo's copy", async () => {
    const dir = folder("large", {
      "large-Q4_K_M.gguf": Buffer.concat([header(), Buffer.alloc(10_000_000, 1)]),
    });
    expect((await cli(["publish", dir, "--repo", "alice/large-GGUF"])).code).toBe(0);
    const again = await cli(["publish", dir, "--repo", "alice/large-GGUF"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain("comparing large-Q4_K_M.gguf with the repo's copy");
    expect(again.stderr).not.toContain("comparing README.md");
    expect(again.stdout).toMatch(/^alice\/large-GGUF is up to date/);
  });

  it("publishes a single .gguf file under its own name", async () => {
    writeFileSync(join(work, "solo-Q5_K_M.gguf"), gguf(1000));
    const r = await cli(["publish", "solo-Q5_K_M.gguf", "--repo", "alice/solo-GGUF", "--private", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ kind: "gguf", quants: ["Q5_K_M"], created: true, card: { source: "generated" } });
    expect(hub.models.get("alice/solo-GGUF")?.private).toBe(true);
    expect(hub.models.get("alice/solo-GGUF")?.lfsFiles.has("solo-Q5_K_M.gguf")).toBe(true);
  });

  it("publishes a transformers model, sharded weights and all", async () => {
    const dir = folder("full", {
      "config.json": JSON.stringify({ architectures: ["Qwen2ForCausalLM"] }),
      "model-00001-of-00002.safetensors": randomBytes(20_000),
      "model-00002-of-00002.safetensors": randomBytes(20_000),
      "tokenizer.json": "{}",
    });
    const r = await cli(["publish", dir, "--repo", "alice/tiny-full", "--base", "Qwen/Qwen2.5-0.5B", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).kind).toBe("transformers");
    expect(card("alice/tiny-full").meta).toMatchObject({
      library_name: "transformers",
      base_model_relation: "finetune",
    });
    expect(hub.models.get("alice/tiny-full")?.lfsFiles.size).toBe(2);
  });

  it("dry-runs offline: lists every file and the card, and says it could not compare", async () => {
    const closed = createServer();
    const { port, close } = await listenLocal(closed);
    await close();
    const dir = adapter("lora-offline");
    const r = await cli(["publish", dir, "--repo", "alice/offline", "--dry-run"], {
      HF_ENDPOINT: `http://127.0.0.1:${port}`,
      HF_TOKEN: undefined,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `could not compare with the remote alice/offline at http://127.0.0.1:${port} (ECONNREFUSED)`,
    );
    expect(r.stderr).toContain("every file would be sent");
    expect(r.stdout).toMatch(/would upload 3 file\(s\)/);
    for (const f of ["adapter_config.json", "adapter_model.safetensors", "README.md"])
      expect(r.stdout).toContain(`  ${f}  `);
    expect(r.stdout).toContain("library_name: peft");
  });

  it("dry-runs online against an existing repo: only what differs", async () => {
    const dir = adapter("lora-changed");
    writeFileSync(join(dir, "adapter_config.json"), readFileSync(join(work, "lora", "adapter_config.json")));
    const r = await cli([
      "publish",
      dir,
      "--repo",
      "alice/tiny-lora",
      "--license",
      "apache-2.0",
      "--dry-run",
      "--json",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.compared).toBe(true);
    expect(result.upload.map((f: { path: string }) => f.path)).toEqual(["adapter_model.safetensors"]);
    expect(result.unchanged.sort()).toEqual(["README.md", "adapter_config.json"]);
  });

  it("keeps the files already in a repo, and a card a person wrote there", async () => {
    hub.models.set("alice/existing", {
      private: false,
      files: new Map([
        ["README.md", Buffer.from("# My own card\n")],
        ["notes.md", Buffer.from("keep me\n")],
      ]),
      lfsFiles: new Map(),
      objects: new Map(),
      commits: [],
    });
    const r = await cli(["publish", adapter("lora-existing"), "--repo", "alice/existing", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ created: false, card: { source: "kept-remote" } });
    const repo = hub.models.get("alice/existing");
    expect(repo?.files.get("README.md")?.toString()).toBe("# My own card\n");
    expect(repo?.files.get("notes.md")?.toString()).toBe("keep me\n");
    expect(repo?.commits[0]?.paths.sort()).toEqual(["adapter_config.json", "adapter_model.safetensors"]);
  });
});

describe("publish refuses, before any upload", () => {
  const writes = () => hub.requests.filter((q) => q.method !== "GET").length;

  it.each([
    ["a read-only token", READER, "alice/x", /HF_TOKEN \("laptop"\) is a read-only token/],
    ["a fine-grained token that cannot write", FINE, "alice/x", /fine-grained token without write access to alice/],
    [
      "someone else's namespace",
      ALICE,
      "bob/x",
      /"bob" is not your account \(alice\) nor one of your organisations \(acme, readers\)/,
    ],
    ["an organisation you only read", ALICE, "readers/x", /you can only read in the organisation readers/],
    ["a token the Hub does not know", "hf_unknown", "alice/x", /the Hub rejected HF_TOKEN \(401\)/],
  ])("%s (exit 9)", async (_what, token, repo, message) => {
    const before = writes();
    const r = await cli(["publish", adapter(`refused-${repo.replace("/", "-")}`), "--repo", repo], { HF_TOKEN: token });
    expect(r.code, r.stderr).toBe(9);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain(token);
    expect(writes()).toBe(before);
    expect(hub.models.has(repo)).toBe(false);
  });

  it("a dry run says the real run would be refused, and changes nothing", async () => {
    const before = writes();
    const r = await cli(["publish", adapter("dry-refused"), "--repo", "alice/x", "--dry-run"], { HF_TOKEN: READER });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('note: publishing for real would be refused: HF_TOKEN ("laptop") is a read-only token');
    expect(r.stderr).toContain(
      "note: alice/x does not exist yet (or is private): it would be created and every file sent",
    );
    expect(writes()).toBe(before);
  });

  it("no token at all says how to get one", async () => {
    const r = await cli(["publish", adapter("no-token"), "--repo", "alice/x"], { HF_TOKEN: undefined });
    expect(r.code).toBe(9);
    expect(r.stderr).toContain("HF_TOKEN is not set");
    expect(r.stderr).toContain("--dry-run");
  });

  it("a folder that is no model, or a file that is not GGUF (exit 2)", async () => {
    const before = hub.requests.length;
    const notes = folder("notes", { "notes.txt": "hello", "data.csv": "a,b\n" });
    const r = await cli(["publish", notes, "--repo", "alice/x"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "is not a model: expected a PEFT adapter (adapter_config.json + adapter_model.safetensors)",
    );
    expect(r.stderr).toContain("but found data.csv, notes.txt");
    writeFileSync(join(work, "fake.gguf"), "version https://git-lfs.github.com/spec/v1\n");
    const fake = await cli(["publish", "fake.gguf", "--repo", "alice/x"]);
    expect(fake.code).toBe(2);
    expect(fake.stderr).toContain("is not a GGUF file");
    const half = folder("half-adapter", { "adapter_config.json": "{}" });
    const h = await cli(["publish", half, "--repo", "alice/x"]);
    expect(h.stderr).toContain("has adapter_config.json but no adapter_model.safetensors");
    expect(hub.requests.length).toBe(before);
  });

  it("a GGUF folder whose own `params` file Ollama could not read (exit 2)", async () => {
    const before = hub.requests.length;
    const dir = folder("bad-params", { "m-Q4_K_M.gguf": gguf(100), params: "temperature: 0.7" });
    const r = await cli(["publish", dir, "--repo", "alice/x"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("is not a JSON object of Ollama parameters");
    expect(hub.requests.length).toBe(before);
  });

  it.each([
    ["alice/x--y", "may not contain `--`"],
    ["just-a-name", "it needs an owner"],
    ["alice/-x", "starting and ending with a letter or digit"],
    ["alice/x.git", "may not end in .git"],
  ])("a repo id the Hub would refuse: %s (exit 2)", async (repo, message) => {
    const before = hub.requests.length;
    const r = await cli(["publish", adapter("bad-name"), "--repo", repo]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(hub.requests.length).toBe(before);
  });
});

describe("publishModel() after an interruption", () => {
  it("a re-run sends only what had not arrived", async () => {
    const a = gguf(30_000);
    const b = gguf(30_000);
    const dir = folder("resume", { "m-Q4_K_M.gguf": a, "m-Q8_0.gguf": b });
    // The connection drops while the Q8_0 file is being sent, once the Q4_K_M one has arrived.
    hub.uploadFaults.push({ oid: sha256(b), times: 1, after: [sha256(a)] });
    const options = { path: dir, repo: "alice/resume-GGUF", token: ALICE, hubUrl: hub.url, retry: { retries: 0 } };
    const failed = await publishModel(options).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(HubError);
    expect((failed as HubError).message).toContain("Run the same command again");
    const repo = hub.models.get("alice/resume-GGUF");
    expect(repo?.objects.has(sha256(a))).toBe(true);
    expect(repo?.objects.has(sha256(b))).toBe(false);
    expect(repo?.commits).toHaveLength(0);

    const mark = hub.modelRequests.length;
    const result = await publishModel(options);
    expect(result.created).toBe(false);
    const sent = hub.modelRequests.slice(mark).filter((q) => q.method === "PUT");
    expect(sent.map((q) => q.path.split("/").pop())).toEqual([sha256(b)]);
    expect([...(repo?.lfsFiles.keys() ?? [])].sort()).toEqual(["m-Q4_K_M.gguf", "m-Q8_0.gguf"]);
    expect(repo?.commits).toHaveLength(1);
  });

  it("a dropped connection is retried without the user noticing", async () => {
    const c = gguf(20_000);
    const dir = folder("retry", { "r-Q4_K_M.gguf": c });
    hub.uploadFaults.push({ oid: sha256(c), times: 1 });
    const retries: string[] = [];
    const result = await publishModel({
      path: dir,
      repo: "alice/retry-GGUF",
      token: ALICE,
      hubUrl: hub.url,
      retry: { retries: 2, baseMs: 10, onRetry: (i) => retries.push(i.reason) },
    });
    expect(result.commit).toBeDefined();
    expect(retries).toHaveLength(1);
    expect(hub.models.get("alice/retry-GGUF")?.lfsFiles.has("r-Q4_K_M.gguf")).toBe(true);
  });
});
