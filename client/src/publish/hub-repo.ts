/**
 * The model-repo calls of a publish, through @huggingface/hub (loaded only when publishing, so
 * `import "small-llm"` stays light): create (409 = it exists already), list the tree, read the
 * current card, and one commit whose large files take the Hub's LFS path (preupload → LFS batch
 * → upload, basic, multipart or xet as the Hub chooses). LFS objects the Hub already holds are not
 * sent again, which is what makes a re-run after an interruption resume.
 */
import { openAsBlob } from "node:fs";
import { CancelledError, HubError, HubPermissionError, HubTokenError } from "../errors/index.ts";
import type { PublishFile, RemoteFile } from "./compare-remote.ts";

export interface HubTarget {
  hubUrl: string;
  repo: string;
  token?: string | undefined;
  fetch: typeof fetch;
  signal?: AbortSignal | undefined;
}

export type UploadEvent =
  | { event: "phase"; phase: "preuploading" | "uploadingLargeFiles" | "committing" }
  /** A local file is read to compare it with the repo's copy of the same size (before any upload). */
  | { event: "comparing"; path: string }
  | { event: "file"; path: string; state: "hashing" | "uploading"; progress: number };

const hub = () => import("@huggingface/hub");
const RESUME = "Run the same command again: files the Hub already has are not sent twice.";

/** A Hub failure as one of ours; `what` says which step, for the message. */
export function hubFailure(error: unknown, target: HubTarget, what: string): Error {
  if (target.signal?.aborted)
    return new CancelledError(`publishing to ${target.repo} (run the same command again to resume it)`, {
      cause: error,
    });
  const status = (error as { statusCode?: unknown }).statusCode;
  const detail = (error as Error).message ?? String(error);
  if (status === 401)
    return new HubTokenError(
      `the Hub rejected HF_TOKEN while trying to ${what} (401): use a token with write access (https://huggingface.co/settings/tokens).`,
      { cause: error },
    );
  if (status === 403)
    return new HubPermissionError(
      `the Hub refused to let this token ${what} in ${target.repo} (403: ${detail}). Check the repo's owner and the token's permissions.`,
      { cause: error },
    );
  if (typeof status === "number")
    return new HubError(`could not ${what} in ${target.repo}: ${detail}. ${RESUME}`, status, { cause: error });
  return new HubError(
    `could not ${what} in ${target.repo}: the connection to ${target.hubUrl} failed (${networkReason(error)}). ${RESUME}`,
    undefined,
    { cause: error },
  );
}

/** Why a request got no answer, in a word: `ECONNREFUSED`, `ENOTFOUND`, … */
export function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}

/** Create the model repo; false when it already existed. */
export async function ensureRepo(target: HubTarget, visibility: "public" | "private"): Promise<boolean> {
  const { createRepo } = await hub();
  try {
    await createRepo({
      repo: { type: "model", name: target.repo },
      accessToken: target.token as string,
      visibility,
      hubUrl: target.hubUrl,
      fetch: target.fetch,
    });
    return true;
  } catch (error) {
    if ((error as { statusCode?: unknown }).statusCode === 409) return false;
    throw hubFailure(error, target, "create the repo");
  }
}

/** Every file in the repo's main branch; undefined when the repo does not exist (or is private to someone else). */
export async function listRemote(target: HubTarget): Promise<Map<string, RemoteFile> | undefined> {
  const { listFiles } = await hub();
  const files = new Map<string, RemoteFile>();
  try {
    for await (const f of listFiles({
      repo: { type: "model", name: target.repo },
      recursive: true,
      hubUrl: target.hubUrl,
      fetch: target.fetch,
      ...(target.token ? { accessToken: target.token } : {}),
    })) {
      if (f.type === "file")
        files.set(f.path, { path: f.path, size: f.size, oid: f.oid ?? "", ...(f.lfs ? { lfsSha256: f.lfs.oid } : {}) });
    }
  } catch (error) {
    const status = (error as { statusCode?: unknown }).statusCode;
    if (status === 404 || status === 401) return undefined;
    throw hubFailure(error, target, "list the files");
  }
  return files;
}

/** The text of a small file in the repo (its card), or undefined. */
export async function readRemoteText(target: HubTarget, path: string): Promise<string | undefined> {
  const response = await target.fetch(`${target.hubUrl}/${target.repo}/resolve/main/${encodeURI(path)}`, {
    headers: target.token ? { authorization: `Bearer ${target.token}` } : {},
    ...(target.signal ? { signal: target.signal } : {}),
  });
  if (!response.ok) {
    await response.body?.cancel();
    return undefined;
  }
  return response.text();
}

/** One commit with every file; progress as hashing and upload fractions per file. */
export async function commitFiles(
  target: HubTarget,
  files: PublishFile[],
  message: { title: string; description: string },
  onEvent?: (e: UploadEvent) => void,
): Promise<{ oid: string; url: string }> {
  const { commitIter } = await hub();
  const operations = await Promise.all(
    files.map(async (f) => ({
      operation: "addOrUpdate" as const,
      path: f.path,
      content: f.content ? new Blob([new Uint8Array(f.content)]) : await openAsBlob(f.local as string),
    })),
  );
  try {
    const iterator = commitIter({
      repo: { type: "model", name: target.repo },
      accessToken: target.token as string,
      operations,
      title: message.title,
      description: message.description,
      hubUrl: target.hubUrl,
      fetch: target.fetch,
      ...(target.signal ? { abortSignal: target.signal } : {}),
    });
    for (;;) {
      const step = await iterator.next();
      if (step.done) {
        if (!step.value) throw new HubError(`the Hub did not confirm the commit to ${target.repo}. ${RESUME}`);
        return { oid: step.value.commit.oid, url: step.value.commit.url };
      }
      const e = step.value;
      if (e.event === "phase") onEvent?.(e);
      else if (e.state !== "error") onEvent?.({ event: "file", path: e.path, state: e.state, progress: e.progress });
    }
  } catch (error) {
    if (error instanceof HubError) throw error;
    throw hubFailure(error, target, "upload the files");
  }
}
