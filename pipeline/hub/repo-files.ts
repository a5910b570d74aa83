/** Per-repo reads: the file tree (sizes, LFS sha256) and config.json. */
import type { ModelConfig } from "../model-config/dims.ts";
import type { HubClient } from "./client.ts";
import { nextLink } from "./list-models.ts";
import { type RepoFile, TreeEntrySchema } from "./types.ts";

export const repoPath = (id: string) => id.split("/").map(encodeURIComponent).join("/");

/** `GET /api/models/{id}/tree/{rev}?recursive=true`, every page. Counts against the API bucket. */
export async function listRepoFiles(client: HubClient, id: string, revision = "main"): Promise<RepoFile[]> {
  const files: RepoFile[] = [];
  let url: string | undefined = `/api/models/${repoPath(id)}/tree/${encodeURIComponent(revision)}?recursive=true`;
  while (url) {
    const { data, link }: { data: unknown; link: string | null } = await client.getJson<unknown>(url);
    if (!Array.isArray(data)) throw new TypeError(`expected a JSON array from ${url}`);
    for (const raw of data) {
      const entry = TreeEntrySchema.safeParse(raw);
      if (entry.success && entry.data.type === "file") {
        files.push({ path: entry.data.path, size: entry.data.size, sha256: entry.data.lfs?.oid });
      }
    }
    url = nextLink(link);
  }
  return files;
}

/** `GET /{id}/resolve/{rev}/config.json`. Counts against the Resolvers bucket, the larger quota. */
export async function fetchConfig(client: HubClient, id: string, revision = "main"): Promise<ModelConfig> {
  const { data } = await client.getJson<unknown>(
    `/${repoPath(id)}/resolve/${encodeURIComponent(revision)}/config.json`,
  );
  if (!data || typeof data !== "object" || Array.isArray(data))
    throw new TypeError(`config.json of ${id} is not an object`);
  return data as ModelConfig;
}
