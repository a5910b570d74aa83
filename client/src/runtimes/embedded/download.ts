import { createWriteStream, existsSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { byteMeter } from "../../byte-meter.ts";
import {
  CancelledError,
  ChecksumMismatchError,
  DownloadError,
  HubTokenError,
  UnknownModelError,
} from "../../errors/index.ts";
import { ensureDir } from "../../fs-dirs.ts";
import { HUB_RETRIES, retryingFetch } from "../../http/index.ts";
import { DIR_LABELS } from "../../paths.ts";
import { sha256File } from "../../sha256-file.ts";
import { isLaterShard, quantOf } from "./refs.ts";

export interface HubOptions {
  /** The Hub (default `HF_ENDPOINT`, else https://huggingface.co). */
  endpoint?: string | undefined;
  /** Sent as a Bearer token to the Hub for gated and private repos (default `HF_TOKEN`). */
  token?: string | undefined;
  /** Branch, tag or commit (default `main`). */
  revision?: string | undefined;
  fetch?: typeof fetch | undefined;
  signal?: AbortSignal | undefined;
}

export interface DownloadProgress {
  file: string;
  completed: number;
  total?: number;
  bytesPerSecond?: number;
}

export const hubEndpoint = (o: HubOptions) =>
  (o.endpoint ?? process.env.HF_ENDPOINT ?? "https://huggingface.co").replace(/\/+$/, "");
const hubToken = (o: HubOptions) => o.token ?? (process.env.HF_TOKEN || undefined);

async function hubFetch(url: string, o: HubOptions, headers: Record<string, string> = {}): Promise<Response> {
  const token = hubToken(o);
  // A busy Hub (429, 5xx, a refused connection) is asked again, as huggingface_hub does.
  const hub = retryingFetch(HUB_RETRIES, o.fetch ? { fetch: o.fetch } : {});
  let response: Response;
  try {
    response = await hub(url, {
      headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(o.signal ? { signal: o.signal } : {}),
    });
  } catch (error) {
    if (o.signal?.aborted) throw new CancelledError(`GET ${url}`, { cause: error });
    throw new DownloadError(
      `[GET] "${url}": ${(error as Error).message} — check your network or HF_ENDPOINT, then try again`,
      url,
      undefined,
      { cause: error },
    );
  }
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel();
    // The Hub answers 401 for missing (and, anonymously, private) repos and files too; its
    // X-Error-Code tells them apart: those are a 404 to the callers, which say what is missing.
    const code = response.headers.get("x-error-code");
    if (code === "RepoNotFound" || code === "EntryNotFound" || code === "RevisionNotFound")
      return new Response(null, { status: 404, headers: response.headers });
    // Refused by the file host a /resolve/ redirected to (an expired signed link), not by the Hub.
    if (response.url && new URL(response.url).origin !== new URL(url).origin)
      throw new DownloadError(
        `[GET] "${url}": ${response.status} from the file host (${new URL(response.url).host}) — its download link may have expired; try again`,
        url,
        response.status,
      );
    throw new HubTokenError(
      token
        ? `[GET] "${url}": ${response.status} — the Hub refused HF_TOKEN for this repo; accept its license on the Hub page, or use a token with read access`
        : `[GET] "${url}": ${response.status} — the repo is gated or private: accept its license on the Hub, then set HF_TOKEN to a read token`,
    );
  }
  return response;
}

interface TreeEntry {
  type: string;
  path: string;
  size: number;
  lfs?: { oid?: string; size?: number };
}

/** The repo's `.gguf` files, from `/api/models/{repo}/tree/{revision}?recursive=true` (paginated by `Link`). */
export async function listGgufFiles(repo: string, o: HubOptions = {}): Promise<TreeEntry[]> {
  let url: string | undefined =
    `${hubEndpoint(o)}/api/models/${repo}/tree/${encodeURIComponent(o.revision ?? "main")}?recursive=true`;
  const files: TreeEntry[] = [];
  while (url) {
    const response = await hubFetch(url, o);
    if (response.status === 404) {
      await response.body?.cancel();
      throw new UnknownModelError(
        repo,
        `the Hub at ${hubEndpoint(o)} has no such model repo (or revision)${hubToken(o) ? "" : "; a private repo needs HF_TOKEN"}`,
      );
    }
    if (!response.ok)
      throw new DownloadError(`[GET] "${url}": ${response.status} — try again later`, url, response.status);
    const page = (await response.json()) as TreeEntry[];
    files.push(...page.filter((e) => e.type === "file" && /\.gguf$/i.test(e.path)));
    url = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get("link") ?? "")?.[1];
  }
  return files;
}

/** The file of `repo` a quant label names (the first shard when split), with its sha256 and size. */
export async function findQuantFile(
  repo: string,
  quant: string,
  o: HubOptions = {},
): Promise<{ file: string; sha256?: string; size?: number }> {
  const files = await listGgufFiles(repo, o);
  const matches = files
    .filter((f) => quantOf(f.path) === quant && !isLaterShard(f.path))
    // A single file before a split one, shallower paths before nested ones.
    .sort((a, b) => a.path.split("/").length - b.path.split("/").length || a.path.localeCompare(b.path));
  const hit = matches[0];
  if (!hit) {
    const quants = [...new Set(files.map((f) => quantOf(f.path)).filter(Boolean))].sort();
    throw new UnknownModelError(
      `hf.co/${repo}:${quant}`,
      quants.length
        ? `no ${quant} GGUF in ${repo}; it has ${quants.join(", ")}`
        : `${repo} holds no GGUF file; pick a GGUF repo (its name usually ends in -GGUF)`,
    );
  }
  return { file: hit.path, ...(hit.lfs?.oid ? { sha256: hit.lfs.oid } : {}), size: hit.lfs?.size ?? hit.size };
}

export const resolveUrl = (repo: string, file: string, o: HubOptions) =>
  `${hubEndpoint(o)}/${repo}/resolve/${encodeURIComponent(o.revision ?? "main")}/${file.split("/").map(encodeURIComponent).join("/")}`;

/**
 * Download `url` to `dest`, resuming `{dest}.part`. Resolves to the file's size; throws
 * CancelledError (part kept), DownloadError (part kept), ChecksumMismatchError (part deleted).
 */
export async function downloadFile(
  url: string,
  dest: string,
  o: HubOptions & { sha256?: string | undefined; onProgress?: ((p: DownloadProgress) => void) | undefined },
): Promise<number> {
  const part = `${dest}.part`;
  const have = existsSync(part) ? statSync(part).size : 0;
  const response = await hubFetch(url, o, have > 0 ? { range: `bytes=${have}-` } : {});
  const file = dest.split(/[/\\]/).pop() as string;
  let start = 0;
  let total: number | undefined;
  if (response.status === 416 && have > 0) {
    // The part already holds every byte (a previous run was cut between the last byte and the rename).
    await response.body?.cancel();
    start = have;
    total = have;
  } else if (response.status === 404) {
    await response.body?.cancel();
    throw new UnknownModelError(
      file,
      `the Hub at ${hubEndpoint(o)} has no such file (GET ${url}: 404); check the repo and file name (\`small-llm show <id>\` lists the index's files)`,
    );
  } else if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new DownloadError(
      `[GET] "${url}": ${response.status} — try again later; the download resumes`,
      url,
      response.status,
    );
  } else {
    const resumed = response.status === 206;
    start = resumed ? have : 0;
    const range = /\/(\d+)\s*$/.exec(response.headers.get("content-range") ?? "");
    const length = Number(response.headers.get("content-length"));
    total = range ? Number(range[1]) : Number.isFinite(length) && length > 0 ? start + length : undefined;
    let completed = start;
    o.onProgress?.({ file, completed, ...(total !== undefined ? { total } : {}) });
    const meter = byteMeter(start, (bytes, bytesPerSecond) => {
      completed = bytes;
      o.onProgress?.({
        file,
        completed,
        ...(total !== undefined ? { total } : {}),
        ...(bytesPerSecond !== undefined ? { bytesPerSecond } : {}),
      });
    });
    // Made only once there is something to write: a refused download leaves no empty folder behind.
    ensureDir(dirname(dest), DIR_LABELS.data);
    try {
      await pipeline(
        Readable.fromWeb(response.body as import("node:stream/web").ReadableStream),
        meter,
        createWriteStream(part, { flags: resumed ? "a" : "w" }),
        ...(o.signal ? [{ signal: o.signal }] : []),
      );
    } catch (error) {
      if (o.signal?.aborted) throw new CancelledError(`downloading ${file}`, { cause: error });
      throw new DownloadError(
        `[GET] "${url}": the download broke off after ${completed} of ${total ?? "?"} bytes (${(error as Error).message}). ` +
          "Run the same command again: it resumes from there.",
        url,
        undefined,
        { cause: error },
      );
    }
  }
  const size = statSync(part).size;
  if (total !== undefined && size !== total)
    throw new DownloadError(
      `[GET] "${url}": got ${size} of ${total} bytes. Run the same command again: it resumes from there.`,
      url,
    );
  if (o.sha256) {
    const actual = await sha256File(part);
    if (actual !== o.sha256.toLowerCase()) {
      rmSync(part, { force: true });
      throw new ChecksumMismatchError(
        `${file} from ${url} has sha256 ${actual}, not the expected ${o.sha256}: the download was deleted. ` +
          "Try again; if it keeps happening the file on the Hub changed since the index was made (`small-llm refresh`).",
      );
    }
  }
  renameSync(part, dest);
  return size;
}
