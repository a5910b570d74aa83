/**
 * Unpack an Ollama archive with well-kept libraries: node-tar for `.tgz` and for the tar inside
 * `.tar.zst` (zstd from Node's zlib), yauzl for
 * Windows `.zip`. Both refuse absolute paths and `..`; entries are checked again against the
 * destination before anything is written.
 */
import { createReadStream, createWriteStream, mkdirSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import type { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import * as tar from "tar";
import yauzl from "yauzl";
import { UnsupportedError } from "../errors/index.ts";
import type { ArchiveKind } from "./archive-kind.ts";

/**
 * Node's zstd decompressing stream (zlib, from Node 22.15). On 22.12–22.14 a `.tar.zst` (every Linux
 * release from v0.14.0) cannot be unpacked here: say so, and what to do, before anything is written.
 */
export function zstdDecompressor(): Transform {
  const native = (zlib as { createZstdDecompress?: () => Transform }).createZstdDecompress;
  if (typeof native !== "function")
    throw new UnsupportedError(
      `unpacking a .tar.zst needs Node's zstd, which Node ${process.versions.node} lacks (it came in 22.15). ` +
        "Update Node (24 LTS recommended), or install an Ollama release before v0.14.0 with --version (a .tgz).",
    );
  return native();
}

export async function extractArchive(
  file: string,
  dest: string,
  kind: ArchiveKind,
  signal?: AbortSignal,
): Promise<void> {
  mkdirSync(dest, { recursive: true });
  const opts = signal ? { signal } : {};
  if (kind === "zip") return extractZip(file, dest, signal);
  const untar = tar.x({ cwd: dest, strict: true, preservePaths: false });
  if (kind === "tgz") return pipeline(createReadStream(file), untar, opts);
  return pipeline(createReadStream(file), zstdDecompressor(), untar, opts);
}

function inside(dest: string, name: string): string {
  const target = resolve(dest, name);
  const rel = relative(dest, target);
  if (rel.startsWith("..") || isAbsolute(rel)) throw new Error(`the archive entry "${name}" points outside`);
  return target;
}

function extractZip(file: string, dest: string, signal?: AbortSignal): Promise<void> {
  return new Promise((done, fail) => {
    yauzl.open(file, { lazyEntries: true, validateEntrySizes: true }, (error, zip) => {
      if (error || !zip) return fail(error);
      const stop = (e: unknown) => {
        zip.close();
        fail(e);
      };
      signal?.addEventListener("abort", () => stop(signal.reason), { once: true });
      zip.on("error", stop);
      zip.on("end", () => done());
      zip.on("entry", (entry: yauzl.Entry) => {
        if (signal?.aborted) return;
        let target: string;
        try {
          target = inside(dest, entry.fileName);
        } catch (e) {
          return stop(e);
        }
        if (entry.fileName.endsWith("/")) {
          mkdirSync(target, { recursive: true });
          return zip.readEntry();
        }
        mkdirSync(dirname(target), { recursive: true });
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return stop(e);
          const mode = (entry.externalFileAttributes >>> 16) & 0o777;
          pipeline(stream, createWriteStream(target, { mode: mode || 0o644 })).then(() => zip.readEntry(), stop);
        });
      });
      zip.readEntry();
    });
  });
}
