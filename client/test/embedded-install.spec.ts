/**
 * Installing GGUFs for the embedded runtime from a loopback Hub: by file and by quant, resumed
 * after a cut, refused on a wrong sha256, gated repos, split models, list and remove. The last
 * test runs the downloaded model on the real engine (skipped only where it cannot load).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { engineSkipReason } from "../../test/helpers/embedded-engine.ts";
import { tinyModelInTempDir } from "../../test/helpers/gguf/tiny-model.ts";
import { type HubFilesServer, startHubFilesServer } from "../../test/helpers/hub-files-server.ts";
import {
  ChecksumMismatchError,
  DownloadError,
  HubTokenError,
  UnknownModelError,
  UnsupportedError,
} from "../src/errors/index.ts";
import { EmbeddedRuntime } from "../src/runtimes/embedded/runtime.ts";
import type { PullProgress } from "../src/runtimes/runtime.ts";

const REPO = "test-org/Tiny-GGUF";
const FILE = "tiny-Q8_0.gguf";
let tiny: ReturnType<typeof tinyModelInTempDir>;
let model: Buffer;
let sha: string;
let hub: HubFilesServer | undefined;
let models: string;
/** Every models dir a test made (one test sets up twice). */
const made: string[] = [];

beforeAll(() => {
  tiny = tinyModelInTempDir();
  model = readFileSync(tiny.path);
  sha = createHash("sha256").update(model).digest("hex");
});
afterAll(() => tiny.remove());
afterEach(async () => {
  await hub?.close();
  hub = undefined;
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

let repos: Record<string, Record<string, Buffer>>;
async function setup(options: { token?: string; pageSize?: number; repoToken?: string } = {}) {
  const f16 = Buffer.concat([model, Buffer.from("another quant")]);
  repos = {
    [REPO]: { [FILE]: model, "tiny-F16.gguf": f16, "README.md": Buffer.from("# tiny") },
    "test-org/Split-GGUF": {
      "Q8_0/split-Q8_0-00001-of-00002.gguf": model.subarray(0, 5000),
      "Q8_0/split-Q8_0-00002-of-00002.gguf": model.subarray(5000),
    },
  };
  hub = await startHubFilesServer({ repos, ...options });
  models = mkdtempSync(join(tmpdir(), "small-llm-models-"));
  made.push(models);
  const runtime = new EmbeddedRuntime({
    modelsDir: models,
    hubEndpoint: hub.url,
    ...(options.repoToken ? { hubToken: options.repoToken } : {}),
    gpu: false,
  });
  return { hub, runtime };
}

describe("installing a GGUF from the Hub", () => {
  it("downloads a named file into the models directory, verified, with progress", async () => {
    const { runtime } = await setup();
    const progress: PullProgress[] = [];
    const installed = await runtime.install(`hf.co/${REPO}:${FILE}`, {
      sha256: sha,
      onProgress: (p) => progress.push(p),
    });
    expect(installed).toMatchObject({ name: `hf.co/${REPO}:Q8_0`, quant: "Q8_0", sizeBytes: model.length });
    const path = join(models, "test-org", "Tiny-GGUF", FILE);
    expect(readFileSync(path).equals(model)).toBe(true);
    expect(progress.at(-1)).toEqual({ ref: `hf.co/${REPO}:${FILE}`, status: "success" });
    expect(progress.some((p) => p.completed === model.length && p.total === model.length)).toBe(true);
    expect((await runtime.list()).map((m) => m.name)).toEqual([`hf.co/${REPO}:Q8_0`]);
    // Installed already: no second download.
    const before = hub?.requests.length;
    await runtime.install(`hf.co/${REPO}:Q8_0`);
    expect(hub?.requests.length).toBe(before);
  });

  it("finds a quant's file in the repo tree (paginated) and checks it against the tree's sha256", async () => {
    const { hub, runtime } = await setup({ pageSize: 1 });
    const installed = await runtime.install(`hf.co/${REPO}:f16`);
    expect(installed.name).toBe(`hf.co/${REPO}:F16`);
    expect(hub.requests.filter((r) => r.path.includes("/tree/")).length).toBe(3);
    await expect(runtime.install(`hf.co/${REPO}:Q4_K_M`)).rejects.toThrow(/no Q4_K_M GGUF in .*it has F16, Q8_0/);
    // The Hub's 401 RepoNotFound to an anonymous request is a missing repo, not a gated one.
    const missing = await runtime.install("hf.co/test-org/Nothing-GGUF:Q8_0").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(UnknownModelError);
    expect((missing as Error).message).toMatch(/has no such model repo \(or revision\); a private repo needs HF_TOKEN/);
  });

  it("resumes a download that broke off by itself, asking only for the rest", async () => {
    const { hub, runtime } = await setup();
    hub.cutNext(40_000);
    await runtime.install(`hf.co/${REPO}:${FILE}`, { sha256: sha, resumes: { retries: 5, baseMs: 1, maxMs: 1 } });
    const downloads = hub.requests.filter((r) => r.path.endsWith(FILE));
    expect(downloads.map((r) => r.range)).toEqual([undefined, "bytes=40000-"]);
    expect(readFileSync(join(models, "test-org", "Tiny-GGUF", FILE)).equals(model)).toBe(true);
  });

  it("a file the Hub does not have is named as such, and leaves no empty folder", async () => {
    const { runtime } = await setup();
    const error = await runtime.install("hf.co/test-org/Gone-GGUF:gone-Q8_0.gguf").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownModelError);
    expect((error as Error).message).toMatch(
      /unknown model "gone-Q8_0\.gguf": the Hub at http:\/\/127\.0\.0\.1:\d+ has no such file/,
    );
    expect(existsSync(join(models, "test-org", "Gone-GGUF"))).toBe(false);
  });

  it("asks a busy Hub again (503 with Retry-After) for the tree and the file", async () => {
    const { hub, runtime } = await setup();
    hub.busyNext(2);
    await runtime.install(`hf.co/${REPO}:Q8_0`);
    expect(hub.requests.filter((r) => r.path.includes("/tree/")).length).toBe(3);
    expect(await runtime.list()).toHaveLength(1);
  });

  it("with no resumes left, a download that broke off keeps its part, and the next run resumes it", async () => {
    const { hub, runtime } = await setup();
    hub.cutNext(40_000);
    const first = await runtime
      .install(`hf.co/${REPO}:${FILE}`, { sha256: sha, resumes: { retries: 0, baseMs: 1, maxMs: 1 } })
      .catch((e: unknown) => e);
    expect(first).toBeInstanceOf(DownloadError);
    expect((first as Error).message).toMatch(/resumes/);
    const part = join(models, "test-org", "Tiny-GGUF", `${FILE}.part`);
    expect(statSync(part).size).toBe(40_000);
    expect(await runtime.list()).toEqual([]);
    await runtime.install(`hf.co/${REPO}:${FILE}`, { sha256: sha });
    expect(hub.requests.at(-1)?.range).toBe("bytes=40000-");
    expect(readFileSync(join(models, "test-org", "Tiny-GGUF", FILE)).equals(model)).toBe(true);
    expect(existsSync(part)).toBe(false);
  });

  it("refuses a file whose sha256 is not the expected one, and keeps nothing", async () => {
    const { runtime } = await setup();
    const wrong = "0".repeat(64);
    await expect(runtime.install(`hf.co/${REPO}:${FILE}`, { sha256: wrong })).rejects.toBeInstanceOf(
      ChecksumMismatchError,
    );
    expect(readdirSync(join(models, "test-org", "Tiny-GGUF"))).toEqual([]);
    expect(await runtime.list()).toEqual([]);
  });

  it("says to set HF_TOKEN for a gated repo, and sends the token when given", async () => {
    const { runtime } = await setup({ token: "hf_secret" });
    await expect(runtime.install(`hf.co/${REPO}:${FILE}`)).rejects.toBeInstanceOf(HubTokenError);
    await hub?.close();
    const again = await setup({ token: "hf_secret", repoToken: "hf_secret" });
    expect((await again.runtime.install(`hf.co/${REPO}:${FILE}`)).sizeBytes).toBe(model.length);
  });

  it("downloads every shard of a split model and lists it once", async () => {
    const { runtime } = await setup();
    await runtime.install("hf.co/test-org/Split-GGUF:Q8_0");
    const listed = await runtime.list();
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ name: "hf.co/test-org/Split-GGUF:Q8_0", sizeBytes: model.length });
    await runtime.remove("hf.co/test-org/Split-GGUF:Q8_0");
    expect(existsSync(join(models, "test-org"))).toBe(false);
  });

  it("removes an installed model; refuses to delete a file it did not download", async () => {
    const { runtime } = await setup();
    await runtime.install(`hf.co/${REPO}:${FILE}`);
    expect(await runtime.remove(`hf.co/${REPO}:Q8_0`)).toBe(`hf.co/${REPO}:Q8_0`);
    expect(await runtime.list()).toEqual([]);
    await expect(runtime.remove(`hf.co/${REPO}:Q8_0`)).rejects.toBeInstanceOf(UnknownModelError);
    await expect(runtime.remove(tiny.path)).rejects.toBeInstanceOf(UnsupportedError);
    expect(existsSync(tiny.path)).toBe(true);
  });

  it("updates a model whose file changed on the Hub, keeping the old one until the new one is whole", async () => {
    const { hub, runtime } = await setup();
    await runtime.install(`hf.co/${REPO}:Q8_0`);
    const newer = Buffer.concat([model, Buffer.from("retrained")]);
    (repos[REPO] as Record<string, Buffer>)[FILE] = newer;
    const path = join(models, "test-org", "Tiny-GGUF", FILE);
    // A connection that drops before any byte: nothing to resume from, so the update fails as it is.
    hub.cutNext(0);
    await expect(runtime.update(`hf.co/${REPO}:Q8_0`)).rejects.toBeInstanceOf(DownloadError);
    expect(readFileSync(path).equals(model)).toBe(true);
    const update = await runtime.update(`hf.co/${REPO}:Q8_0`);
    expect(update).toEqual({
      ref: `hf.co/${REPO}:Q8_0`,
      from: sha,
      to: createHash("sha256").update(newer).digest("hex"),
      changed: true,
    });
    expect(readFileSync(path).equals(newer)).toBe(true);
    expect((await runtime.update(`hf.co/${REPO}:Q8_0`)).changed).toBe(false);
  });

  it("accepts a local GGUF path as it is, and rejects a file that is not one", async () => {
    const { runtime } = await setup();
    expect((await runtime.install(tiny.path)).name).toBe(tiny.path);
    const notGguf = join(models, "notes.gguf");
    writeFileSync(notGguf, "hello");
    await expect(runtime.install(notGguf)).rejects.toThrow(/not a GGUF file/);
  });
});

const skip = await engineSkipReason();
describe.skipIf(skip !== undefined)("a downloaded model", () => {
  it("runs by its ref once installed, and updates only when the Hub's file changed", async () => {
    const { runtime } = await setup();
    await runtime.install(`hf.co/${REPO}:Q8_0`);
    const result = await runtime.generate(`hf.co/${REPO}:Q8_0`, "hello", {
      options: { num_thread: 1, num_ctx: 256, num_predict: 4, temperature: 0 },
    });
    expect(result.outputTokens).toBe(4);
    const update = await runtime.update(`hf.co/${REPO}:Q8_0`);
    expect(update).toMatchObject({ changed: false, from: sha, to: sha });
    await runtime.dispose();
  });
});
