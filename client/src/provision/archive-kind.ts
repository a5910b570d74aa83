/** Which unpacker an Ollama asset needs, from its name. (Apart from extract.ts so that naming one loads no unpacker.) */
export type ArchiveKind = "tar.zst" | "tgz" | "zip";

export function archiveKind(name: string): ArchiveKind {
  if (name.endsWith(".tar.zst")) return "tar.zst";
  if (name.endsWith(".tgz") || name.endsWith(".tar.gz")) return "tgz";
  if (name.endsWith(".zip")) return "zip";
  throw new TypeError(`${name} is not an archive this client can unpack (.tar.zst, .tgz, .zip)`);
}
