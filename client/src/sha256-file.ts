/** The sha256 of a file, streamed (model files run to gigabytes): what the Hub's LFS oid, a release's checksum and an Ollama blob digest are. */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";

export async function sha256File(file: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(file), hash, signal ? { signal } : {});
  return hash.digest("hex");
}
