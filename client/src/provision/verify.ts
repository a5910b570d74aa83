/** Check a download against its published sha256; anything else is deleted and refused. */
import { createHash } from "node:crypto";
import { createReadStream, rmSync } from "node:fs";
import { pipeline } from "node:stream/promises";
import { ChecksumError } from "../errors/index.ts";

export async function sha256File(file: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(file), hash, signal ? { signal } : {});
  return hash.digest("hex");
}

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
