/** The Modelfile round trip with the built CLI on the Ollama emulator: export → edit → create → run. */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliInProcess } from "../../test/helpers/cli-in-process.ts";
import { type IndexServer, startIndexServer } from "../../test/helpers/index-server.ts";
import { sampleIndex } from "../../test/helpers/sample-index.ts";
import { ggufModel, type OllamaEmulator, startOllamaEmulator } from "../../test/ollama-emulator/server.ts";

const _CLI = new URL("../dist/cli.js", import.meta.url).pathname;
const QWEN = "hf.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M";
let emulator: OllamaEmulator;
let indexServer: IndexServer;
let work: string;

const cli = (args: string[]) =>
  cliInProcess(args, {
    cwd: work,
    env: {
      SMALL_LLM_INDEX_URL: indexServer.url,
      SMALL_LLM_CACHE_DIR: join(work, "cache"),
      OLLAMA_HOST: emulator.hostPort,
      PATH: mkdtempSync(join(tmpdir(), "sli-nopath-")),
    },
  });

beforeAll(async () => {
  emulator = await startOllamaEmulator({ registry: [ggufModel(QWEN, 30_000_000)], lineDelayMs: 0 });
  indexServer = await startIndexServer(JSON.stringify(sampleIndex()));
  work = mkdtempSync(join(tmpdir(), "sli-modelfile-"));
});
afterAll(async () => {
  await emulator.close();
  await indexServer.close();
});

describe("small-llm modelfile / create / run", () => {
  it("exports an installed model's Modelfile FROM its name, not a blob path", async () => {
    expect((await cli(["install", "Qwen/Qwen2.5-0.5B-Instruct"])).code).toBe(0);
    const shown = await cli(["modelfile", "Qwen/Qwen2.5-0.5B-Instruct"]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`\nFROM ${QWEN}\n`);
    expect(shown.stdout).not.toContain("/blobs/");
    expect(shown.stdout).toContain('PARAMETER stop "<|im_end|>"');

    const out = await cli(["modelfile", QWEN, "--out", "Modelfile"]);
    expect(out.code, out.stderr).toBe(0);
    expect(readFileSync(join(work, "Modelfile"), "utf8")).toBe(shown.stdout);
  });

  it("creates a model from the edited Modelfile, and it runs with its new settings", async () => {
    const file = join(work, "Modelfile");
    writeFileSync(
      file,
      `${readFileSync(file, "utf8")}SYSTEM """You answer like a pirate."""\nPARAMETER temperature 0.3\n`,
    );
    const created = await cli(["create", "pirate", "--from", "Modelfile"]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^created pirate:latest \(/);
    expect(created.stderr).toContain("writing manifest");
    const body = emulator.requests.find((r) => r.path === "/api/create")?.body as Record<string, unknown>;
    expect(body).toMatchObject({
      model: "pirate",
      from: QWEN,
      system: "You answer like a pirate.",
      parameters: { stop: ["<|im_end|>"], temperature: 0.3 },
    });
    expect(body).not.toHaveProperty("modelfile"); // the JSON form, not the pre-0.5.5 text one

    const run = await cli(["run", "pirate", "ahoy"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe("Hello from pirate:latest. (system: You answer like a pirate.) You said: ahoy\n");

    // …and its own export rebuilds the same settings.
    const again = await cli(["modelfile", "pirate"]);
    expect(again.stdout).toContain("FROM pirate:latest");
    expect(again.stdout).toContain('SYSTEM "You answer like a pirate."');
    expect(again.stdout).toContain("PARAMETER temperature 0.3");
  });

  it("uploads an adapter as a blob first, and only once", async () => {
    const adapter = join(work, "lora.gguf");
    writeFileSync(adapter, Buffer.concat([Buffer.from("GGUF"), Buffer.alloc(4096, 7)]));
    const before = emulator.requests.length;
    const first = await cli([
      "create",
      "tuned",
      "--from",
      "Qwen/Qwen2.5-0.5B-Instruct",
      "--adapter",
      adapter,
      "--param",
      "num_ctx=8192",
    ]);
    expect(first.code, first.stderr).toBe(0);
    const blobCalls = emulator.requests.slice(before).filter((r) => r.path.startsWith("/api/blobs/"));
    expect(blobCalls.map((r) => r.method)).toEqual(["HEAD", "POST"]);
    const body = emulator.requests.filter((r) => r.path === "/api/create").at(-1)?.body as Record<string, unknown>;
    expect(body.adapters).toEqual({ "lora.gguf": blobCalls[0]?.path.slice("/api/blobs/".length) });
    expect(body.parameters).toEqual({ num_ctx: 8192 });

    const mark = emulator.requests.length;
    expect((await cli(["create", "tuned2", "--from", QWEN, "--adapter", adapter])).code).toBe(0);
    expect(
      emulator.requests
        .slice(mark)
        .filter((r) => r.path.startsWith("/api/blobs/"))
        .map((r) => r.method),
    ).toEqual(["HEAD"]);
  });

  it("creates a model FROM a local GGUF next to the Modelfile, sending it as a blob", async () => {
    mkdirSync(join(work, "own"), { recursive: true });
    const weights = Buffer.concat([Buffer.from("GGUF"), Buffer.alloc(10_000, 3)]);
    writeFileSync(join(work, "own", "weights.gguf"), weights);
    writeFileSync(
      join(work, "own", "Modelfile"),
      "FROM ./weights.gguf\nTEMPLATE {{ .Prompt }}\nPARAMETER stop <end>\n",
    );
    const r = await cli(["create", "own-model", "--from", join("own", "Modelfile")]);
    expect(r.code, r.stderr).toBe(0);
    const digest = `sha256:${createHash("sha256").update(weights).digest("hex")}`;
    const body = emulator.requests.filter((q) => q.path === "/api/create").at(-1)?.body as Record<string, unknown>;
    expect(body).toMatchObject({
      model: "own-model",
      files: { "weights.gguf": digest },
      parameters: { stop: ["<end>"] },
    });
    expect(body).not.toHaveProperty("from");
    expect(emulator.requests.some((q) => q.method === "POST" && q.path === `/api/blobs/${digest}`)).toBe(true);
    const run = await cli(["run", "own-model", "hi"]);
    expect(run.stdout).toBe("Hello from own-model:latest. You said: hi\n");
  });

  it("refuses a bad parameter or Modelfile before anything is sent, saying what is wrong", async () => {
    const mark = emulator.requests.length;
    const bad = await cli(["create", "x", "--from", QWEN, "--param", "num_ctx=lots"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('invalid int value "lots" for num_ctx');
    writeFileSync(join(work, "Broken"), "FROM x\nTEMPERATURE 1\n");
    const broken = await cli(["create", "x", "--from", "Broken"]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/Modelfile line 2: command must be one of/);
    expect(emulator.requests.slice(mark).some((r) => r.path === "/api/create")).toBe(false);
  });
});
