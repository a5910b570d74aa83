/** `GET /api/models/{id}?expand[]=sha`: the revision of a repo, for Hubs whose list answers carry none. */
import type { HubClient } from "./client.ts";
import { repoPath } from "./repo-files.ts";

export async function fetchRevision(client: HubClient, id: string): Promise<string | undefined> {
  const { data } = await client.getJson<{ sha?: unknown }>(`/api/models/${repoPath(id)}?expand[]=sha`);
  return typeof data.sha === "string" && /^[0-9a-f]{40}$/.test(data.sha) ? data.sha : undefined;
}
