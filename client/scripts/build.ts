/**
 * Build the package: cut the bundled snapshot from the pipeline's output (data/v1/index.json, or
 * SMALL_LLM_DATA_DIR), bundle the library and the CLI with esbuild for Node ≥ 22.12 (the shared schema
 * is inlined; npm dependencies stay external), the dashboard for the browser, and emit type declarations.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { type Index, readIndex } from "../../schema/index.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const dataDir = process.env.SMALL_LLM_DATA_DIR ?? fileURLToPath(new URL("../../data", import.meta.url));
const PER_TIER = 6;

/** The most downloaded installable models of each tier: what someone offline most likely wants. */
function snapshot(index: Index): Index {
  const models = index.tiers.flatMap((tier) =>
    index.models
      .filter((m) => m.tier === tier.id && m.install.length > 0 && !m.gated)
      .sort((a, b) => b.downloads - a.downloads || a.id.localeCompare(b.id))
      .slice(0, PER_TIER),
  );
  return readIndex({ ...index, models: models.sort((a, b) => a.id.localeCompare(b.id)) }, "the bundled snapshot").index;
}

// Read as any consumer reads it: a published index from a newer pipeline must not break the build.
const { index: source, warnings } = readIndex(
  JSON.parse(readFileSync(`${dataDir}/v1/index.json`, "utf8")),
  `${dataDir}/v1/index.json`,
);
for (const w of warnings) console.error(`small-llm build: ${w}`);
mkdirSync(`${root}/bundled`, { recursive: true });
writeFileSync(`${root}/bundled/index.json`, `${JSON.stringify(snapshot(source))}\n`);

rmSync(`${root}/dist`, { recursive: true, force: true });
await build({
  // `small-llm/server` and `small-llm/mcp` are entries of their own: a program can embed them, and
  // `import "small-llm"` never loads them.
  entryPoints: {
    index: `${root}/src/index.ts`,
    core: `${root}/src/core/index.ts`,
    http: `${root}/src/http/index.ts`,
    server: `${root}/src/server/api-server.ts`,
    mcp: `${root}/src/mcp/mcp-tools.ts`,
  },
  outdir: `${root}/dist`,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node22",
  // Every npm dependency stays external; node-llama-cpp (the embedded runtime's optional peer) must:
  // it tests its native binary in a child process and refuses to when bundled with other code.
  packages: "external",
  external: ["node-llama-cpp"],
  logLevel: "warning",
});
// The CLI is a program, not a library: it carries its small dependencies (zod alone is 200-odd
// modules) in one bundle of its own, so a command starts with a few files to load instead of
// hundreds. What only some commands need — the MCP SDK, the Hub client, archive readers,
// llama.cpp — stays outside and loads when used.
await build({
  entryPoints: { cli: `${root}/src/cli/bin.ts` },
  outdir: `${root}/dist`,
  chunkNames: "cli/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node22",
  external: ["node-llama-cpp", "@modelcontextprotocol/*", "@huggingface/*", "tar", "yauzl"],
  // zod's 60-odd message locales are half of what a command loads, and the CLI speaks English (the
  // English one stays: zod registers it on its own). Nothing here reads `z.locales`.
  plugins: [
    {
      name: "zod-without-locales",
      setup(b) {
        b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({ contents: "export {};" }));
      },
    },
  ],
  // Bundled CommonJS dependencies (commander, cli-progress, write-file-atomic) use require() and __filename.
  banner: {
    js: [
      'import { createRequire as __cliRequire } from "node:module";',
      'import { fileURLToPath as __cliPath } from "node:url";',
      "const require = __cliRequire(import.meta.url);",
      "const __filename = __cliPath(import.meta.url);",
      'const __dirname = __filename.slice(0, __filename.lastIndexOf("/"));',
    ].join(" "),
  },
  logLevel: "warning",
});
chmodSync(`${root}/dist/cli.js`, 0o755);
// The dashboard `small-llm serve` hands to the browser: one script for the page (sharing format.ts
// with the CLI), its HTML and CSS. Read from disk by the server only when asked for.
await build({
  entryPoints: [`${root}/src/dashboard/app.ts`],
  outfile: `${root}/dist/dashboard/app.js`,
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  logLevel: "warning",
});
for (const file of ["index.html", "style.css"])
  copyFileSync(`${root}/src/dashboard/${file}`, `${root}/dist/dashboard/${file}`);
execFileSync("tsc", ["-p", `${root}/tsconfig.build.json`], { stdio: "inherit" });
// Declarations at the package root, one beside each entry (tsc lays them out by source path).
const DECLARED = {
  index: "index.ts",
  core: "core/index.ts",
  http: "http/index.ts",
  server: "server/api-server.ts",
  mcp: "mcp/mcp-tools.ts",
};
for (const [entry, source] of Object.entries(DECLARED))
  writeFileSync(
    `${root}/dist/${entry}.d.ts`,
    `export * from "./types/client/src/${source.replace(/\.ts$/, ".js")}";\n`,
  );
console.error(`small-llm: built dist/ with a ${snapshot(source).models.length}-model bundled snapshot from ${dataDir}`);
