/**
 * A loopback emulator of the Hub endpoints that publishing a dataset uses
 * (../shared/reference/hub-api.md §6): POST /api/repos/create (409 when it exists), the dataset tree
 * listing, POST …/preupload/main and the NDJSON POST …/commit/main — with Bearer-token checks the
 * way the Hub answers them. Files under 10 MB are "regular" uploads, as the Hub treats small text.
 * Model repos (whoami, create, tree, resolve, preupload, LFS batch and upload, commit) are served by
 * ./model-repos.ts on the same port, for `small-llm publish`.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listenLocal } from "../helpers/listen.ts";
import {
  type HubAccount,
  type ModelRepo,
  type ModelRequest,
  modelRepoRoutes,
  type UploadFault,
} from "./model-repos.ts";

export type { HubAccount, ModelRepo, ModelRequest, UploadFault };

export interface DatasetRepo {
  files: Map<string, Buffer>;
  commits: { oid: string; summary: string; paths: string[] }[];
}

export interface HubDatasetsEmulator {
  url: string;
  repos: Map<string, DatasetRepo>;
  requests: { method: string; path: string; authorized: boolean }[];
  /** Model repos (publishModel): files, LFS objects, commits. */
  models: Map<string, ModelRepo>;
  modelRequests: ModelRequest[];
  /** Cuts during LFS uploads; add to it while the server runs. */
  uploadFaults: UploadFault[];
  close(): Promise<void>;
}

const gitOid = (b: Buffer) => createHash("sha1").update(`blob ${b.length}\0`).update(b).digest("hex");

export async function startHubDatasetsEmulator(options: {
  tokens: string[];
  /** Accounts for whoami and model repos (role, organisations); `tokens` also work there as an all-powerful account. */
  accounts?: HubAccount[];
  uploadFaults?: UploadFault[];
}): Promise<HubDatasetsEmulator> {
  const repos = new Map<string, DatasetRepo>();
  const uploadFaults = options.uploadFaults ?? [];
  const modelRoutes = modelRepoRoutes({
    accounts: options.accounts ?? [],
    legacyTokens: options.tokens,
    faults: uploadFaults,
  });
  const requests: HubDatasetsEmulator["requests"] = [];
  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "Content-Type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
  const body = async (req: IncomingMessage) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    return raw;
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const authorized = token !== undefined && options.tokens.includes(token);
    requests.push({ method: req.method ?? "", path: url.pathname, authorized });
    const denied = () =>
      json(res, 401, { error: "Invalid credentials in Authorization header" }, { "X-Error-Code": "Unauthorized" });
    const path = decodeURIComponent(url.pathname);
    if (await modelRoutes.handle(req, res, url)) return;

    if (req.method === "POST" && path === "/api/repos/create") {
      const parsed = JSON.parse(await body(req)) as { name: string; organization: string; type: string };
      if (parsed.type === "model" || parsed.type === undefined)
        return modelRoutes.create(res, req, url.origin, parsed as unknown as Record<string, unknown>);
      if (!authorized) return denied();
      const { name, organization, type } = parsed;
      const id = `${organization}/${name}`;
      if (type !== "dataset") return json(res, 400, { error: "this emulator only creates datasets" });
      if (repos.has(id))
        return json(res, 409, { error: "You already created this dataset repo", url: `${url.origin}/datasets/${id}` });
      repos.set(id, {
        files: new Map([[".gitattributes", Buffer.from("*.parquet filter=lfs diff=lfs merge=lfs -text\n")]]),
        commits: [],
      });
      return json(res, 200, {
        url: `${url.origin}/datasets/${id}`,
        name: id,
        id: createHash("sha1").update(id).digest("hex").slice(0, 24),
      });
    }
    let m = /^\/api\/datasets\/([^/]+\/[^/]+)\/tree\/([^/]+)/.exec(path);
    if (req.method === "GET" && m) {
      const repo = repos.get(m[1] as string);
      if (!repo) return json(res, 404, { error: "Repository not found" }, { "X-Error-Code": "RepoNotFound" });
      const entries = [...repo.files.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([p, b]) => ({ type: "file", oid: gitOid(b), size: b.length, path: p }));
      return json(res, 200, entries);
    }
    m = /^\/api\/datasets\/([^/]+\/[^/]+)\/(preupload|commit)\/main$/.exec(path);
    if (req.method === "POST" && m) {
      if (!authorized) return denied();
      const repo = repos.get(m[1] as string);
      if (!repo) return json(res, 404, { error: "Repository not found" }, { "X-Error-Code": "RepoNotFound" });
      const raw = await body(req);
      if (m[2] === "preupload") {
        const { files } = JSON.parse(raw) as { files: { path: string; size: number }[] };
        const commitOid = repo.commits.at(-1)?.oid ?? "0".repeat(40);
        return json(res, 200, {
          files: files.map((f) => ({
            path: f.path,
            uploadMode: f.size < 10 * 1024 * 1024 ? "regular" : "lfs",
            shouldIgnore: false,
          })),
          commitOid,
        });
      }
      if (req.headers["content-type"] !== "application/x-ndjson")
        return json(res, 400, { error: "expected application/x-ndjson" });
      const lines = raw
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { key: string; value: Record<string, string> });
      const header = lines.find((l) => l.key === "header")?.value;
      const paths: string[] = [];
      for (const line of lines) {
        if (line.key === "file") {
          const { path: p, content, encoding } = line.value as { path: string; content: string; encoding: string };
          if (encoding !== "base64") return json(res, 400, { error: "files must be base64" });
          repo.files.set(p, Buffer.from(content, "base64"));
          paths.push(p);
        } else if (line.key === "deletedFile") {
          repo.files.delete(line.value.path as string);
        } else if (line.key !== "header") {
          return json(res, 400, { error: `unsupported operation ${line.key}` });
        }
      }
      const oid = createHash("sha1")
        .update(`${m[1]}:${repo.commits.length}:${paths.join(",")}`)
        .digest("hex");
      repo.commits.push({ oid, summary: header?.summary ?? "", paths });
      return json(res, 200, {
        success: true,
        commitOid: oid,
        commitUrl: `${url.origin}/datasets/${m[1]}/commit/${oid}`,
        hookOutput: "",
      });
    }
    json(res, 404, { error: "Sorry, we can't find the page you are looking for." });
  });
  const { port, close } = await listenLocal(server);
  return {
    url: `http://127.0.0.1:${port}`,
    repos,
    requests,
    models: modelRoutes.models,
    modelRequests: modelRoutes.requests,
    uploadFaults,
    close,
  };
}
