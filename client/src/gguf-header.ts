/**
 * Is this file a GGUF that a reader can walk? The magic `GGUF` (a git-lfs pointer or a renamed file
 * has none), a version llama.cpp reads (2 or 3), and tensor and key counts a real model could have.
 * The counts matter: node-llama-cpp's header reader trusts them, and a corrupt file that claims 10¹⁸
 * tensors had it allocate until the process ran out of memory.
 */
import { closeSync, openSync, readSync } from "node:fs";

/** Far above any model's (a large mixture of experts has tens of thousands of tensors). */
const MAX_TENSORS = 10_000_000;
const MAX_KEYS = 1_000_000;

/** Why the file is not a usable GGUF, or undefined when its header is sound. */
export function ggufHeaderProblem(path: string): string | undefined {
  const head = Buffer.alloc(24);
  const fd = openSync(path, "r");
  let read: number;
  try {
    read = readSync(fd, head, 0, 24, 0);
  } finally {
    closeSync(fd);
  }
  if (read < 4 || head.toString("latin1", 0, 4) !== "GGUF") return "it is not a GGUF file (no GGUF magic)";
  if (read < 24) return "it is cut short: the GGUF header is incomplete";
  const version = head.readUInt32LE(4);
  if (version !== 2 && version !== 3) return `it is GGUF version ${version}, which llama.cpp does not read (2 or 3)`;
  const tensors = head.readBigUInt64LE(8);
  const keys = head.readBigUInt64LE(16);
  if (tensors > BigInt(MAX_TENSORS) || keys > BigInt(MAX_KEYS))
    return `its header is corrupt (it claims ${tensors} tensors and ${keys} metadata keys)`;
  return undefined;
}
