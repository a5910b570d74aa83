/**
 * Publish data/v1 and a generated dataset card to a Hugging Face dataset repo with
 * @huggingface/hub: create the repo when missing (409 = it exists), compare with what is there, and
 * commit only the files that changed. A dry run lists what would be uploaded and writes nothing.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { createRepo, listFiles, uploadFiles } from "@huggingface/hub";
import { networkCause } from "small-llm/http";
import { parseIndex } from "../../schema/index.ts";
import { createHubClient } from "../hub/client.ts";
import { AnyHubApiError as HubApiError } from "../hub/errors.ts";
import { datasetCard } from "./dataset-card.ts";

export class PublishConfigError extends Error {
  override readonly name = "PublishConfigError";
}

export interface PublishDatasetOptions {
  dataDir: string;
  /** `owner/name` of the dataset repo. */
  repo: string;
  token?: string | undefined;
  hubUrl: string;
  dryRun?: boolean;
  siteUrl?: string | undefined;
  /** How requests reach the Hub; by default the pipeline's Hub client policy (limit, retries, rate limits). */
  fetch?: typeof fetch;
}

export interface PublishDatasetResult {
  repo: string;
  created: boolean;
  upload: string[];
  unchanged: string[];
  commit?: { oid: string; url: string };
  /** A dry run that could not reach the Hub: why, and that every file would be sent. */
  notCompared?: string;
  /** A dry run: the dataset card that would be uploaded as README.md. */
  card?: string;
  /** A dry run: why the real run would be refused before it starts (no token). */
  wouldRefuse?: string;
}

function walk(dir: string, root = dir): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path, root) : [relative(root, path).split("\\").join("/")];
    });
}

/** Git's object id of a file's content, as the Hub's tree reports it for regular (non-LFS) files. */
const gitBlobSha1 = (content: Buffer) =>
  createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");
const sha256 = (content: Buffer) => createHash("sha256").update(content).digest("hex");

function rejected(error: unknown, repo: string): never {
  if (error instanceof HubApiError && (error.statusCode === 401 || error.statusCode === 403)) {
    throw new PublishConfigError(
      `the Hub rejected HF_TOKEN (${error.statusCode}) for ${repo}: use a token with write access to that namespace ` +
        "(https://huggingface.co/settings/tokens).",
      { cause: error },
    );
  }
  throw error;
}

export async function publishDataset(options: PublishDatasetOptions): Promise<PublishDatasetResult> {
  const { repo, hubUrl } = options;
  if (!/^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/.test(repo))
    throw new PublishConfigError(`"${repo}" is not a dataset repo id like owner/name`);
  if (!options.dryRun && !options.token) {
    throw new PublishConfigError(
      "HF_TOKEN is not set: publishing needs a Hugging Face token with write access (https://huggingface.co/settings/tokens).",
    );
  }
  if (options.token && !options.token.startsWith("hf_"))
    throw new PublishConfigError("HF_TOKEN does not look like a Hugging Face token (they start with hf_).");
  const v1 = join(options.dataDir, "v1");
  const index = parseIndex(JSON.parse(readFileSync(join(v1, "index.json"), "utf8")), join(v1, "index.json"));
  const local = new Map<string, Buffer>(walk(v1).map((p) => [`v1/${p}`, readFileSync(join(v1, p))]));
  const card = datasetCard(index, repo, options.siteUrl);
  local.set("README.md", Buffer.from(card));

  const credentials = options.token ? { accessToken: options.token } : {};
  // The same policy as the pipeline's reads: retries on 429/5xx honouring Retry-After and RateLimit.
  const common = { hubUrl, fetch: options.fetch ?? createHubClient({ endpoint: hubUrl }).fetch };
  const repoRef = { type: "dataset" as const, name: repo };
  let created = false;
  if (!options.dryRun) {
    try {
      await createRepo({ repo: repoRef, ...credentials, ...common } as Parameters<typeof createRepo>[0]);
      created = true;
    } catch (error) {
      if (!(error instanceof HubApiError && error.statusCode === 409)) rejected(error, repo);
    }
  }

  const remote = new Map<string, { oid?: string | undefined; sha256?: string }>();
  let notCompared: string | undefined;
  try {
    for await (const file of listFiles({ repo: repoRef, recursive: true, ...credentials, ...common })) {
      if (file.type === "file")
        remote.set(file.path, file.lfs ? { oid: file.oid, sha256: file.lfs.oid } : { oid: file.oid });
    }
  } catch (error) {
    // Offline, a dry run still lists what it would send: everything, since nothing could be compared.
    // No HTTP answer at all is a HubApiError with status 0 from the client policy (unreachable, timed out).
    if (options.dryRun && (!(error instanceof HubApiError) || error.statusCode === 0)) {
      const cause = networkCause(error);
      notCompared = `could not compare with the remote datasets/${repo} at ${hubUrl} (${cause?.code ?? cause?.message ?? (error as Error).message}); every file would be sent`;
    }
    // A repo that does not exist yet (a dry run before the first publish) has nothing to compare with.
    else if (!(error instanceof HubApiError && [401, 404].includes(error.statusCode) && (options.dryRun || created)))
      rejected(error, repo);
  }
  const upload: string[] = [];
  const unchanged: string[] = [];
  for (const [path, content] of local) {
    const there = remote.get(path);
    const same = there && (there.sha256 ? there.sha256 === sha256(content) : there.oid === gitBlobSha1(content));
    (same ? unchanged : upload).push(path);
  }
  const result: PublishDatasetResult = {
    repo,
    created,
    upload,
    unchanged,
    ...(notCompared ? { notCompared } : {}),
    ...(options.dryRun ? { card } : {}),
    ...(options.dryRun && !options.token
      ? { wouldRefuse: "HF_TOKEN is not set: the real run needs a Hugging Face token with write access" }
      : {}),
  };
  if (options.dryRun || upload.length === 0) return result;
  try {
    const commit = await uploadFiles({
      repo: repoRef,
      ...credentials,
      ...common,
      files: upload.map((path) => ({ path, content: new Blob([new Uint8Array(local.get(path) as Buffer)]) })),
      commitTitle: `Index ${index.version}`,
      commitDescription: `${index.models.length} models; ${upload.length} file(s) changed.`,
    } as Parameters<typeof uploadFiles>[0]);
    if (commit?.commit) result.commit = { oid: commit.commit.oid, url: commit.commit.url };
  } catch (error) {
    rejected(error, repo);
  }
  return result;
}
