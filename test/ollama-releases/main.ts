/**
 * `npm run releases-emulator -- [options]`: GitHub's releases API for ollama/ollama on 127.0.0.1,
 * with this platform's archive of each version — a stand-in `ollama` whose `serve` runs the Ollama
 * emulator, able to pull every install ref of an index — so `small-llm setup` and `update-ollama`
 * can be tried by hand with no network. Prints the SMALL_LLM_OLLAMA_RELEASES value on stdout.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { readIndex } from "../../schema/index.ts";
import { type ArchiveFormat, assetFor, buildArchive } from "./archives.ts";
import { type FakeRelease, type ReleaseFault, startReleaseServer } from "./server.ts";

const HELP = `Usage: npm run releases-emulator -- [options]

GitHub's releases API for Ollama on 127.0.0.1, serving this platform's archive of each version (a
stand-in ollama whose server is the Ollama emulator). Then:
  SMALL_LLM_OLLAMA_RELEASES=<printed URL> small-llm setup

Options:
  --port N            port to listen on (default: a free one)
  --version vX.Y.Z    a release to serve (repeatable; the last is "latest"; default v0.33.0)
  --index FILE        the index whose refs its Ollama can pull (default: data/v1/index.json)
  --fault KIND        on every download of the archive: cut (the connection drops half-way; a
                      re-run resumes), slow (a trickle, to watch the bar), wrong-digest (the
                      published sha256 does not match: setup refuses it); repeatable
  -h, --help          this help`;

function fail(message: string): never {
  console.error(`releases-emulator: ${message} (--help lists the options)`);
  process.exit(2);
}

let values: ReturnType<typeof parse>["values"];
function parse() {
  return parseArgs({
    options: {
      port: { type: "string" },
      version: { type: "string", multiple: true },
      index: { type: "string" },
      fault: { type: "string", multiple: true },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
}
try {
  values = parse().values;
} catch (error) {
  fail((error as Error).message);
}
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const port = values.port === undefined ? 0 : /^\d+$/.test(values.port) ? Number(values.port) : Number.NaN;
if (!(port >= 0 && port <= 65535)) fail(`--port takes a port number from 0 to 65535, not "${values.port}"`);
const tags = (values.version ?? ["v0.33.0"]).map((v) => (v.startsWith("v") ? v : `v${v}`));
for (const t of tags) if (!/^v\d+\.\d+\.\d+$/.test(t)) fail(`--version takes a release tag like v0.33.0, not "${t}"`);
const KINDS = ["cut", "slow", "wrong-digest"];
for (const f of values.fault ?? []) if (!KINDS.includes(f)) fail(`--fault takes ${KINDS.join(", ")}, not "${f}"`);

const file = values.index ?? new URL("../../data/v1/index.json", import.meta.url).pathname;
let registry: [string, number][];
try {
  const { index } = readIndex(JSON.parse(readFileSync(file, "utf8")), file);
  registry = index.models.flatMap((m) => m.install.map((t): [string, number] => [t.ref, t.fileBytes]));
} catch (error) {
  fail(`cannot read the index ${file}: ${(error as Error).message}`);
}

// This platform's archive, named as the real release names it.
const format: ArchiveFormat =
  process.platform === "darwin" ? "darwin-tgz" : process.platform === "win32" ? "windows-zip" : "linux-tar.zst";
const arch = process.arch === "arm64" ? "arm64" : "amd64";
const name = assetFor(format, arch);
const wrong = values.fault?.includes("wrong-digest") ?? false;
const releases: FakeRelease[] = tags.map((tag) => ({
  tag,
  assets: [{ name, data: buildArchive(format, tag.slice(1), { registry }), wrongDigest: wrong }],
  ...(wrong ? { checksumFile: false } : {}),
}));
const server = await startReleaseServer(releases, tags.at(-1), port || undefined).catch((error: Error) =>
  fail(`cannot listen on port ${port}: ${error.message}`),
);
for (const f of values.fault ?? []) {
  if (f === "cut")
    server.faults.push({
      asset: name,
      kind: "cut",
      afterBytes: (releases[0]?.assets[0]?.data.length ?? 2) / 2,
    } as ReleaseFault);
  if (f === "slow") server.faults.push({ asset: name, kind: "slow", delayMs: 100 });
}
console.log(server.apiBase);
console.error(
  `releases emulator on ${server.url}: ${tags.join(", ")} (latest ${tags.at(-1)}), each with ${name}${values.fault?.length ? `, faults: ${values.fault.join(", ")}` : ""}\n` +
    `Try: SMALL_LLM_OLLAMA_RELEASES=${server.apiBase} npx small-llm setup — Ctrl-C to stop`,
);
