/**
 * The model-repo half of the loopback Hub (../shared/reference/hub-api.md §4, §6 and
 * agents-and-runtimes.md §F.1): `GET /api/whoami-v2` with token roles (read, write, fine-grained)
 * and organisations; `POST /api/repos/create` for models with namespace permissions (403 when the
 * token may not write there, 409 when it exists); the recursive tree with `lfs` entries;
 * `/resolve/`; preupload (LFS for model weights and files of 10 MB or more, as the Hub's default
 * .gitattributes says); the git-LFS batch API answering with the basic transfer (upload actions only
 * for objects it does not hold yet, which is how a re-run resumes); the PUT of an object, checked
 * against its sha256; and the NDJSON commit with `file`, `lfsFile` and `deletedFile` lines.
 * Faults: cut the connection during the upload of an object (optionally once others have arrived).
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

export interface HubAccount {
  token: string;
  name: string;
  orgs?: { name: string; roleInOrg?: "admin" | "write" | "contributor" | "read" }[];
  role?: "read" | "write" | "fineGrained";
  /** Fine-grained tokens: which namespaces they may write to (`repo.write`). */
  writeTo?: string[];
  displayName?: string;
}

export interface ModelRepo {
  private: boolean;
  /** Regular files by path. */
  files: Map<string, Buffer>;
  /** LFS files by path: the object they point at. */
  lfsFiles: Map<string, { sha256: string; size: number }>;
  /** LFS objects the repo's storage holds, by sha256. */
  objects: Map<string, Buffer>;
  commits: { oid: string; summary: string; paths: string[] }[];
}

export interface UploadFault {
  /** The object's sha256. */
  oid: string;
  times: number;
  /** Cut only once these objects have arrived (so what was sent before the cut is known). */
  after?: string[];
}

export interface ModelRequest {
  method: string;
  path: string;
  /** The token's account when it had one. */
  account?: string;
}

const LFS_PATTERN =
  /\.(7z|arrow|bin|bz2|ckpt|ftz|gguf|gz|h5|joblib|mlmodel|model|msgpack|npy|npz|onnx|ot|parquet|pb|pickle|pkl|pt|pth|rar|safetensors|tar|tflite|tgz|wasm|xz|zip|zst)$/;
const gitOid = (b: Buffer) => createHash("sha1").update(`blob ${b.length}\0`).update(b).digest("hex");
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const pointer = (oid: string, size: number) =>
  Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${size}\n`);

const DEFAULT_GITATTRIBUTES = `*.bin filter=lfs diff=lfs merge=lfs -text
*.gguf filter=lfs diff=lfs merge=lfs -text
*.safetensors filter=lfs diff=lfs merge=lfs -text
`;

export function modelRepoRoutes(options: { accounts: HubAccount[]; legacyTokens: string[]; faults: UploadFault[] }) {
  const models = new Map<string, ModelRepo>();
  const requests: ModelRequest[] = [];
  const waiters: (() => void)[] = [];
  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "Content-Type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
  const readBody = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  const accountOf = (req: IncomingMessage) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (!token) return { token: undefined, account: undefined };
    const account = options.accounts.find((a) => a.token === token);
    if (account) return { token, account };
    // A token of the dataset emulator: an all-powerful account of its own.
    return options.legacyTokens.includes(token)
      ? { token, account: { token, name: "small-llm-index", role: "write" as const } }
      : { token, account: undefined };
  };
  const canWrite = (account: HubAccount | undefined, namespace: string) => {
    if (!account || account.role === "read") return false;
    const org = account.orgs?.find((o) => o.name === namespace);
    const owns = account.name === namespace || (org !== undefined && org.roleInOrg !== "read");
    if (!owns) return false;
    return account.role !== "fineGrained" || (account.writeTo ?? []).includes(namespace);
  };
  const tree = (repo: ModelRepo) =>
    [
      ...[...repo.files.entries()].map(([path, b]) => ({ type: "file", oid: gitOid(b), size: b.length, path })),
      ...[...repo.lfsFiles.entries()].map(([path, o]) => ({
        type: "file",
        oid: gitOid(pointer(o.sha256, o.size)),
        size: o.size,
        path,
        lfs: { oid: o.sha256, size: o.size, pointerSize: pointer(o.sha256, o.size).length },
      })),
    ].sort((a, b) => a.path.localeCompare(b.path));

  function create(res: ServerResponse, req: IncomingMessage, origin: string, body: Record<string, unknown>) {
    const { account } = accountOf(req);
    if (!account) return json(res, 401, { error: "Invalid credentials in Authorization header" });
    const namespace = String(body.organization ?? account.name);
    const id = `${namespace}/${String(body.name)}`;
    if (!canWrite(account, namespace))
      return json(res, 403, {
        error: `You don't have the rights to create a model under the namespace "${namespace}"`,
      });
    if (models.has(id)) return json(res, 409, { error: "You already created this model repo", url: `${origin}/${id}` });
    models.set(id, {
      private: body.visibility === "private" || body.private === true,
      files: new Map([[".gitattributes", Buffer.from(DEFAULT_GITATTRIBUTES)]]),
      lfsFiles: new Map(),
      objects: new Map(),
      commits: [],
    });
    return json(res, 200, { url: `${origin}/${id}`, name: id, id: sha256(Buffer.from(id)).slice(0, 24) });
  }

  /** Answer a model-repo route; false when the request is not one. */
  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const path = decodeURIComponent(url.pathname);
    const { account } = accountOf(req);
    requests.push({ method: req.method ?? "", path, ...(account ? { account: account.name } : {}) });
    const notFound = () => json(res, 404, { error: "Repository not found" }, { "X-Error-Code": "RepoNotFound" });
    const visible = (repo: ModelRepo | undefined, id: string) =>
      repo && (!repo.private || (account !== undefined && canWrite(account, id.split("/")[0] as string)));

    if (req.method === "GET" && path === "/api/whoami-v2") {
      if (!account) {
        json(res, 401, { error: "Invalid credentials in Authorization header" });
        return true;
      }
      json(res, 200, {
        type: "user",
        id: sha256(Buffer.from(account.name)).slice(0, 24),
        name: account.name,
        fullname: account.name,
        orgs: (account.orgs ?? []).map((o) => ({ type: "org", name: o.name, roleInOrg: o.roleInOrg ?? "write" })),
        auth: {
          type: "access_token",
          accessToken: {
            displayName: account.displayName ?? "test token",
            role: account.role ?? "write",
            ...(account.role === "fineGrained"
              ? {
                  fineGrained: {
                    global: [],
                    scoped: (account.writeTo ?? []).map((name) => ({
                      entity: { type: name === account.name ? "user" : "org", name },
                      permissions: ["repo.content.read", "repo.write"],
                    })),
                  },
                }
              : {}),
          },
        },
      });
      return true;
    }
    let m = /^\/api\/models\/([^/]+\/[^/]+)\/tree\/main\/?$/.exec(path);
    if (req.method === "GET" && m) {
      const repo = models.get(m[1] as string);
      if (!visible(repo, m[1] as string)) notFound();
      else json(res, 200, tree(repo as ModelRepo));
      return true;
    }
    m = /^\/api\/models\/([^/]+\/[^/]+)\/(preupload|commit)\/main$/.exec(path);
    if (req.method === "POST" && m) {
      const id = m[1] as string;
      const repo = models.get(id);
      const raw = (await readBody(req)).toString();
      if (!account) json(res, 401, { error: "Invalid credentials in Authorization header" });
      else if (!repo) notFound();
      else if (!canWrite(account, id.split("/")[0] as string))
        json(res, 403, { error: "You don't have write access to this repo" });
      else if (m[2] === "preupload") {
        const { files } = JSON.parse(raw) as { files: { path: string; size: number }[] };
        json(res, 200, {
          files: files.map((f) => ({
            path: f.path,
            uploadMode: f.size >= 10 * 1024 * 1024 || LFS_PATTERN.test(f.path) ? "lfs" : "regular",
            shouldIgnore: false,
          })),
          commitOid: repo.commits.at(-1)?.oid ?? "0".repeat(40),
        });
      } else commit(res, url.origin, id, repo, raw);
      return true;
    }
    m = /^\/([^/]+\/[^/]+)\.git\/info\/lfs\/objects\/batch$/.exec(path);
    if (req.method === "POST" && m) {
      const id = m[1] as string;
      const repo = models.get(id);
      const body = JSON.parse((await readBody(req)).toString()) as {
        transfers: string[];
        objects: { oid: string; size: number }[];
      };
      if (!account) json(res, 401, { message: "Invalid credentials" });
      else if (!repo) notFound();
      else if (!canWrite(account, id.split("/")[0] as string)) json(res, 403, { message: "Forbidden" });
      else if (!body.transfers.includes("basic")) json(res, 422, { message: "basic transfer required" });
      else
        json(
          res,
          200,
          {
            transfer: "basic",
            objects: body.objects.map((o) =>
              repo.objects.has(o.oid)
                ? { oid: o.oid, size: o.size }
                : {
                    oid: o.oid,
                    size: o.size,
                    authenticated: true,
                    actions: {
                      upload: { href: `${url.origin}/__lfs/${id}/${o.oid}?X-Signature=test`, expires_in: 3600 },
                    },
                  },
            ),
          },
          { "Content-Type": "application/vnd.git-lfs+json" },
        );
      return true;
    }
    m = /^\/__lfs\/([^/]+\/[^/]+)\/([0-9a-f]{64})$/.exec(path);
    if (req.method === "PUT" && m) {
      const repo = models.get(m[1] as string);
      const oid = m[2] as string;
      const fault = options.faults.find((f) => f.oid === oid && f.times > 0);
      if (fault) {
        fault.times--;
        const ready = () => (fault.after ?? []).every((o) => repo?.objects.has(o));
        while (!ready()) await new Promise<void>((r) => waiters.push(r));
        req.socket.destroy();
        return true;
      }
      const content = await readBody(req);
      if (!repo) notFound();
      else if (sha256(content) !== oid) json(res, 400, { error: "sha256 mismatch" });
      else {
        repo.objects.set(oid, content);
        for (const wake of waiters.splice(0)) wake();
        res.writeHead(200, { ETag: `"${oid.slice(0, 32)}"` });
        res.end();
      }
      return true;
    }
    m = /^\/([^/]+\/[^/]+)\/resolve\/main\/(.+)$/.exec(path);
    if ((req.method === "GET" || req.method === "HEAD") && m && models.has(m[1] as string)) {
      const repo = models.get(m[1] as string) as ModelRepo;
      if (!visible(repo, m[1] as string)) {
        notFound();
        return true;
      }
      const file = repo.files.get(m[2] as string);
      const lfs = repo.lfsFiles.get(m[2] as string);
      const content = file ?? (lfs ? repo.objects.get(lfs.sha256) : undefined);
      if (!content) json(res, 404, { error: "Entry not found" }, { "X-Error-Code": "EntryNotFound" });
      else {
        res.writeHead(200, { "Content-Length": String(content.length), ETag: `"${gitOid(content)}"` });
        res.end(req.method === "HEAD" ? undefined : content);
      }
      return true;
    }
    return false;
  }

  function commit(res: ServerResponse, origin: string, id: string, repo: ModelRepo, raw: string) {
    const lines = raw
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { key: string; value: Record<string, unknown> });
    const header = lines.find((l) => l.key === "header")?.value;
    const paths: string[] = [];
    for (const { key, value } of lines) {
      const p = String(value.path ?? "");
      if (key === "file") {
        if (value.encoding !== "base64") return json(res, 400, { error: "files must be base64" });
        repo.files.set(p, Buffer.from(String(value.content), "base64"));
        repo.lfsFiles.delete(p);
        paths.push(p);
      } else if (key === "lfsFile") {
        const oid = String(value.oid);
        const object = repo.objects.get(oid);
        if (!object || object.length !== Number(value.size))
          return json(res, 422, {
            error: `Your push was rejected because an LFS pointer pointed to a file that does not exist (${p})`,
          });
        repo.lfsFiles.set(p, { sha256: oid, size: object.length });
        repo.files.delete(p);
        paths.push(p);
      } else if (key === "deletedFile") {
        repo.files.delete(p);
        repo.lfsFiles.delete(p);
      } else if (key !== "header") {
        return json(res, 400, { error: `unsupported operation ${key}` });
      }
    }
    const oid = createHash("sha1")
      .update(`${id}:${repo.commits.length}:${paths.join(",")}`)
      .digest("hex");
    repo.commits.push({ oid, summary: String(header?.summary ?? ""), paths });
    return json(res, 200, {
      success: true,
      commitOid: oid,
      commitUrl: `${origin}/${id}/commit/${oid}`,
      hookOutput: "",
    });
  }

  return { models, requests, handle, create };
}
