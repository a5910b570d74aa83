/**
 * `small-llm setup`, `server …` and `update-ollama` end to end: the built CLI on a pretend machine
 * (own HOME, XDG dirs and PATH, no ollama anywhere) against a loopback GitHub-releases server whose
 * archives hold a stand-in `bin/ollama` that runs the Ollama emulator. Every fault the issue names
 * is here with its message and exit code.
 */
import { randomBytes } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { fakeOllamaBinDir } from "../../test/helpers/fake-ollama.ts";
import { type IndexServer, startIndexServer } from "../../test/helpers/index-server.ts";
import { sampleIndex, sampleModel } from "../../test/helpers/sample-index.ts";
import { ggufModel, type OllamaEmulator, startOllamaEmulator } from "../../test/ollama-emulator/server.ts";
import { buildArchive } from "../../test/ollama-releases/archives.ts";
import { createMachine, type Machine } from "../../test/ollama-releases/machine.ts";
import { type FakeRelease, type ReleaseServer, startReleaseServer } from "../../test/ollama-releases/server.ts";

const index = sampleIndex();
const registry = index.models.flatMap((m) => m.install.map((t) => [t.ref, 3_000_000] as [string, number]));
// Random bytes do not compress: the archive is big enough (~300 KB) to be cut mid-way.
const padding = { "lib/ollama/libggml-cpu.so": randomBytes(300_000).toString("base64") };
const linux = (tag: string, options: { broken?: boolean } = {}) => ({
  name: "ollama-linux-amd64.tar.zst",
  data: buildArchive("linux-tar.zst", tag.slice(1), { ...options, extra: padding }),
});
let releases: ReleaseServer;
let indexServer: IndexServer;
let machine: Machine;

async function onMachine(release: Partial<ReleaseServer> = {}, env: Record<string, string> = {}) {
  machine = await createMachine({
    SMALL_LLM_OLLAMA_RELEASES: release.apiBase ?? releases.apiBase,
    SMALL_LLM_INDEX_URL: indexServer.url,
    SLI_STANDIN_REGISTRY: JSON.stringify(registry),
    // Setup picks by speed here: stated, so the pick never depends on this shared machine's load.
    SMALL_LLM_MEMORY_BANDWIDTH: "51.2",
    ...env,
  });
  return machine;
}

const current = (m: Machine) => join(m.data, "ollama", "current");
const hasCurrent = (m: Machine) => {
  try {
    return Boolean(lstatSync(current(m)));
  } catch {
    return false;
  }
};

beforeAll(async () => {
  const v1: FakeRelease = {
    tag: "v0.33.0",
    assets: [linux("v0.33.0"), { name: "ollama-darwin.tgz", data: Buffer.from("x") }],
  };
  releases = await startReleaseServer([v1], "v0.33.0");
  indexServer = await startIndexServer(JSON.stringify(index));
});
afterAll(async () => {
  await releases.close();
  await indexServer.close();
});
afterEach(async () => {
  await machine?.cleanup();
  releases.faults.length = 0;
});

describe("small-llm setup", () => {
  it("downloads, verifies, installs and starts Ollama, pulls the recommended model; a second run does nothing", async () => {
    const m = await onMachine();
    const r = await m.cli(["setup"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("no Ollama found: downloading it");
    expect(r.stderr).toContain("verifying sha256 of ollama-linux-amd64.tar.zst");
    expect(r.stdout).toContain("Ollama is set up.");
    expect(r.stdout).toContain("runtime   ollama 0.33.0 (installed now)");
    expect(r.stdout).toContain(`URL       http://127.0.0.1:${m.port}`);
    expect(r.stdout).toMatch(/PID\s+\d+ \(started by small-llm/);
    expect(r.stdout).toContain(join(m.state, "logs", "ollama.log"));
    expect(r.stdout).toMatch(/model\s+hf\.co\/\S+ \(pulled now\)/);
    expect(readlinkSync(current(m))).toBe("0.33.0");
    expect(existsSync(join(m.data, "ollama", "0.33.0", "lib", "ollama", "libggml-base.so"))).toBe(true);
    // The download is gone once installed; nothing half-done is left.
    expect(readdirSync(join(m.data, "ollama", "downloads"))).toEqual([]);

    const again = await m.cli(["setup", "--json"]);
    expect(again.code, again.stderr).toBe(0);
    const result = JSON.parse(again.stdout);
    expect(result).toMatchObject({ runtime: "ollama", version: "0.33.0", server: "reused", changed: false });
    expect(result.model.pulled).toBe(false);
    expect(result.models.length).toBe(1);
    expect((await m.cli(["setup"])).stdout).toContain("Ollama is already set up: nothing to do.");
  });

  it("--no-model and --model; --version picks the release", async () => {
    const m = await onMachine();
    const none = await m.cli(["setup", "--no-model", "--version", "v0.33.0", "--json"]);
    expect(none.code, none.stderr).toBe(0);
    expect(JSON.parse(none.stdout).model).toBeUndefined();
    const some = await m.cli(["setup", "--model", "Qwen/Qwen2.5-0.5B-Instruct", "--json"]);
    expect(JSON.parse(some.stdout).model).toMatchObject({ id: "Qwen/Qwen2.5-0.5B-Instruct", pulled: true });
    await m.cleanup();
    const fresh = await onMachine();
    const missing = await fresh.cli(["setup", "--version", "v9.9.9"]);
    expect(missing.code).toBe(13);
    expect(missing.stderr).toContain("no release v9.9.9");
  });

  it("falls back to sha256sum.txt when assets have no digest", async () => {
    const server = await startReleaseServer([{ tag: "v0.33.0", assets: [{ ...linux("v0.33.0"), noDigest: true }] }]);
    try {
      const m = await onMachine(server);
      const r = await m.cli(["setup", "--no-model"]);
      expect(r.code, r.stderr).toBe(0);
      expect(server.requests.some((q) => q.path.endsWith("/sha256sum.txt"))).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe("server start | stop | status | logs", () => {
  it("manages only the server it started", async () => {
    const m = await onMachine();
    expect((await m.cli(["setup", "--no-model"])).code).toBe(0);
    const status = await m.cli(["server", "status"]);
    expect(status.stdout).toMatch(/Ollama 0\.33\.0 at http:\/\/127\.0\.0\.1:\d+: started by small-llm \(pid \d+\)/);
    const logs = await m.cli(["server", "logs", "-n", "5"]);
    expect(logs.stdout).toContain("Listening on 127.0.0.1");
    const stop = await m.cli(["server", "stop"]);
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toMatch(/stopped the Ollama server at .* \(pid \d+\)/);
    expect(existsSync(join(m.state, "ollama.pid"))).toBe(false);
    expect((await m.cli(["server", "status"])).stdout).toContain("no Ollama server at");
    expect((await m.cli(["server", "stop"])).stdout).toContain("no Ollama server is running");
    const start = await m.cli(["server", "start"]);
    expect(start.code, start.stderr).toBe(0);
    expect(start.stdout).toMatch(/started Ollama 0\.33\.0 at .* \(pid \d+, log: /);
    expect((await m.cli(["server", "start"])).stdout).toContain("is already running");
  });

  it("stops a server it started from an ollama on PATH, even one whose script exec'd an interpreter", async () => {
    const m = await onMachine({}, {});
    m.env.PATH = `${fakeOllamaBinDir()}:${m.env.PATH}`;
    const start = await m.cli(["server", "start"]);
    expect(start.code, start.stderr).toBe(0);
    expect(start.stdout).toMatch(/started Ollama .* \(pid \d+, log: /);
    const stop = await m.cli(["server", "stop"]);
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toContain("stopped the Ollama server");
    expect((await m.cli(["server", "status"])).stdout).toContain("no Ollama server at");
  });

  it("leaves a server it did not start alone, and cleans a stale pid file", async () => {
    const other = await startOllamaEmulator({ registry: [] });
    try {
      const m = await onMachine({}, { OLLAMA_HOST: other.hostPort });
      mkdirSync(m.state, { recursive: true });
      const { writeFileSync } = await import("node:fs");
      writeFileSync(join(m.state, "ollama.pid"), "999999\n");
      const stop = await m.cli(["server", "stop"]);
      expect(stop.code).toBe(1);
      expect(stop.stderr).toContain("was not started by small-llm, so it was left running");
      expect(existsSync(join(m.state, "ollama.pid"))).toBe(false);
      expect((await m.cli(["server", "status"])).stdout).toContain("not started by small-llm");
      const setup = await m.cli(["setup", "--no-model", "--json"]);
      expect(JSON.parse(setup.stdout)).toMatchObject({ server: "reused", changed: false });
    } finally {
      await other.close();
    }
  });
});

describe("update-ollama", () => {
  it("--check, then update with a restart; a broken release is rolled back", async () => {
    const server = await startReleaseServer([{ tag: "v0.33.0", assets: [linux("v0.33.0")] }], "v0.33.0");
    try {
      const m = await onMachine(server);
      expect((await m.cli(["setup", "--no-model"])).code).toBe(0);
      expect((await m.cli(["update-ollama", "--check"])).stdout).toContain("Ollama 0.33.0 is up to date");
      server.releases.push({ tag: "v0.34.0", assets: [linux("v0.34.0")] });
      server.latest = "v0.34.0";
      const check = await m.cli(["update-ollama", "--check"]);
      expect(check.stdout).toContain("Ollama 0.33.0 is installed; the latest release is 0.34.0");
      expect(readlinkSync(current(m))).toBe("0.33.0");
      const update = await m.cli(["update-ollama"]);
      expect(update.code, update.stderr).toBe(0);
      expect(update.stdout).toContain("updated Ollama 0.33.0 → 0.34.0 and restarted the server");
      expect(readlinkSync(current(m))).toBe("0.34.0");
      expect(existsSync(join(m.data, "ollama", "0.33.0"))).toBe(false);
      expect((await m.cli(["server", "status"])).stdout).toContain("Ollama 0.34.0");

      server.releases.push({ tag: "v0.35.0", assets: [linux("v0.35.0", { broken: true })] });
      server.latest = "v0.35.0";
      const broken = await m.cli(["update-ollama"]);
      expect(broken.code).toBe(1);
      expect(broken.stderr).toContain("Ollama 0.35.0 did not work");
      expect(broken.stderr).toContain("so 0.34.0 is current again");
      expect(readlinkSync(current(m))).toBe("0.34.0");
      expect(existsSync(join(m.data, "ollama", "0.35.0"))).toBe(false);
      expect((await m.cli(["server", "status"])).stdout).toContain("Ollama 0.34.0");
    } finally {
      await server.close();
    }
  });

  it("with no server running: starts the new version only to check it answers, then leaves it stopped", async () => {
    const server = await startReleaseServer([{ tag: "v0.33.0", assets: [linux("v0.33.0")] }], "v0.33.0");
    try {
      const m = await onMachine(server);
      expect((await m.cli(["setup", "--no-model"])).code).toBe(0);
      expect((await m.cli(["server", "stop"])).code).toBe(0);
      server.releases.push({ tag: "v0.34.0", assets: [linux("v0.34.0", { broken: true })] });
      server.latest = "v0.34.0";
      const broken = await m.cli(["update-ollama"]);
      expect(broken.code).toBe(1);
      expect(broken.stderr).toContain("so 0.33.0 is current again");
      expect(readlinkSync(current(m))).toBe("0.33.0");
      server.releases.push({ tag: "v0.35.0", assets: [linux("v0.35.0")] });
      server.latest = "v0.35.0";
      const update = await m.cli(["update-ollama"]);
      expect(update.code, update.stderr).toBe(0);
      expect(update.stdout).toBe("updated Ollama 0.33.0 → 0.35.0\n");
      expect(readlinkSync(current(m))).toBe("0.35.0");
      expect((await m.cli(["server", "status"])).stdout).toContain("no Ollama server at");
    } finally {
      await server.close();
    }
  });

  it("describes a system install instead of touching it", async () => {
    const m = await onMachine();
    const { writeFileSync, chmodSync } = await import("node:fs");
    const bin = join(m.home, "empty-bin", "ollama");
    writeFileSync(bin, "#!/bin/sh\necho 'ollama version is 0.30.0'\n");
    chmodSync(bin, 0o755);
    const r = await m.cli(["update-ollama"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`at ${bin} is managed by an install outside small-llm, not small-llm`);
    expect(r.stdout).toContain("To update it:");
  });
});

describe("faults, each with its message and exit code", () => {
  it("no network to the releases: exit 13", async () => {
    const m = await onMachine({ apiBase: "http://127.0.0.1:9/repos/ollama/ollama/releases" });
    const r = await m.cli(["setup"]);
    expect(r.code).toBe(13);
    expect(r.stderr).toContain("could not get the Ollama release from http://127.0.0.1:9/");
    expect(r.stderr).toContain("Check your network (or SMALL_LLM_OLLAMA_RELEASES)");
  });

  it("checksum mismatch: exit 11, the download deleted, nothing installed", async () => {
    const server = await startReleaseServer([{ tag: "v0.33.0", assets: [{ ...linux("v0.33.0"), wrongDigest: true }] }]);
    try {
      const m = await onMachine(server);
      const r = await m.cli(["setup"]);
      expect(r.code).toBe(11);
      expect(r.stderr).toContain("is damaged or not the published file");
      expect(r.stderr).toContain("It was deleted and nothing was installed");
      expect(hasCurrent(m)).toBe(false);
      expect(readdirSync(join(m.data, "ollama", "downloads"))).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it("no checksum published at all: refused, exit 11", async () => {
    const server = await startReleaseServer([
      { tag: "v0.33.0", assets: [{ ...linux("v0.33.0"), noDigest: true }], checksumFile: false },
    ]);
    try {
      const m = await onMachine(server);
      const r = await m.cli(["setup"]);
      expect(r.code).toBe(11);
      expect(r.stderr).toContain("the release publishes no checksum for it");
      expect(hasCurrent(m)).toBe(false);
    } finally {
      await server.close();
    }
  });

  it("a truncated download resumes with Range and installs", async () => {
    const m = await onMachine();
    releases.faults.push({ asset: "ollama-linux-amd64.tar.zst", kind: "cut", afterBytes: 1000, times: 2 });
    const r = await m.cli(["setup", "--no-model"]);
    expect(r.code, r.stderr).toBe(0);
    const ranged = releases.requests.filter((q) => q.path.endsWith(".tar.zst") && q.range);
    expect(ranged.map((q) => [q.range, q.status])).toContainEqual(["bytes=1000-", 206]);
    expect(readlinkSync(current(m))).toBe("0.33.0");
  });

  it("a download that keeps getting cut: exit 6, the part kept for next time, nothing current", async () => {
    const m = await onMachine();
    releases.faults.push({ asset: "ollama-linux-amd64.tar.zst", kind: "cut", afterBytes: 100 });
    const r = await m.cli(["setup"]);
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/the download of ollama-linux-amd64\.tar\.zst stopped at \d+ of \d+ bytes/);
    expect(r.stderr).toContain("it resumes from what was downloaded");
    expect(hasCurrent(m)).toBe(false);
    expect(readdirSync(join(m.data, "ollama", "downloads"))).toEqual(["0.33.0-ollama-linux-amd64.tar.zst.part"]);
    releases.faults.length = 0;
    const resumed = await m.cli(["setup", "--no-model"]);
    expect(resumed.code, resumed.stderr).toBe(0);
  });

  it("a server that ignores Range: the download restarts from zero", async () => {
    const m = await onMachine();
    releases.faults.push(
      { asset: "ollama-linux-amd64.tar.zst", kind: "cut", afterBytes: 500, times: 1 },
      { asset: "ollama-linux-amd64.tar.zst", kind: "ignore-range", times: 1 },
    );
    const r = await m.cli(["setup", "--no-model"]);
    expect(r.code, r.stderr).toBe(0);
    const ranged = releases.requests.filter((q) => q.path.endsWith(".tar.zst") && q.range);
    expect(ranged.map((q) => q.status)).toContain(200); // asked to resume, got the whole file, started over
    expect(readlinkSync(current(m))).toBe("0.33.0");
  });

  it("no asset for this platform: exit 14 naming what the release has", async () => {
    const server = await startReleaseServer([
      { tag: "v0.33.0", assets: [{ name: "ollama-darwin.tgz", data: Buffer.from("x") }] },
    ]);
    try {
      const m = await onMachine(server);
      const r = await m.cli(["setup"]);
      expect(r.code).toBe(14);
      expect(r.stderr).toContain(`Ollama v0.33.0 has no download for ${process.platform}/${process.arch}`);
      expect(r.stderr).toContain("it has ollama-darwin.tgz");
    } finally {
      await server.close();
    }
  });

  it("the port taken by something that is not Ollama: exit 3", async () => {
    const squatter: Server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>hello</html>");
    });
    await new Promise<void>((r) => squatter.listen(0, "127.0.0.1", r));
    try {
      const port = (squatter.address() as { port: number }).port;
      const m = await onMachine({}, { OLLAMA_HOST: `127.0.0.1:${port}` });
      const r = await m.cli(["setup"]);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`the server at http://127.0.0.1:${port} is not Ollama`);
      expect(r.stderr).toContain("stop what is using that port");
    } finally {
      squatter.close();
    }
  });

  it("a server that dies during start: exit 3 with the end of its log", async () => {
    const m = await onMachine({}, { SLI_STANDIN_FAIL: "1" });
    const r = await m.cli(["setup"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/serve` stopped at once \(exit code 1\)/);
    expect(r.stderr).toContain("unable to load the ollama runtime libraries");
  });

  it("disk full during the download: exit 5, the part removed, nothing current", async () => {
    const m = await onMachine();
    const downloads = join(m.data, "ollama", "downloads");
    mkdirSync(downloads, { recursive: true });
    // Writes to /dev/full fail with ENOSPC, as on a full disk.
    symlinkSync("/dev/full", join(downloads, "0.33.0-ollama-linux-amd64.tar.zst.part"));
    const r = await m.cli(["setup"]);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain("the disk is full: could not write");
    expect(r.stderr).toContain("the partial download was removed");
    expect(hasCurrent(m)).toBe(false);
  });

  describe("Ctrl-C at every step: exit 130, nothing half-installed becomes current", () => {
    it("while downloading", async () => {
      const m = await onMachine();
      releases.faults.push({ asset: "ollama-linux-amd64.tar.zst", kind: "slow", delayMs: 200 });
      const r = await m.interrupt(["setup"], /downloading Ollama/);
      expect(r.sawCue).toBe(true);
      expect(r.code).toBe(130);
      expect(r.stderr).toContain("was cancelled");
      expect(hasCurrent(m)).toBe(false);
    });

    it("while starting the server", async () => {
      const m = await onMachine({}, { SLI_STANDIN_DELAY_MS: "60000" });
      const r = await m.interrupt(["setup"], /starting `ollama serve`/);
      expect(r.code, r.stderr).toBe(130);
      expect(readlinkSync(current(m))).toBe("0.33.0"); // complete before the start: it stays
      expect(readdirSync(join(m.data, "ollama")).filter((n) => n.startsWith(".staging"))).toEqual([]);
    });

    it("while pulling the model", async () => {
      const m = await onMachine({}, { SLI_STANDIN_LINE_DELAY_MS: "300" });
      const r = await m.interrupt(["setup"], /pulling hf\.co/);
      expect(r.code).toBe(130);
      expect(r.stderr).toContain("was cancelled");
    });
  });
});

it("the stand-in archive really is the emulator (sanity of the fixture)", () => {
  expect(readFileSync(new URL("../../test/ollama-releases/stand-in-serve.ts", import.meta.url), "utf8")).toContain(
    "startOllamaEmulator",
  );
});

describe("pre-flight before a pull (install, run with auto-pull, setup)", () => {
  const GiB = 1024 ** 3;
  const base = sampleModel();
  const target = (ref: string, fileBytes: number) =>
    ({ ...base.install[0], ref, fileBytes }) as (typeof base.install)[0];
  const huge = sampleModel({
    id: "example/Huge-Disk-Instruct",
    install: [target("hf.co/example/Huge-Disk-GGUF:Q4_K_M", 5e15)],
  });
  const hungry = sampleModel({
    id: "example/Huge-Memory-Instruct",
    install: [target("hf.co/example/Huge-Memory-GGUF:Q4_K_M", 1e6)],
    fit: [{ quant: "Q4_K_M", contextLength: 4096, memoryBytes: 4096 * GiB, fits: [] }],
  });
  let emulator: OllamaEmulator;
  let bigIndex: IndexServer;
  beforeAll(async () => {
    emulator = await startOllamaEmulator({
      registry: [ggufModel(huge.install[0]?.ref ?? "", 1000), ggufModel(hungry.install[0]?.ref ?? "", 1000)],
      lineDelayMs: 0,
    });
    bigIndex = await startIndexServer(JSON.stringify(sampleIndex([sampleModel(), huge, hungry])));
  });
  afterAll(async () => {
    await emulator.close();
    await bigIndex.close();
  });

  it("refuses a model the disk cannot hold (exit 5) and one memory cannot hold (exit 12); --force pulls anyway", async () => {
    const m = await onMachine({}, { OLLAMA_HOST: emulator.hostPort, SMALL_LLM_INDEX_URL: bigIndex.url });
    const disk = await m.cli(["install", "example/Huge-Disk-Instruct"]);
    expect(disk.code).toBe(5);
    expect(disk.stderr).toMatch(/not enough disk space for hf\.co\/example\/Huge-Disk-GGUF:Q4_K_M: it needs 5500 TB/);
    expect(disk.stderr).toContain(`in ${join(m.home, ".ollama", "models")}, and`);
    expect(disk.stderr).toContain("Pass --force to pull it anyway.");
    const memory = await m.cli(["run", "example/Huge-Memory-Instruct", "hi"]);
    expect(memory.code).toBe(12);
    expect(memory.stderr).toMatch(/needs ~4\.4 TB of memory at 4096 tokens, and this machine has .* usable \(.* RAM\)/);
    expect(memory.stderr).toMatch(/A smaller model that fits: \S+ \(Q4_K_M, ~\d+ MB\)/);
    const viaSetup = await m.cli(["setup", "--model", "example/Huge-Memory-Instruct"]);
    expect(viaSetup.code).toBe(12);
    const forced = await m.cli(["install", "example/Huge-Memory-Instruct", "--force"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain("installed hf.co/example/Huge-Memory-GGUF:Q4_K_M");
  });
});
