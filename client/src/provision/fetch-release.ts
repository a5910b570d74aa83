/**
 * Get one Ollama release onto disk, ready to switch to: look it up, pick this platform's archive,
 * know its published sha256 before spending bandwidth, download (resumable), verify, unpack into
 * `<data>/ollama/<version>/`. Does not touch `current`: switching is the caller's decision.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { Writable } from "node:stream";
import { ChecksumError } from "../errors/index.ts";
import { ensureDir } from "../fs-dirs.ts";
import { DIR_LABELS } from "../paths.ts";
import { archiveKind } from "./archive-kind.ts";
import { type DownloadProgress, downloadFile } from "./download.ts";
import { cleanLeftovers, installedVersions, installVersion, ollamaRoot } from "./install-version.ts";
import { chooseAsset, lookupRelease, publishedSha256, type Release } from "./releases.ts";
import { verifyDownload } from "./verify.ts";

export interface FetchReleaseOptions {
  /** `v0.33.0`; the latest release when absent. */
  version?: string | undefined;
  /** Releases API base (default SMALL_LLM_OLLAMA_RELEASES or GitHub). */
  releasesUrl?: string | undefined;
  /** Install root (default `<data>/ollama`). */
  root?: string | undefined;
  platform?: string | undefined;
  arch?: string | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((p: DownloadProgress) => void) | undefined;
  /** Say what is happening, e.g. "verifying sha256". */
  onStep?: ((text: string) => void) | undefined;
  openWrite?: ((path: string, flags: "a" | "w") => Writable) | undefined;
  /** An already looked-up release (update-ollama has one). */
  release?: Release | undefined;
}

export interface FetchedRelease {
  version: string;
  tag: string;
  dir: string;
  asset: string;
  /** False when that version was already installed here. */
  downloaded: boolean;
}

export async function fetchRelease(options: FetchReleaseOptions = {}): Promise<FetchedRelease> {
  const root = options.root ?? ollamaRoot();
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const signal = options.signal;
  cleanLeftovers(root);
  const release =
    options.release ??
    (await lookupRelease({
      ...(options.releasesUrl ? { baseUrl: options.releasesUrl } : {}),
      version: options.version,
      signal,
    }));
  const asset = chooseAsset(release, platform, arch);
  const dir = join(root, release.version);
  if (installedVersions(root).includes(release.version))
    return { version: release.version, tag: release.tag, dir, asset: asset.name, downloaded: false };
  const downloads = join(root, "downloads");
  ensureDir(downloads, DIR_LABELS.data);
  const part = join(downloads, `${release.version}-${asset.name}.part`);
  const expected = await publishedSha256(release, asset, { signal });
  if (!expected) {
    rmSync(part, { force: true });
    throw new ChecksumError(asset.name, undefined, "(not downloaded)");
  }
  options.onStep?.(`downloading Ollama ${release.tag} (${asset.name})`);
  await downloadFile({
    url: asset.url,
    dest: part,
    asset: asset.name,
    size: asset.size,
    onProgress: options.onProgress,
    signal,
    ...(options.openWrite ? { openWrite: options.openWrite } : {}),
  });
  options.onStep?.(`verifying sha256 of ${asset.name}`);
  await verifyDownload(part, asset.name, expected, signal);
  options.onStep?.(`unpacking into ${dir}`);
  try {
    await installVersion({
      archive: part,
      asset: asset.name,
      kind: archiveKind(asset.name),
      version: release.version,
      root,
      platform,
      signal,
    });
  } finally {
    rmSync(part, { force: true }); // verified or not, an archive we will not use again
  }
  return { version: release.version, tag: release.tag, dir, asset: asset.name, downloaded: true };
}
