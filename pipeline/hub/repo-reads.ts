/**
 * Per-repo reads as the stages ask for them: config.json, the file tree and the revision, each
 * fetched at most once per run and cached by the sha the list reported, so a re-run asks again only
 * for repos that changed. Gated files are not asked for without a token (the answer is known).
 * Failures are returned, not thrown: a stage records them and carries on.
 */
import type { ModelConfig } from "../model-config/dims.ts";
import { CachedFailure, type RepoCache } from "../repo-cache.ts";
import type { HubClient } from "./client.ts";
import { HubUnreachableError, reasonOf } from "./errors.ts";
import { fetchRevision } from "./model-info.ts";
import { fetchConfig, listRepoFiles } from "./repo-files.ts";
import type { RepoFile } from "./types.ts";

export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Which repo a read is for: the id and the sha its list answer carried. */
export interface RepoRef {
  id: string;
  sha?: string | undefined;
  gated?: boolean | string | undefined;
}

export interface RepoReads {
  config(repo: RepoRef): Promise<Read<ModelConfig>>;
  files(repo: RepoRef): Promise<Read<RepoFile[]>>;
  revision(repo: RepoRef): Promise<Read<string>>;
}

export function createRepoReads(client: HubClient, cache: RepoCache, authorized: boolean): RepoReads {
  const pending = new Map<string, Promise<Read<unknown>>>();
  function read<T>(kind: string, repo: RepoRef, fetch: () => Promise<T>): Promise<Read<T>> {
    const key = `${kind}|${repo.id}|${repo.sha ?? ""}`;
    let p = pending.get(key) as Promise<Read<T>> | undefined;
    if (!p) {
      const sha = repo.sha;
      const run = sha ? () => cache.through(kind, repo.id, sha, authorized, fetch) : fetch;
      p = run().then(
        (value): Read<T> => ({ ok: true, value }),
        (error): Read<T> => {
          if (error instanceof HubUnreachableError) throw error;
          return { ok: false, reason: error instanceof CachedFailure ? error.reason : reasonOf(error) };
        },
      );
      pending.set(key, p);
    }
    return p;
  }
  return {
    config: (repo) =>
      repo.gated && !authorized
        ? Promise.resolve({ ok: false, reason: "gated" })
        : read("config", repo, () => fetchConfig(client, repo.id)),
    files: (repo) => read("tree", repo, () => listRepoFiles(client, repo.id)),
    revision: (repo) =>
      repo.sha
        ? Promise.resolve({ ok: true, value: repo.sha })
        : read("revision", repo, async () => {
            const sha = await fetchRevision(client, repo.id);
            if (!sha) throw Object.assign(new Error("no sha in the model info"), { reason: "no-revision" });
            return sha;
          }),
  };
}
