/**
 * Installing for the embedded runtime: a Hub ref becomes files in the models directory (every
 * shard of a split model), a local path is only checked. The sha256 to verify is the caller's
 * (the index's `sha256` of the install target) or, for a quant label, the Hub tree's LFS oid. A
 * download that breaks off resumes by itself; a busy Hub is asked again (download.ts).
 */
import { existsSync, statSync } from "node:fs";
import { DownloadError, UnknownModelError } from "../../errors/index.ts";
import { ggufHeaderProblem } from "../../gguf-header.ts";
import { type RetryPolicy, withRetries } from "../../http/index.ts";
import type { InstalledModel, ProgressOptions } from "../runtime.ts";
import { downloadFile, findQuantFile, type HubOptions, listGgufFiles, resolveUrl } from "./download.ts";
import type { ModelStore, StoredModel } from "./model-store.ts";
import { parseRef, quantOf, shardsOf } from "./refs.ts";

export interface InstallOptions {
  /** Expected sha256 of the (first) file, e.g. the index's `sha256`; a mismatch deletes the download. */
  sha256?: string | undefined;
  /** Branch, tag or commit of the repo (default `main`). */
  revision?: string | undefined;
  /** Download even when installed: the new file replaces the old one only once complete and verified. */
  replace?: boolean | undefined;
  /** How often a download that broke off resumes by itself (default: 5 times, while each try gets further). */
  resumes?: RetryPolicy | undefined;
}

const publicPart = ({ path: _p, files: _f, repo: _r, file: _file, ...model }: StoredModel): InstalledModel => model;

export async function installModel(
  store: ModelStore,
  ref: string,
  options: HubOptions & ProgressOptions & InstallOptions,
): Promise<InstalledModel> {
  const parsed = parseRef(ref);
  if (parsed.kind === "path") {
    if (!existsSync(parsed.path)) throw new UnknownModelError(ref, `no file at ${parsed.path}`);
    const problem = ggufHeaderProblem(parsed.path);
    if (problem) throw new UnknownModelError(ref, `${parsed.path}: ${problem}`);
    const stat = statSync(parsed.path);
    const quant = quantOf(parsed.path);
    return {
      name: parsed.path,
      digest: "",
      sizeBytes: stat.size,
      modifiedAt: stat.mtime.toISOString(),
      ...(quant ? { quant } : {}),
    };
  }
  const already = store.find(parsed);
  if (already && !options.replace) return publicPart(already);
  if (parsed.kind === "name")
    throw new UnknownModelError(
      ref,
      "it is not installed; name it as a Hub ref (`hf.co/owner/repo:Q4_K_M`) to download it",
    );
  let file = parsed.file;
  let sha256 = options.sha256;
  if (!file) {
    const found = await findQuantFile(parsed.repo, parsed.quant as string, options);
    file = found.file;
    sha256 ??= found.sha256;
  }
  const shards = shardsOf(file);
  // The index carries the first shard's sha256 only; the Hub's tree has every shard's.
  const treeSha =
    shards.length > 1
      ? new Map((await listGgufFiles(parsed.repo, options)).map((f) => [f.path, f.lfs?.oid]))
      : new Map<string, string | undefined>();
  for (const [i, shard] of shards.entries()) {
    const dest = store.pathOf(parsed.repo, shard);
    const download = () =>
      downloadFile(resolveUrl(parsed.repo, shard, options), dest, {
        ...options,
        sha256: (i === 0 ? sha256 : undefined) ?? treeSha.get(shard),
        onProgress: (p) =>
          options.onProgress?.({
            ref,
            status: `downloading ${p.file}`,
            completed: p.completed,
            ...(p.total !== undefined ? { total: p.total } : {}),
            ...(p.bytesPerSecond !== undefined ? { bytesPerSecond: p.bytesPerSecond } : {}),
          }),
      });
    await resuming(download, `${dest}.part`, options);
  }
  options.onProgress?.({ ref, status: "success" });
  const installed = store.find({ kind: "hub", repo: parsed.repo, file });
  if (!installed) throw new UnknownModelError(ref, `downloaded, but ${file} is not in ${store.dir}`);
  return publicPart(installed);
}

/** The Hub's sha256 and size of one file of a repo, from its tree. */
export async function remoteFile(
  repo: string,
  file: string,
  o: HubOptions,
): Promise<{ sha256?: string; size?: number }> {
  const entry = (await listGgufFiles(repo, o)).find((f) => f.path === file);
  if (!entry) throw new UnknownModelError(`hf.co/${repo}:${file}`, `${repo} no longer has ${file}`);
  return { ...(entry.lfs?.oid ? { sha256: entry.lfs.oid } : {}), size: entry.lfs?.size ?? entry.size };
}

/** A download that breaks off resumes by itself while each try gets further; then the part stays for the next run. */
const RESUMES: RetryPolicy = { retries: 5, baseMs: 250, maxMs: 5_000 };

async function resuming<T>(download: () => Promise<T>, part: string, options: InstallOptions & HubOptions): Promise<T> {
  const size = () => (existsSync(part) ? statSync(part).size : 0);
  let before = size();
  return withRetries(
    async () => {
      before = size();
      return download();
    },
    {
      policy: options.resumes ?? RESUMES,
      signal: options.signal,
      judge: (error) => ({
        retry: error instanceof DownloadError && error.statusCode === undefined && size() > before,
        reason: (error as Error).message,
      }),
    },
  );
}
