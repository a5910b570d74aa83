/**
 * A loopback stand-in for the two Hub routes a GGUF download uses: `GET /{repo}/resolve/{rev}/{file}`
 * (with `Range`, answering 206 and `Content-Range` as the Hub's CDN does) and
 * `GET /api/models/{repo}/tree/{rev}?recursive=true` (entries with their LFS sha256, paginated by
 * `Link`). Faults: cut the body after N bytes for the next downloads, answer the next requests
 * busy (503 with Retry-After), or demand a token.
 */
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import { listenLocal } from "./listen.ts";

export interface HubFilesServer {
  url: string;
  /** Every request: path and its Range header. */
  requests: { path: string; range?: string }[];
  /** The next `times` downloads send only `bytes` bytes, then drop the connection. */
  cutNext(bytes: number, times?: number): void;
  /** The next `times` requests are answered 503 with `Retry-After: 0`, as a busy Hub does. */
  busyNext(times?: number): void;
  close(): Promise<void>;
}

export async function startHubFilesServer(options: {
  /** `owner/repo` → file path in the repo → contents. */
  repos: Record<string, Record<string, Buffer>>;
  /** When set, every request must carry `Authorization: Bearer <token>`. */
  token?: string;
  /** Tree entries per page (default: all on one). */
  pageSize?: number;
}): Promise<HubFilesServer> {
  const requests: HubFilesServer["requests"] = [];
  let cut: { bytes: number; times: number } | undefined;
  let busy = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    requests.push({ path: url.pathname, ...(req.headers.range ? { range: req.headers.range } : {}) });
    if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
      res.writeHead(401, { "content-type": "application/json" }).end('{"error":"Invalid credentials"}');
      return;
    }
    if (busy > 0) {
      busy--;
      res.writeHead(503, { "retry-after": "0" }).end("Service Unavailable");
      return;
    }
    const tree = /^\/api\/models\/([^/]+\/[^/]+)\/tree\/[^/]+$/.exec(url.pathname);
    if (tree) {
      const files = options.repos[decodeURIComponent(tree[1] as string)];
      // As the Hub answers a missing repo: 401 to an anonymous request (it may be private), 404 with a token.
      if (!files)
        return void res
          .writeHead(req.headers.authorization ? 404 : 401, { "x-error-code": "RepoNotFound" })
          .end('{"error":"Repository not found"}');
      const entries = Object.entries(files).map(([path, data]) => ({
        type: "file",
        path,
        size: data.length,
        oid: createHash("sha1").update(data).digest("hex"),
        lfs: { oid: createHash("sha256").update(data).digest("hex"), size: data.length, pointerSize: 134 },
      }));
      const page = Number(url.searchParams.get("cursor") ?? 0);
      const size = options.pageSize ?? entries.length;
      const headers: Record<string, string> = { "content-type": "application/json" };
      if ((page + 1) * size < entries.length) {
        const next = new URL(url);
        next.searchParams.set("cursor", String(page + 1));
        headers.link = `<http://${req.headers.host}${next.pathname}${next.search}>; rel="next"`;
      }
      res.writeHead(200, headers).end(JSON.stringify(entries.slice(page * size, (page + 1) * size)));
      return;
    }
    const resolve = /^\/([^/]+\/[^/]+)\/resolve\/[^/]+\/(.+)$/.exec(url.pathname);
    const data = resolve && options.repos[resolve[1] as string]?.[decodeURIComponent(resolve[2] as string)];
    if (!data) return void res.writeHead(404, { "x-error-code": "EntryNotFound" }).end("Entry not found");
    let start = 0;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
    if (range) {
      start = Number(range[1]);
      if (start >= data.length) return void res.writeHead(416, { "content-range": `bytes */${data.length}` }).end();
      res.writeHead(206, {
        "content-length": data.length - start,
        "content-range": `bytes ${start}-${data.length - 1}/${data.length}`,
        "accept-ranges": "bytes",
      });
    } else res.writeHead(200, { "content-length": data.length, "accept-ranges": "bytes" });
    const body = data.subarray(start);
    if (cut && cut.times > 0) {
      cut.times--;
      // Send part of the body, let it reach the client, then break the connection mid-file.
      res.write(body.subarray(0, cut.bytes), () => setTimeout(() => res.destroy(), 20));
      return;
    }
    res.end(body);
  });
  const { port, close } = await listenLocal(server);
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    cutNext: (bytes, times = 1) => {
      cut = { bytes, times };
    },
    busyNext: (times = 1) => {
      busy = times;
    },
    close,
  };
}
