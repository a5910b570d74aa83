/** Check a download against its published sha256; anything else is deleted and refused. */
import { rmSync } from "node:fs";
import { ChecksumError } from "../errors/index.ts";
import { sha256File } from "../sha256-file.ts";

/** Resolves when `file` hashes to `expected`; otherwise deletes it and throws ChecksumError. */
export async function verifyDownload(
  file: string,
  asset: string,
  expected: string | undefined,
  signal?: AbortSignal,
): Promise<void> {
  if (!expected) {
    rmSync(file, { force: true });
    throw new ChecksumError(asset, undefined, "(not computed)");
  }
  let actual: string;
  try {
    actual = await sha256File(file, signal);
  } catch (error) {
    throw signal?.aborted ? signal.reason : error;
  }
  if (actual !== expected.toLowerCase()) {
    rmSync(file, { force: true });
    throw new ChecksumError(asset, expected, actual);
  }
}
