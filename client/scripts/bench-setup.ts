/**
 * `npm run bench:setup`: what `small-llm setup` costs. Over a loopback releases server: getting a
 * ~50 MB Ollama release onto disk (download, sha256, unpack tar.zst with Node's zstd), and a second `setup` on a ready machine — whole-process wall time of the built
 * CLI (target well under 1 s) and in-process `setup()`. Needs the built package.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { startIndexServer } from "../../test/helpers/index-server.ts";
import { sampleIndex } from "../../test/helpers/sample-index.ts";
import { buildArchive } from "../../test/ollama-releases/archives.ts";
import { createMachine } from "../../test/ollama-releases/machine.ts";
import { startReleaseServer } from "../../test/ollama-releases/server.ts";
import { downloadFile } from "../src/provision/download.ts";
import { zstdDecompressor } from "../src/provision/extract.ts";
import { sha256File } from "../src/sha256-file.ts";

const MB = 1e6;
const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const time = async (fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};

// Random bytes do not compress: the archive is as big as its payload, like Ollama's GPU libraries.
const big = buildArchive("linux-tar.zst", "0.33.0", {
  extra: { "lib/ollama/libggml-cuda.so": randomBytes(48 * MB).toString("base64") },
});
const small = buildArchive("linux-tar.zst", "0.33.0");
const releases = await startReleaseServer([
  { tag: "v0.33.0", assets: [{ name: "ollama-linux-amd64.tar.zst", data: big }] },
]);
const dir = mkdtempSync(join(tmpdir(), "sli-bench-setup-"));
const part = join(dir, "a.part");
const url = `${releases.url}/ollama/ollama/releases/download/v0.33.0/ollama-linux-amd64.tar.zst`;
const download = await time(() => downloadFile({ url, dest: part, asset: "a", size: big.length }));
const verify = await time(() => sha256File(part));
const sink = () => new Writable({ write: (_c, _e, done) => done() });
const nativeZstd = await time(() => pipeline(createReadStream(part), zstdDecompressor(), sink()));
rmSync(dir, { recursive: true, force: true });
await releases.close();

const readyReleases = await startReleaseServer([
  { tag: "v0.33.0", assets: [{ name: "ollama-linux-amd64.tar.zst", data: small }] },
]);
const index = sampleIndex();
const indexServer = await startIndexServer(JSON.stringify(index));
const machine = await createMachine({
  SMALL_LLM_OLLAMA_RELEASES: readyReleases.apiBase,
  SMALL_LLM_INDEX_URL: indexServer.url,
  SLI_STANDIN_REGISTRY: JSON.stringify(index.models.flatMap((m) => m.install.map((t) => [t.ref, 1000]))),
});
const first = await machine.cli(["setup"]);
if (first.code !== 0) throw new Error(`setup failed: ${first.stderr}`);
// Synchronous runs: nothing else in this process competes with the timing (the index is cached now,
// and the server is the stand-in's own process).
const wall = (args: string[]) => {
  const t = performance.now();
  const r = spawnSync(process.execPath, [cli, ...args], { env: { ...process.env, ...machine.env }, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`small-llm ${args.join(" ")} failed: ${r.stderr}`);
  return { ms: performance.now() - t, stdout: r.stdout };
};
const walls: number[] = [];
for (let i = 0; i < 7; i++) {
  const r = wall(["setup", "--json"]);
  if (!r.stdout.includes('"changed": false')) throw new Error(`the second setup did something: ${r.stdout}`);
  walls.push(r.ms);
}
const node = median(Array.from({ length: 5 }, () => wall(["--help"]).ms));
// In-process, with the pretend machine's environment.
Object.assign(process.env, machine.env);
const { setup } = await import("../src/provision/setup.ts");
const inProcess: number[] = [];
for (let i = 0; i < 7; i++) inProcess.push(await time(() => setup({ index })));
await machine.cleanup();
await readyReleases.close();
await indexServer.close();

const rate = (bytes: number, ms: number) => `${(bytes / MB / (ms / 1000)).toFixed(0)} MB/s`;
const lines = [
  `release archive: ${(big.length / MB).toFixed(0)} MB tar.zst over loopback`,
  `  download ${download.toFixed(0)} ms (${rate(big.length, download)}), sha256 ${verify.toFixed(0)} ms (${rate(big.length, verify)})`,
  `  zstd: Node's zlib ${nativeZstd.toFixed(0)} ms (${rate(big.length, nativeZstd)})`,
  `second setup on a ready machine: ${median(walls).toFixed(0)} ms whole process (median of 7; \`small-llm --help\` alone ${node.toFixed(0)} ms), in-process setup() ${median(inProcess).toFixed(1)} ms`,
];
writeFileSync(1, `${lines.join("\n")}\n`);
