/**
 * An index on this machine: a `file://` URL or a path (absolute, or relative to the working
 * directory), to the index.json the pipeline wrote or to its output folder (`data`, `/tmp/x`),
 * where `v1/index.json` is looked for. Read whole, with the same size cap as a download.
 */
import { readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { FetchIndexError } from "./fetch-index.ts";

/** A URL with a scheme other than file: is fetched; a `file:` URL or anything without a scheme is a path. */
export function isLocalIndex(source: string): boolean {
  if (/^file:/i.test(source)) return true;
  if (/^[a-zA-Z]:[\\/]/.test(source)) return true; // a Windows drive path
  return !/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(source);
}

/** The file an index source names: the path itself, or `v1/index.json` (else `index.json`) in a folder. */
export function indexFilePath(source: string): string {
  const path = /^file:/i.test(source) ? fileURLToPath(source) : resolve(source);
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch (error) {
    throw new FetchIndexError(
      `${path}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`,
    );
  }
  if (!isDir) return path;
  for (const inside of [join(path, "v1", "index.json"), join(path, "index.json")]) {
    try {
      if (statSync(inside).isFile()) return inside;
    } catch {
      // try the next
    }
  }
  throw new FetchIndexError(`${path} is a folder without v1/index.json or index.json in it`);
}

/** The index text and the `file://` URL it was read from. */
export function readIndexFile(source: string, maxBytes: number): { body: string; url: string } {
  const file = indexFilePath(source);
  const size = statSync(file).size;
  if (size > maxBytes) throw new FetchIndexError(`${file} is ${size} bytes, over the ${maxBytes}-byte limit`);
  try {
    return { body: readFileSync(file, "utf8"), url: pathToFileURL(file).href };
  } catch (error) {
    throw new FetchIndexError(`${file}: ${(error as Error).message}`);
  }
}
