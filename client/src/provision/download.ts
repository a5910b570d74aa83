/**
 * Download one release archive to a `.part` file with progress, resuming with a Range request after
 * a cut (up to a few times) and restarting when the server ignores the range. The part is kept on a
 * cut or Ctrl-C so the next run resumes; it is removed when the disk is full.
 */
import { createWriteStream, type Stats, statSync, truncateSync, unlinkSync } from "node:fs";
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { byteMeter } from "../byte-meter.ts";
import { DownloadIncompleteError, NoSpaceError, ReleaseUnavailableError } from "../errors/index.ts";
import { backoffMs, RETRY_STATUSES, serverDelayMs, wait } from "../http/index.ts";
import type { PullProgress } from "../runtimes/runtime.ts";

export interface DownloadProgress {
  asset: string;
  completed: number;
  total?: number;
  bytesPerSecond?: number;
}

/** A release download as the pull progress every adapter already draws. */
export const asPullProgress = (p: DownloadProgress): PullProgress => ({
  ref: p.asset,
  status: `downloading ${p.asset}`,
  digest: p.asset,
  completed: p.completed,
  ...(p.total !== undefined ? { total: p.total } : {}),
  ...(p.bytesPerSecond !== undefined ? { bytesPerSecond: p.bytesPerSecond } : {}),
});

export interface DownloadOptions {
  url: string;
  /** The file to write (`….part`). */
  dest: string;
  /** For messages and progress. */
  asset: string;
  /** The size the release states, when it does. */
  size?: number | undefined;
  onProgress?: ((p: DownloadProgress) => void) | undefined;
  signal?: AbortSignal | undefined;
  /** How many times to resume after a cut (default 3). */
  retries?: number;
  /** A connection that sends nothing for this long counts as cut (default 60 s). */
  idleMs?: number;
  fetch?: typeof fetch;
  /** Opens the file to write; tests inject one that fails like a full disk. */
  openWrite?: (path: string, flags: "a" | "w") => Writable;
}

const sizeOf = (file: string): number => {
  let s: Stats | undefined;
  try {
    s = statSync(file);
  } catch {
    return 0;
  }
  return s.isFile() ? s.size : 0;
};

const isNoSpace = (error: unknown) => {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code === "ENOSPC" || code === "EDQUOT";
};

export async function downloadFile(options: DownloadOptions): Promise<void> {
  const { signal } = options;
  const retries = options.retries ?? 3;
  const state = { lastError: undefined as unknown };
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (signal?.aborted) throw signal.reason;
    // One controller per attempt: the caller's cancel, or a stalled connection (then we resume).
    const stalled = new AbortController();
    const cancel = () => stalled.abort(signal?.reason);
    signal?.addEventListener("abort", cancel, { once: true });
    let idle: NodeJS.Timeout | undefined;
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(() => stalled.abort(new Error("the connection stalled")), options.idleMs ?? 60_000);
    };
    try {
      touch();
      if ((await attemptDownload(options, attempt, stalled.signal, touch, state)) === "done") return;
    } finally {
      clearTimeout(idle);
      signal?.removeEventListener("abort", cancel);
    }
  }
  throw new DownloadIncompleteError(options.asset, sizeOf(options.dest), options.size, { cause: state.lastError });
}

/** One request: from what is on disk (Range) or from zero; "again" when it should be retried. */
async function attemptDownload(
  options: DownloadOptions,
  attempt: number,
  attemptSignal: AbortSignal,
  touch: () => void,
  state: { lastError: unknown },
): Promise<"done" | "again"> {
  const { url, dest, asset, signal } = options;
  const open = options.openWrite ?? ((path, flags) => createWriteStream(path, { flags }));
  let have = sizeOf(dest);
  if (options.size !== undefined && have === options.size) return "done";
  if (options.size !== undefined && have > options.size) {
    truncateSync(dest, 0);
    have = 0;
  }
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      headers: { "user-agent": "small-llm", ...(have > 0 ? { range: `bytes=${have}-` } : {}) },
      redirect: "follow",
      signal: attemptSignal,
    });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    state.lastError = error;
    // Nothing answered at all on the first try: the network is down, no point retrying.
    if (attempt === 0 && have === 0) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ReleaseUnavailableError(url, cause?.code ?? cause?.message ?? (error as Error).message, {
        cause: error,
      });
    }
    return "again";
  }
  if (response.status === 416) {
    // What we have is not a prefix the server recognises: start over.
    await response.body?.cancel();
    unlinkSync(dest);
    return "again";
  }
  if (RETRY_STATUSES.has(response.status) && attempt < (options.retries ?? 3)) {
    // A passing failure of the CDN: what is on disk stays, and the next attempt resumes from it.
    await response.body?.cancel();
    state.lastError = new Error(`HTTP ${response.status} downloading ${asset}`);
    const delay = Math.min(5000, serverDelayMs(response.headers) ?? backoffMs(attempt, { baseMs: 500, maxMs: 5000 }));
    await wait(delay, signal, "the download");
    return "again";
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new ReleaseUnavailableError(url, `HTTP ${response.status} downloading ${asset}`);
  }
  const resumed = response.status === 206 && contentRangeStart(response.headers.get("content-range")) === have;
  if (response.status === 206 && !resumed) {
    await response.body.cancel();
    unlinkSync(dest);
    return "again";
  }
  const start = resumed ? have : 0;
  const length = Number(response.headers.get("content-length"));
  const total = options.size ?? (Number.isFinite(length) && length > 0 ? start + length : undefined);
  const report = (completed: number, bytesPerSecond?: number) =>
    options.onProgress?.({
      asset,
      completed,
      ...(total !== undefined ? { total } : {}),
      ...(bytesPerSecond !== undefined ? { bytesPerSecond } : {}),
    });
  report(start);
  const counter = byteMeter(start, (completed, bytesPerSecond) => {
    touch(); // bytes arrived: the connection is not stalled
    report(completed, bytesPerSecond);
  });
  const body = Readable.fromWeb(response.body as import("node:stream/web").ReadableStream);
  try {
    await pipeline(body, counter, open(dest, resumed ? "a" : "w"), { signal: attemptSignal });
  } catch (error) {
    if (isNoSpace(error)) {
      try {
        unlinkSync(dest);
      } catch {}
      throw new NoSpaceError(dest, { cause: error });
    }
    if (signal?.aborted) throw signal.reason;
    state.lastError = error; // the connection dropped or stalled: resume from what arrived
    return "again";
  }
  return total === undefined || sizeOf(dest) >= total ? "done" : "again";
}

function contentRangeStart(header: string | null): number | undefined {
  const m = /^bytes (\d+)-\d+\/(?:\d+|\*)$/.exec(header ?? "");
  return m?.[1] ? Number(m[1]) : undefined;
}
