/**
 * Making the client's folders (cache, state, data) without Node's recursive mkdir: on a path such
 * as `/proc/nope` that call never returns (it retries the parent forever at 100 % CPU). Each
 * missing folder is made one level at a time, and one that cannot be made is a DirectoryError that
 * names the folder, the variable that chose it and the reason, at once.
 */
import { mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { DirectoryError } from "./errors/index.ts";

/** Which folder, for messages: `the cache directory (SMALL_LLM_CACHE_DIR)`. */
export type DirectoryLabel = string;

function why(error: NodeJS.ErrnoException, at: string): string {
  switch (error.code) {
    case "EACCES":
    case "EPERM":
      return `permission denied at ${at}`;
    case "EROFS":
      return `${at} is on a read-only file system`;
    case "ENOTDIR":
      return `${at} is inside a file, not a folder`;
    case "ENOENT":
      return `the file system at ${dirname(at)} does not allow creating folders`;
    case "ENOSPC":
      return "the disk is full";
    default:
      return error.message;
  }
}

/** `dir` exists as a folder afterwards (made if missing, with its parents); the absolute path. */
export function ensureDir(dir: string, label: DirectoryLabel): string {
  const target = resolve(dir);
  const missing: string[] = [];
  for (let at = target; ; at = dirname(at)) {
    try {
      if (!statSync(at).isDirectory()) throw new DirectoryError(label, target, `${at} is a file, not a folder`);
      break;
    } catch (error) {
      if (error instanceof DirectoryError) throw error;
      const e = error as NodeJS.ErrnoException;
      if (e.code !== "ENOENT" || dirname(at) === at) throw new DirectoryError(label, target, why(e, at), { cause: e });
      missing.unshift(at);
    }
  }
  for (const at of missing) {
    try {
      mkdirSync(at);
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      if (e.code !== "EEXIST") throw new DirectoryError(label, target, why(e, at), { cause: e });
    }
  }
  return target;
}
