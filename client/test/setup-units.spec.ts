/** The parts of `setup` one at a time: release lookup, asset choice, checksums, download, unpacking, `current`, pre-flight. */
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleIndex, sampleModel } from "../../test/helpers/sample-index.ts";
import { buildArchive } from "../../test/ollama-releases/archives.ts";
import { createMachine } from "../../test/ollama-releases/machine.ts";
import { type ReleaseServer, startReleaseServer } from "../../test/ollama-releases/server.ts";
import {
  ArchiveError,
  ChecksumError,
  NoReleaseAssetError,
  NoSpaceError,
  PreflightError,
  ReleaseUnavailableError,
} from "../src/errors/index.ts";
import type { Hardware } from "../src/hardware/detect-hardware.ts";
import { checkBeforePull } from "../src/operations/preflight.ts";
import { downloadFile } from "../src/provision/download.ts";
import { extractArchive } from "../src/provision/extract.ts";
import { binaryIn, currentVersion, installVersion, switchCurrent } from "../src/provision/install-version.ts";
import { followLog, logTail } from "../src/provision/lifecycle.ts";
import {
  assetNames,
  chooseAsset,
  lookupRelease,
  parseChecksums,
  publishedSha256,
  type Release,
} from "../src/provision/releases.ts";
import { setup } from "../src/provision/setup.ts";
import { verifyDownload } from "../src/provision/verify.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "sli-unit-"));
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const tarZst = buildArchive("linux-tar.zst", "0.33.0");
let server: ReleaseServer;

beforeAll(async () => {
  server = await startReleaseServer([
    { tag: "v0.33.0", assets: [{ name: "ollama-linux-amd64.tar.zst", data: tarZst, noDigest: true }] },
    { tag: "v0.13.5", assets: [{ name: "ollama-linux-amd64.tgz", data: buildArchive("linux-tgz", "0.13.5") }] },
  ]);
});
afterAll(() => server.close());

describe("release lookup", () => {
  it("reads /latest and /tags/<tag> in the GitHub shape, digest or sha256sum.txt", async () => {
    const latest = await lookupRelease({ baseUrl: server.apiBase });
    expect(latest).toMatchObject({ tag: "v0.33.0", version: "0.33.0" });
    const asset = chooseAsset(latest, "linux", "x64");
    expect(asset.sha256).toBeUndefined(); // no digest: the checksum file has it
    expect(await publishedSha256(latest, asset)).toBe(sha(tarZst));
    const old = await lookupRelease({ baseUrl: server.apiBase, version: "0.13.5" });
    expect(chooseAsset(old, "linux", "x64").name).toBe("ollama-linux-amd64.tgz");
    expect(chooseAsset(old, "linux", "x64").sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("says what is wrong with a missing tag, an unreachable API, an answer that is not a release", async () => {
    await expect(lookupRelease({ baseUrl: server.apiBase, version: "v1.2.3" })).rejects.toThrow(/no release v1\.2\.3/);
    await expect(lookupRelease({ baseUrl: "http://127.0.0.1:9/x" })).rejects.toBeInstanceOf(ReleaseUnavailableError);
    await expect(lookupRelease({ baseUrl: `${server.url}/objects/v0.33.0/sha256sum.txt#` })).rejects.toThrow(
      /the answer is not a GitHub release/,
    );
    await expect(lookupRelease({ version: "latest; rm -rf /" })).rejects.toThrow(/is not an Ollama version/);
  });

  it("asks again after a passing 502, and words GitHub's limits by their headers", async () => {
    let calls = 0;
    const flaky: typeof fetch = async (input, init) => {
      if (calls++ === 0) return new Response("<html>Bad Gateway</html>", { status: 502 });
      return fetch(input, init);
    };
    expect(await lookupRelease({ baseUrl: server.apiBase, fetch: flaky })).toMatchObject({ tag: "v0.33.0" });
    expect(calls).toBe(2);
    const reset = Math.floor(Date.now() / 1000) + 600;
    const limited: typeof fetch = async () =>
      new Response("{}", {
        status: 403,
        headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) },
      });
    await expect(lookupRelease({ baseUrl: server.apiBase, fetch: limited })).rejects.toThrow(
      /rate limited — .*; try again in 10 min \(at \d\d:\d\d\)/,
    );
    const refused: typeof fetch = async () => new Response("{}", { status: 403 });
    const error = (await lookupRelease({ baseUrl: server.apiBase, fetch: refused }).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/HTTP 403/);
    expect(error.message).not.toMatch(/rate limited/);
  });

  it("picks the archive for each OS and CPU, and refuses a platform Ollama does not build for", () => {
    expect(assetNames("linux", "arm64")).toEqual(["ollama-linux-arm64.tar.zst", "ollama-linux-arm64.tgz"]);
    expect(assetNames("darwin", "arm64")).toEqual(["ollama-darwin.tgz"]);
    expect(assetNames("win32", "x64")).toEqual(["ollama-windows-amd64.zip"]);
    const release: Release = {
      tag: "v0.33.0",
      version: "0.33.0",
      assets: ["ollama-linux-amd64.tar.zst", "ollama-linux-amd64.tgz", "ollama-windows-arm64.zip"].map((name) => ({
        name,
        url: "http://x/",
      })),
    };
    expect(chooseAsset(release, "linux", "x64").name).toBe("ollama-linux-amd64.tar.zst");
    expect(chooseAsset(release, "win32", "arm64").name).toBe("ollama-windows-arm64.zip");
    expect(() => chooseAsset(release, "freebsd", "x64")).toThrow(NoReleaseAssetError);
    expect(() => chooseAsset(release, "linux", "ia32")).toThrow(/has no download for linux\/ia32/);
  });

  it("parses sha256sum.txt lines with the ./ prefix", () => {
    const sums = parseChecksums(
      `${"a".repeat(64)}  ./ollama-darwin.tgz\n${"B".repeat(64)}  ollama-windows-amd64.zip\ngarbage\n`,
    );
    expect(sums.get("ollama-darwin.tgz")).toBe("a".repeat(64));
    expect(sums.get("ollama-windows-amd64.zip")).toBe("b".repeat(64));
    expect(sums.size).toBe(2);
  });
});

describe("download", () => {
  const url = () => `${server.url}/ollama/ollama/releases/download/v0.33.0/ollama-linux-amd64.tar.zst`;

  it("follows the redirect, resumes after a cut and reports progress", async () => {
    const dest = join(tmp(), "a.part");
    server.faults.push({ asset: "ollama-linux-amd64.tar.zst", kind: "cut", afterBytes: 100, times: 1 });
    const seen: number[] = [];
    await downloadFile({
      url: url(),
      dest,
      asset: "a",
      size: tarZst.length,
      onProgress: (p) => seen.push(p.completed),
    });
    expect(readFileSync(dest).equals(tarZst)).toBe(true);
    expect(seen.at(-1)).toBe(tarZst.length);
    expect(seen).toContain(100);
  });

  it("a passing 503 from the CDN is asked again, from what is already on disk", async () => {
    const dest = join(tmp(), "c.part");
    let calls = 0;
    const busy: typeof fetch = async (input, init) =>
      calls++ === 0
        ? new Response("Service Unavailable", { status: 503, headers: { "retry-after": "0" } })
        : fetch(input, init);
    await downloadFile({ url: url(), dest, asset: "c", size: tarZst.length, fetch: busy });
    expect(readFileSync(dest).equals(tarZst)).toBe(true);
    expect(calls).toBe(2);
  });

  it("a stalled connection counts as cut: it resumes", async () => {
    const dest = join(tmp(), "s.part");
    // Bigger than the 16 KiB the trickle sends before it pauses.
    const big = buildArchive("linux-tar.zst", "0.99.0", {
      extra: { "lib/ollama/x.so": randomBytes(100_000).toString("hex") },
    });
    server.releases.push({ tag: "v0.99.0", assets: [{ name: "stall.tar.zst", data: big }] });
    server.faults.push({ asset: "stall.tar.zst", kind: "slow", delayMs: 60_000, times: 1 });
    const before = server.requests.length;
    const stallUrl = `${server.url}/ollama/ollama/releases/download/v0.99.0/stall.tar.zst`;
    await downloadFile({ url: stallUrl, dest, asset: "s", size: big.length, idleMs: 300 });
    expect(readFileSync(dest).equals(big)).toBe(true);
    expect(server.requests.slice(before).filter((q) => q.path.startsWith("/objects/")).length).toBe(2);
  });

  it("a full disk: NoSpaceError and the part removed", async () => {
    const dest = join(tmp(), "b.part");
    const full = () =>
      new Writable({
        write(_chunk, _enc, done) {
          done(Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" }));
        },
      });
    writeFileSync(dest, "");
    await expect(downloadFile({ url: url(), dest, asset: "b", openWrite: full })).rejects.toBeInstanceOf(NoSpaceError);
    expect(existsSync(dest)).toBe(false);
  });

  it("a checksum that does not match deletes the file", async () => {
    const file = join(tmp(), "c");
    writeFileSync(file, "not the archive");
    await expect(verifyDownload(file, "c", "0".repeat(64))).rejects.toBeInstanceOf(ChecksumError);
    expect(existsSync(file)).toBe(false);
    writeFileSync(file, "x");
    await expect(verifyDownload(file, "c", undefined)).rejects.toMatchObject({ code: "no-checksum" });
  });
});

describe("unpacking each format with its layout", () => {
  it.each([
    ["linux-tar.zst", "tar.zst", "linux", "lib/ollama/libggml-base.so"],
    ["linux-tgz", "tgz", "linux", "lib/ollama/libggml-base.so"],
    ["darwin-tgz", "tgz", "darwin", "libggml-base.dylib"],
    ["windows-zip", "zip", "win32", "lib/ollama/ggml-base.dll"],
  ] as const)("%s", async (format, kind, platform, library) => {
    const dir = tmp();
    const archive = join(dir, "archive");
    writeFileSync(archive, buildArchive(format, "0.33.0"));
    const dest = join(dir, "out");
    await extractArchive(archive, dest, kind);
    const binary = binaryIn(dest, platform);
    expect(readFileSync(binary, "utf8")).toContain("ollama version is 0.33.0");
    expect(statSync(binary).mode & 0o111).not.toBe(0);
    expect(existsSync(join(dest, library))).toBe(true);
  });

  it("a tar.zst made by GNU tar and the zstd CLI (./ prefixes, symlinks)", async () => {
    const dir = tmp();
    const src = join(dir, "src");
    execFileSync("sh", [
      "-c",
      `mkdir -p ${src}/bin ${src}/lib/ollama && printf '#!/bin/sh\n' > ${src}/bin/ollama && chmod 755 ${src}/bin/ollama && ` +
        `echo lib > ${src}/lib/ollama/libcudart.so.12.8 && ln -s libcudart.so.12.8 ${src}/lib/ollama/libcudart.so.12 && ` +
        `tar -C ${src} --owner 0 --group 0 -cf - . | zstd -q -19 -o ${dir}/a.tar.zst`,
    ]);
    await extractArchive(join(dir, "a.tar.zst"), join(dir, "out"), "tar.zst");
    expect(readlinkSync(join(dir, "out", "lib", "ollama", "libcudart.so.12"))).toBe("libcudart.so.12.8");
    expect(statSync(join(dir, "out", "bin", "ollama")).mode & 0o111).not.toBe(0);
  });

  it("refuses zip entries that point outside the destination", async () => {
    const dir = tmp();
    const archive = join(dir, "evil.zip");
    execFileSync("python3", [
      "-c",
      "import sys,zipfile\nz=zipfile.ZipFile(sys.argv[1],'w')\nz.writestr('../escaped','x')\nz.writestr('ollama.exe','y')\nz.close()",
      archive,
    ]);
    await expect(extractArchive(archive, join(dir, "out"), "zip")).rejects.toThrow();
    expect(existsSync(join(dir, "escaped"))).toBe(false);
  });

  it("an archive without the executable is not installed, and leaves no staging behind", async () => {
    const root = tmp();
    const archive = join(root, "a.tar.zst");
    writeFileSync(archive, buildArchive("linux-tar.zst", "0.33.0", { omitBinary: true }));
    await expect(
      installVersion({ archive, asset: "a.tar.zst", kind: "tar.zst", version: "0.33.0", root, platform: "linux" }),
    ).rejects.toBeInstanceOf(ArchiveError);
    expect(readdirSync(root)).toEqual(["a.tar.zst"]);
  });

  it("current switches atomically between complete installs", async () => {
    const root = tmp();
    for (const v of ["0.33.0", "0.34.0"]) {
      const archive = join(root, `${v}.tar.zst`);
      writeFileSync(archive, buildArchive("linux-tar.zst", v));
      await installVersion({ archive, asset: "a", kind: "tar.zst", version: v, root, platform: "linux" });
    }
    switchCurrent("0.33.0", root);
    expect(currentVersion(root)).toBe("0.33.0");
    switchCurrent("0.34.0", root);
    expect(readlinkSync(join(root, "current"))).toBe("0.34.0");
    expect(readFileSync(binaryIn(join(root, "current"), "linux"), "utf8")).toContain("0.34.0");
    expect(readdirSync(root).filter((n) => n.startsWith("."))).toEqual([]);
  });
});

describe("pre-flight before a pull", () => {
  const GiB = 1024 ** 3;
  const hardware = (ramGiB: number): Hardware => ({
    platform: "linux",
    arch: "x64",
    cpu: { model: null, cores: 4 },
    ram: { totalBytes: ramGiB * GiB, availableBytes: null },
    gpus: [],
    unifiedMemory: false,
  });
  const model = sampleModel();
  const [q4, q8] = model.install as [(typeof model.install)[0], (typeof model.install)[0]];

  it("refuses when the disk is too small, naming the quant that fits", () => {
    const error = (() => {
      try {
        checkBeforePull({ model, target: q8, hardware: hardware(16), freeBytes: 950e6, modelsDir: "/models" });
      } catch (e) {
        return e as PreflightError;
      }
    })();
    expect(error).toBeInstanceOf(PreflightError);
    expect(error?.code).toBe("not-enough-disk");
    expect(error?.message).toContain(
      "it needs 1.2 GB (675 MB download + 500 MB margin) in /models, and 950 MB is free",
    );
    expect(error?.message).toContain("A smaller quant fits: --quant Q4_K_M (397 MB)");
    expect(error?.message).toContain("Pass --force");
  });

  it("refuses when memory is too small, naming a quant or a smaller model", () => {
    const tight = {
      ...model,
      fit: [
        { quant: "Q4_K_M", contextLength: 4096, memoryBytes: 3 * GiB, fits: [] },
        { quant: "Q8_0", contextLength: 4096, memoryBytes: 9 * GiB, fits: [] },
      ],
    };
    expect(() => checkBeforePull({ model: tight, target: q8, hardware: hardware(8), freeBytes: 1e12 })).toThrow(
      /needs ~9\.7 GB of memory at 4096 tokens, and this machine has 6\.4 GB usable \(8\.6 GB RAM\)\. A smaller quant fits: --quant Q4_K_M/,
    );
    const report = checkBeforePull({ model, target: q4, hardware: hardware(8), freeBytes: 1e12, index: sampleIndex() });
    expect(report.memoryNeededBytes).toBeLessThan(report.memoryUsableBytes ?? 0);
  });
});

describe("server logs -f", () => {
  it("follows what is appended to the log until cancelled", async () => {
    const state = tmp();
    const saved = process.env.SMALL_LLM_STATE_DIR;
    process.env.SMALL_LLM_STATE_DIR = state;
    try {
      mkdirSync(join(state, "logs"));
      writeFileSync(join(state, "logs", "ollama.log"), "old line\n");
      expect(logTail(5)).toBe("old line");
      const controller = new AbortController();
      let seen = "";
      const following = followLog(
        (t) => {
          seen += t;
          if (seen.includes("new line")) controller.abort();
        },
        controller.signal,
        20,
      );
      await new Promise((r) => setTimeout(r, 100));
      appendFileSync(join(state, "logs", "ollama.log"), "new line\n");
      await following;
      expect(seen).toBe("new line\n");
    } finally {
      if (saved === undefined) delete process.env.SMALL_LLM_STATE_DIR;
      else process.env.SMALL_LLM_STATE_DIR = saved;
    }
  });
});

describe("setup() in the library", () => {
  it("reports a platform without a download as NoReleaseAssetError and installs nothing", async () => {
    const machine = await createMachine({ SMALL_LLM_OLLAMA_RELEASES: server.apiBase });
    const saved = { ...process.env };
    Object.assign(process.env, machine.env);
    try {
      const steps: string[] = [];
      const error = await setup({
        platform: "freebsd",
        arch: "x64",
        noModel: true,
        onStep: (s) => steps.push(s),
      }).catch((e) => e);
      expect(error).toBeInstanceOf(NoReleaseAssetError);
      expect(error.code).toBe("no-release-asset");
      expect(steps).toEqual(["no Ollama found: downloading it (no root needed)"]);
      expect(existsSync(join(machine.data, "ollama", "current"))).toBe(false);
    } finally {
      process.env = saved;
      await machine.cleanup();
    }
  });
});
