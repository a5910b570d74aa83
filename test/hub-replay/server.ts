/**
 * A Hub replay server: real HTTP on 127.0.0.1 answering what the pipeline asks the Hub, over a
 * fixture catalogue, the way the real Hub does (../shared/reference/hub-api.md): list with search,
 * author, filter, pipeline_tag, num_parameters, sort, limit, expand[] and an absolute `Link` cursor;
 * model info; paginated tree; resolve with Range and ETag; 401/403/404 with X-Error-Code;
 * RateLimit headers on every answer. Faults are injected per request (faults.ts): 429 +
 * Retry-After, 500, slow answers, truncated JSON, dropped connections, or a flaky share of them.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listenLocal } from "../helpers/listen.ts";
import type { Catalogue, FixtureRepo } from "./catalogue.ts";
import { type Fault, faultInjector } from "./faults.ts";
import { EXPANDABLE, listenOn, paramCount, parseCount, project, SINGLE_ONLY, TREE_PAGE } from "./shapes.ts";

export type { Fault } from "./faults.ts";

export interface RequestRecord {
  path: string;
  bucket: "api" | "resolvers";
  status: number;
  authorized: boolean;
}

export interface HubReplayOptions {
  catalogue: Catalogue;
  /** Added to every answer (the bench uses 20 ms). */
  latencyMs?: number;
  faults?: Fault[];
  /** Tokens that have accepted every gated repo's terms. */
  approvedTokens?: string[];
  /** Requests per 5-minute window per bucket, as RateLimit headers report them. */
  quota?: { api: number; resolvers: number };
  /** Fields list answers leave out even when expanded (a Hub that answers with less). */
  omitFromList?: string[];
  /** Port on 127.0.0.1; a free one when unset. */
  port?: number;
}

export interface HubReplay {
  url: string;
  requests: RequestRecord[];
  faults: Fault[];
  /** Replace the catalogue (e.g. to simulate a change on the Hub between runs). */
  setCatalogue(catalogue: Catalogue): void;
  close(): Promise<void>;
}

export async function startHubReplay(options: HubReplayOptions): Promise<HubReplay> {
  let byId = new Map<string, FixtureRepo>();
  let sorted: Record<string, FixtureRepo[]> = {};
  const setCatalogue = (catalogue: Catalogue) => {
    byId = new Map(catalogue.repos.map((r) => [r.info.id.toLowerCase(), r]));
    const sortBy = (key: string) =>
      [...catalogue.repos].sort(
        (a, b) =>
          Number(b.info[key] ?? 0) - Number(a.info[key] ?? 0) || String(a.info._id).localeCompare(String(b.info._id)),
      );
    sorted = {
      downloads: sortBy("downloads"),
      likes: sortBy("likes"),
      trendingScore: sortBy("trendingScore"),
      createdAt: [...catalogue.repos].sort((a, b) => String(b.info.createdAt).localeCompare(String(a.info.createdAt))),
      lastModified: [...catalogue.repos].sort((a, b) =>
        String(b.info.lastModified).localeCompare(String(a.info.lastModified)),
      ),
    };
  };
  setCatalogue(options.catalogue);
  const faults = options.faults ?? [];
  const requests: RequestRecord[] = [];
  const approved = new Set(options.approvedTokens ?? []);
  const quota = options.quota ?? { api: 100_000, resolvers: 500_000 };
  const used = { api: 0, resolvers: 0 };
  const injector = faultInjector(faults);

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
    const bucket = url.pathname.includes("/resolve/") ? "resolvers" : "api";
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const record: RequestRecord = {
      path: url.pathname + url.search,
      bucket,
      status: 200,
      authorized: token !== undefined,
    };
    requests.push(record);
    used[bucket]++;
    res.setHeader("RateLimit", `"${bucket}";r=${Math.max(0, quota[bucket] - used[bucket])};t=${300}`);
    res.setHeader("RateLimit-Policy", `"fixed window";"${bucket}";q=${quota[bucket]};w=300`);
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));

    const hit = injector.pick(record.path);
    if (hit) {
      const status = await injector.inject(req, res, hit);
      if (status !== undefined) {
        record.status = status;
        return;
      }
    }
    try {
      route(req, res, url, token, record, hit?.kind === "truncate");
    } catch (error) {
      record.status = 500;
      res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error: String(error) }));
    }
  });

  function send(
    res: ServerResponse,
    record: RequestRecord,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
    truncate = false,
  ) {
    record.status = status;
    const text = typeof body === "string" ? body : JSON.stringify(body);
    res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", ...headers });
    res.end(truncate ? text.slice(0, Math.max(1, Math.floor(text.length / 2))) : text);
  }

  function repoError(res: ServerResponse, record: RequestRecord, status: number, code: string, message: string) {
    send(res, record, status, { error: message }, { "X-Error-Code": code, "X-Error-Message": message });
  }

  /** The repo at `owner/name`, or an answer saying why not (the Hub's 401 for anonymous misses). */
  function findRepo(
    res: ServerResponse,
    record: RequestRecord,
    id: string,
    token: string | undefined,
    gatedCheck: "info" | "files",
  ): FixtureRepo | undefined {
    const repo = byId.get(id.toLowerCase());
    if (!repo) {
      if (token) repoError(res, record, 404, "RepoNotFound", `Repository not found: ${id}`);
      else repoError(res, record, 401, "RepoNotFound", "Invalid username or password.");
      return undefined;
    }
    const gated = gatedCheck === "info" ? repo.gatedInfo : repo.gatedFiles;
    if (gated && !(token && approved.has(token))) {
      if (token)
        repoError(
          res,
          record,
          403,
          "GatedRepo",
          `Access to model ${id} is restricted and you are not in the authorized list. Visit ${`https://huggingface.co/${id}`} to ask for access.`,
        );
      else
        repoError(
          res,
          record,
          401,
          "GatedRepo",
          `Access to model ${id} is restricted. You must have access to it and be authenticated to access it. Please log in.`,
        );
      return undefined;
    }
    return repo;
  }

  function route(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    token: string | undefined,
    record: RequestRecord,
    truncate: boolean,
  ) {
    if (req.method !== "GET" && req.method !== "HEAD") return send(res, record, 405, { error: "Method not allowed" });
    const path = decodeURIComponent(url.pathname);
    if (path === "/api/models") return listModels(res, url, record, truncate);
    let m = /^\/api\/models\/([^/]+\/[^/]+)\/tree\/([^/]+)(?:\/(.*))?$/.exec(path);
    if (m) {
      const repo = findRepo(res, record, m[1] as string, token, "info");
      if (!repo) return;
      const all = repo.files.map((f) => ({
        type: "file",
        oid: (f.sha256 ?? "0".repeat(64)).slice(0, 40),
        size: f.size,
        path: f.path,
        ...(f.sha256 ? { lfs: { oid: f.sha256, size: f.size, pointerSize: 134 } } : {}),
      }));
      const dirs = [
        ...new Set(repo.files.filter((f) => f.path.includes("/")).map((f) => f.path.split("/")[0] as string)),
      ];
      const entries = [...dirs.map((d) => ({ type: "directory", oid: "0".repeat(40), size: 0, path: d })), ...all];
      const start = Number(url.searchParams.get("cursor") ?? "0");
      const page = entries.slice(start, start + TREE_PAGE);
      const headers: Record<string, string> = {};
      if (start + TREE_PAGE < entries.length) {
        const next = new URL(url);
        next.searchParams.set("cursor", String(start + TREE_PAGE));
        headers.Link = `<${next}>; rel="next"`;
      }
      return send(res, record, 200, page, headers, truncate);
    }
    m = /^\/api\/models\/([^/]+\/[^/]+?)(?:\/revision\/([^/]+))?$/.exec(path);
    if (m) {
      const repo = findRepo(res, record, m[1] as string, token, "info");
      if (!repo) return;
      const expand = url.searchParams.getAll("expand[]").concat(url.searchParams.getAll("expand"));
      const bad = expand.find((e) => !EXPANDABLE.has(e));
      if (bad) return send(res, record, 400, { error: `"expand" must be one of ${[...EXPANDABLE].join(", ")}` });
      return send(
        res,
        record,
        200,
        expand.length ? project(repo.info, expand) : { ...repo.info, modelId: repo.info.id },
        {},
        truncate,
      );
    }
    m = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(path);
    if (m) {
      const repo = findRepo(res, record, m[1] as string, token, "files");
      if (!repo) return;
      const file = repo.files.find((f) => f.path === m?.[3]);
      if (!file || file.content === undefined)
        return repoError(res, record, 404, "EntryNotFound", `Entry not found: ${m[3]}`);
      const body = Buffer.from(file.content);
      const etag = `"${(file.sha256 ?? String(repo.info.sha)).slice(0, 40)}"`;
      const headers = {
        ETag: etag,
        "X-Repo-Commit": String(repo.info.sha),
        "Accept-Ranges": "bytes",
        "Content-Type": "text/plain; charset=utf-8",
      };
      if (req.headers["if-none-match"] === etag) {
        record.status = 304;
        res.writeHead(304, headers);
        return res.end();
      }
      const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
      if (range) {
        const start = Number(range[1]);
        const end = Math.min(body.length - 1, range[2] ? Number(range[2]) : body.length - 1);
        record.status = 206;
        res.writeHead(206, {
          ...headers,
          "Content-Range": `bytes ${start}-${end}/${body.length}`,
          "Content-Length": String(end - start + 1),
        });
        return res.end(body.subarray(start, end + 1));
      }
      record.status = 200;
      res.writeHead(200, { ...headers, "Content-Length": String(body.length) });
      return res.end(truncate ? body.subarray(0, Math.floor(body.length / 2)) : body);
    }
    send(res, record, 404, { error: "Sorry, we can't find the page you are looking for." });
  }

  function listModels(res: ServerResponse, url: URL, record: RequestRecord, truncate: boolean) {
    const q = url.searchParams;
    const expand = q.getAll("expand[]").concat(q.getAll("expand"));
    const bad = expand.find((e) => !EXPANDABLE.has(e) || SINGLE_ONLY.has(e));
    if (bad)
      return send(res, record, 400, { error: `"expand[]" must be one of the list-expandable fields, got ${bad}` });
    const sort = q.get("sort") ?? "downloads";
    let repos = sorted[sort] ?? sorted.downloads ?? [];
    const search = q.get("search")?.toLowerCase();
    const author = q.get("author");
    const filters = q.getAll("filter");
    const pipeline = q.get("pipeline_tag");
    const numParams = q.get("num_parameters");
    let min = 0;
    let max = Number.POSITIVE_INFINITY;
    if (numParams) {
      for (const part of numParams.split(",")) {
        const [k, v] = part.split(":");
        const n = parseCount(v ?? "");
        if (Number.isNaN(n) || (k !== "min" && k !== "max"))
          return send(res, record, 400, { error: `Invalid num_parameters: ${numParams}` });
        if (k === "min") min = n;
        else max = n;
      }
    }
    repos = repos.filter((r) => {
      const info = r.info;
      if (search && !info.id.toLowerCase().includes(search)) return false;
      if (author && info.author !== author) return false;
      if (pipeline && info.pipeline_tag !== pipeline) return false;
      const tags = info.tags as string[];
      if (!filters.every((f) => tags.includes(f) || info.library_name === f)) return false;
      if (numParams) {
        const n = paramCount(info);
        if (n === undefined || n < min || n > max) return false;
      }
      return true;
    });
    const limit = Math.min(1000, Math.max(1, Number(q.get("limit") ?? "1000")));
    const cursor = q.get("cursor");
    const start = cursor ? (JSON.parse(Buffer.from(cursor, "base64").toString()) as { offset: number }).offset : 0;
    const page = repos.slice(start, start + limit);
    const headers: Record<string, string> = {};
    if (start + limit < repos.length) {
      const next = new URL(url);
      next.searchParams.set("cursor", Buffer.from(JSON.stringify({ offset: start + limit })).toString("base64"));
      headers.Link = `<${next}>; rel="next"`;
    }
    send(
      res,
      record,
      200,
      page.map((r) => {
        const item = project(r.info, expand);
        for (const k of options.omitFromList ?? []) delete item[k];
        return item;
      }),
      headers,
      truncate,
    );
  }

  const { port, close } = options.port ? await listenOn(server, options.port) : await listenLocal(server);
  return { url: `http://127.0.0.1:${port}`, requests, faults, setCatalogue, close };
}
