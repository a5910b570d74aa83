/**
 * This tool's own Ollama installs: `<data>/ollama/<version>/`, each unpacked first into a
 * `.staging-*` directory and renamed into place only when complete, and `<data>/ollama/current`
 * pointing at one of them. On POSIX `current` is a relative symlink swapped with rename(2), which is
 * atomic: a reader sees the old or the new version, never neither. Windows cannot rename a junction
 * over another, so there `current` is a junction removed and re-created (a crash in between leaves
 * no `current`, and the next `setup` makes it again).
 */
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmdirSync,
  rmSync,
  symlinkSync,
  unlinkSync,
} from "node:fs";
import { basename, join } from "node:path";
import { ArchiveError } from "../errors/index.ts";
import { ensureDir } from "../fs-dirs.ts";
import { DIR_LABELS, paths } from "../paths.ts";
import type { ArchiveKind } from "./archive-kind.ts";

export const ollamaRoot = (dataDir: string = paths().data) => join(dataDir, "ollama");

/** Where the executable sits inside an unpacked release, per platform. */
export function binaryIn(dir: string, platform: string = process.platform): string {
  if (platform === "win32") return join(dir, "ollama.exe");
  if (platform === "darwin") return join(dir, "ollama");
  return join(dir, "bin", "ollama");
}

const VERSION_DIR = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

/** The version `current` points at, if any. */
export function currentVersion(root: string = ollamaRoot()): string | undefined {
  try {
    const name = basename(readlinkSync(join(root, "current")).replace(/[\\/]+$/, ""));
    return VERSION_DIR.test(name) ? name : undefined;
  } catch {
    return undefined;
  }
}

/** Complete installs, by version directory name. */
export function installedVersions(root: string = ollamaRoot()): string[] {
  try {
    return readdirSync(root).filter((n) => VERSION_DIR.test(n) && existsSync(binaryIn(join(root, n))));
  } catch {
    return [];
  }
}

/** Remove what an interrupted run left behind: staging dirs and stray pointer temporaries. */
export function cleanLeftovers(root: string = ollamaRoot()): void {
  try {
    for (const n of readdirSync(root))
      if (n.startsWith(".staging-") || n.startsWith(".current-"))
        rmSync(join(root, n), { recursive: true, force: true });
  } catch {}
}

export interface InstallVersionOptions {
  archive: string;
  asset: string;
  kind: ArchiveKind;
  version: string;
  root?: string;
  platform?: string;
  signal?: AbortSignal | undefined;
}

/** Unpack into staging, check the executable is there, then move it to `<root>/<version>`. */
export async function installVersion(options: InstallVersionOptions): Promise<string> {
  const root = options.root ?? ollamaRoot();
  if (!VERSION_DIR.test(options.version))
    throw new ArchiveError(options.asset, `"${options.version}" is not a version`);
  ensureDir(root, DIR_LABELS.data);
  const stage = mkdtempSync(join(root, `.staging-${options.version}-`));
  try {
    try {
      // Loaded here: the unpackers are only needed when installing, not by `import "small-llm"`.
      const { extractArchive } = await import("./extract.ts");
      await extractArchive(options.archive, stage, options.kind, options.signal);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      throw new ArchiveError(options.asset, `it could not be unpacked (${(error as Error).message})`, { cause: error });
    }
    const binary = binaryIn(stage, options.platform);
    if (!existsSync(binary))
      throw new ArchiveError(options.asset, `it has no ${binaryIn("", options.platform).replace(/^[\\/]/, "")}`);
    chmodSync(binary, 0o755);
    const target = join(root, options.version);
    if (currentVersion(root) === options.version && existsSync(binaryIn(target, options.platform))) {
      rmSync(stage, { recursive: true, force: true });
      return target; // already installed and in use: never pull it out from under a running server
    }
    rmSync(target, { recursive: true, force: true });
    renameSync(stage, target);
    return target;
  } catch (error) {
    rmSync(stage, { recursive: true, force: true });
    throw error;
  }
}

/** Point `current` at an installed version. */
export function switchCurrent(version: string, root: string = ollamaRoot()): void {
  const current = join(root, "current");
  if (process.platform === "win32") {
    try {
      unlinkSync(current); // a junction is removed like a link, never through to its target
    } catch {
      try {
        rmdirSync(current);
      } catch {}
    }
    symlinkSync(join(root, version), current, "junction");
    return;
  }
  const temp = join(root, `.current-${process.pid}-${Date.now()}`);
  symlinkSync(version, temp);
  renameSync(temp, current);
}

/** Delete an install that is not current. */
export function removeVersion(version: string, root: string = ollamaRoot()): void {
  if (currentVersion(root) === version) return;
  if (VERSION_DIR.test(version)) rmSync(join(root, version), { recursive: true, force: true });
}
