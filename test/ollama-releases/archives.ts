/**
 * Small Ollama release archives for tests, laid out like the real ones
 * (../shared/reference/agents-and-runtimes.md §A.1): Linux `.tar.zst` (and the `.tgz` of releases
 * before v0.14.0) with `bin/ollama` + `lib/ollama/`, a flat macOS `ollama-darwin.tgz`, a Windows
 * `.zip` with `lib/ollama/` beside `ollama.exe`. `bin/ollama` is a stand-in shell script whose
 * `serve` runs the repo's Ollama emulator (stand-in-serve.ts) and whose `-v` prints its version.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import zlib from "node:zlib";
import * as tar from "tar";

const tsx = new URL("../../node_modules/.bin/tsx", import.meta.url).pathname;
const serve = new URL("./stand-in-serve.ts", import.meta.url).pathname;

/**
 * The stand-in executable. Not `exec`: the pid stays the script's, as the kernel sees `ollama`.
 * `registry` is what its server can pull unless SLI_STANDIN_REGISTRY says otherwise (the releases
 * emulator bakes the index's refs in, so a `setup` tried by hand can pull a model).
 */
export function standInScript(
  version: string,
  options: { broken?: boolean; registry?: [string, number][] } = {},
): string {
  return [
    "#!/bin/sh",
    `case "$1" in -v|--version) echo "ollama version is ${version}"; exit 0;; serve) ;; *) echo "stand-in: $1 unsupported" >&2; exit 1;; esac`,
    options.broken ? "export SLI_STANDIN_FAIL=1" : "",
    // Refs match OLLAMA_REF (no quotes or shell characters), so single quotes hold the JSON as is.
    options.registry
      ? `[ -n "$SLI_STANDIN_REGISTRY" ] || export SLI_STANDIN_REGISTRY='${JSON.stringify(options.registry)}'`
      : "",
    `"${tsx}" "${serve}" "${version}"`,
    "",
  ].join("\n");
}

export type ArchiveFormat = "linux-tar.zst" | "linux-tgz" | "darwin-tgz" | "windows-zip";

interface TreeOptions {
  broken?: boolean;
  extra?: Record<string, string>;
  registry?: [string, number][];
}

function tree(format: ArchiveFormat, version: string, options: TreeOptions) {
  const dir = mkdtempSync(join(tmpdir(), "sli-release-"));
  const put = (rel: string, text: string, mode = 0o644) => {
    mkdirSync(join(dir, rel, ".."), { recursive: true });
    writeFileSync(join(dir, rel), text);
    chmodSync(join(dir, rel), mode);
  };
  const script = standInScript(version, options);
  if (format === "darwin-tgz") {
    put("ollama", script, 0o755);
    put("libggml-base.dylib", "fake library\n");
  } else if (format === "windows-zip") {
    put("ollama.exe", script, 0o755);
    put("lib/ollama/ggml-base.dll", "fake library\n");
  } else {
    put("bin/ollama", script, 0o755);
    put("lib/ollama/libggml-base.so", "fake library\n");
  }
  for (const [rel, text] of Object.entries(options.extra ?? {})) put(rel, text);
  return dir;
}

/** An archive's bytes. */
export function buildArchive(
  format: ArchiveFormat,
  version: string,
  options: TreeOptions & { omitBinary?: boolean } = {},
): Buffer {
  const dir = tree(format, version, options);
  try {
    if (options.omitBinary)
      rmSync(join(dir, format === "darwin-tgz" ? "ollama" : format === "windows-zip" ? "ollama.exe" : "bin"), {
        recursive: true,
      });
    const out = `${dir}${format === "windows-zip" ? ".zip" : ".out"}`; // zip adds .zip to a name without it
    if (format === "windows-zip") {
      execFileSync("zip", ["-qr", out, "."], { cwd: dir });
    } else {
      const entries = execFileSync("ls", ["-A"], { cwd: dir, encoding: "utf8" }).trim().split("\n");
      tar.c({ cwd: dir, file: out, sync: true, gzip: format !== "linux-tar.zst", portable: true }, entries);
      if (format === "linux-tar.zst") writeFileSync(out, zlib.zstdCompressSync(readFileSync(out)));
    }
    const data = readFileSync(out);
    rmSync(out, { force: true });
    return data;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const assetFor = (format: ArchiveFormat, arch = "amd64") =>
  ({
    "linux-tar.zst": `ollama-linux-${arch}.tar.zst`,
    "linux-tgz": `ollama-linux-${arch}.tgz`,
    "darwin-tgz": "ollama-darwin.tgz",
    "windows-zip": `ollama-windows-${arch}.zip`,
  })[format];
