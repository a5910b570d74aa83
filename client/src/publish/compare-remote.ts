/**
 * Which local files the repo already has, byte for byte: the Hub's tree gives each file's size, its
 * git blob id and, for large files, the sha256 of the content. A file differs when its size does;
 * only same-size files are hashed (sha256 for LFS files, the git blob sha1 for the rest), so a first
 * upload of a 4 GB GGUF does not read it twice.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

export interface RemoteFile {
  path: string;
  size: number;
  oid: string;
  lfsSha256?: string | undefined;
}

/** A file to publish: on disk, or generated (the card, Ollama's `params`). */
export interface PublishFile {
  path: string;
  size: number;
  local?: string;
  content?: Buffer;
}

async function hashFile(file: PublishFile, algorithm: "sha1" | "sha256", gitHeader: boolean, signal?: AbortSignal) {
  const hash = createHash(algorithm);
  if (gitHeader) hash.update(`blob ${file.size}\0`);
  if (file.content) hash.update(file.content);
  else
    for await (const chunk of createReadStream(file.local as string, signal ? { signal } : {}))
      hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export async function isSame(
  file: PublishFile,
  remote: RemoteFile | undefined,
  signal?: AbortSignal,
  onCompare?: (file: PublishFile) => void,
): Promise<boolean> {
  if (!remote || remote.size !== file.size) return false;
  onCompare?.(file);
  if (remote.lfsSha256) return (await hashFile(file, "sha256", false, signal)) === remote.lfsSha256;
  return (await hashFile(file, "sha1", true, signal)) === remote.oid;
}

export async function splitByRemote(
  files: PublishFile[],
  remote: Map<string, RemoteFile>,
  signal?: AbortSignal,
  onCompare?: (file: PublishFile) => void,
): Promise<{ upload: PublishFile[]; unchanged: PublishFile[] }> {
  const upload: PublishFile[] = [];
  const unchanged: PublishFile[] = [];
  for (const file of files)
    ((await isSame(file, remote.get(file.path), signal, onCompare)) ? unchanged : upload).push(file);
  return { upload, unchanged };
}
