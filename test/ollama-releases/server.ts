/**
 * A loopback stand-in for GitHub's releases API for ollama/ollama: `GET …/releases/latest` and
 * `…/releases/tags/<tag>` answer in the API's shape (assets with `name`, `size`, `digest`
 * `sha256:<hex>`, `browser_download_url`), downloads redirect (302) to an object URL the way
 * github.com does, serve byte ranges (206), and every release can carry `sha256sum.txt` with
 * `<hex>  ./<asset>` lines. Faults: a body cut after N bytes, ranges ignored, a slow trickle,
 * HTTP errors, a wrong digest.
 */
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import { listenLocal } from "../helpers/listen.ts";

export interface FakeAsset {
  name: string;
  data: Buffer;
  /** Leave the `digest` field out (older assets have none). */
  noDigest?: boolean;
  /** Publish this digest instead of the real one. */
  wrongDigest?: boolean;
}

export interface FakeRelease {
  tag: string;
  assets: FakeAsset[];
  /** Also publish sha256sum.txt (default true). */
  checksumFile?: boolean;
}

export interface ReleaseFault {
  /** Asset name this applies to. */
  asset: string;
  kind: "cut" | "ignore-range" | "slow" | "500";
  /** For `cut`: bytes sent before the connection is dropped. */
  afterBytes?: number;
  /** How many requests it affects (default: all). */
  times?: number;
  /** For `slow`: pause per 16 KiB. */
  delayMs?: number;
}

export interface ReleaseServer {
  url: string;
  /** What SMALL_LLM_OLLAMA_RELEASES takes. */
  apiBase: string;
  releases: FakeRelease[];
  latest: string;
  faults: ReleaseFault[];
  requests: { path: string; range?: string; status: number }[];
  close(): Promise<void>;
}

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

export async function startReleaseServer(
  releases: FakeRelease[],
  latest = releases[0]?.tag ?? "",
  port?: number,
): Promise<ReleaseServer> {
  const state: ReleaseServer = {
    url: "",
    apiBase: "",
    releases,
    latest,
    faults: [],
    requests: [],
    close: async () => {},
  };
  const files = (r: FakeRelease) => {
    const list = r.assets.map((a) => ({ ...a }));
    if (r.checksumFile !== false) {
      const text = r.assets.map((a) => `${a.wrongDigest ? "0".repeat(64) : sha(a.data)}  ./${a.name}`).join("\n");
      list.push({ name: "sha256sum.txt", data: Buffer.from(`${text}\n`), noDigest: false, wrongDigest: false });
    }
    return list;
  };
  const take = (asset: string) => {
    const f = state.faults.find((x) => x.asset === asset && (x.times === undefined || x.times > 0));
    if (f && f.times !== undefined) f.times--;
    return f;
  };
  const releaseJson = (r: FakeRelease) => ({
    url: `${state.apiBase}/${r.tag}`,
    html_url: `https://github.com/ollama/ollama/releases/tag/${r.tag}`,
    id: Number.parseInt(sha(Buffer.from(r.tag)).slice(0, 8), 16),
    tag_name: r.tag,
    name: r.tag,
    draft: false,
    prerelease: false,
    created_at: "2026-08-21T00:00:00Z",
    published_at: "2026-08-21T00:00:00Z",
    assets: files(r).map((a, i) => ({
      url: `${state.apiBase}/assets/${i}`,
      id: i + 1,
      name: a.name,
      label: "",
      content_type: "application/octet-stream",
      state: "uploaded",
      size: a.data.length,
      ...(a.noDigest ? {} : { digest: `sha256:${a.wrongDigest ? "f".repeat(64) : sha(a.data)}` }),
      download_count: 0,
      browser_download_url: `${state.url}/ollama/ollama/releases/download/${r.tag}/${a.name}`,
    })),
  });

  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const record: ReleaseServer["requests"][number] = { path, status: 200 };
    if (req.headers.range) record.range = req.headers.range;
    state.requests.push(record);
    const send = (status: number, body: string, type = "application/json; charset=utf-8") => {
      record.status = status;
      res.writeHead(status, { "content-type": type });
      res.end(body);
    };
    const api = /^\/repos\/ollama\/ollama\/releases\/(?:latest|tags\/(.+))$/.exec(path);
    if (api) {
      const tag = api[1] ?? state.latest;
      const r = state.releases.find((x) => x.tag === tag);
      if (!r)
        return send(
          404,
          JSON.stringify({ message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" }),
        );
      return send(200, JSON.stringify(releaseJson(r)));
    }
    const download = /^\/ollama\/ollama\/releases\/download\/([^/]+)\/([^/]+)$/.exec(path);
    if (download) {
      record.status = 302;
      res.writeHead(302, { location: `${state.url}/objects/${download[1]}/${download[2]}?sig=x` });
      return res.end();
    }
    const object = /^\/objects\/([^/]+)\/([^/]+)$/.exec(path);
    const r = object && state.releases.find((x) => x.tag === object[1]);
    const asset = r && files(r).find((a) => a.name === object?.[2]);
    if (!asset) return send(404, "Not Found", "text/plain");
    const fault = take(asset.name);
    if (fault?.kind === "500") return send(500, "Internal Server Error", "text/plain");
    let start = 0;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
    if (range && fault?.kind !== "ignore-range") start = Number(range[1]);
    if (start >= asset.data.length && range) {
      record.status = 416;
      res.writeHead(416, { "content-range": `bytes */${asset.data.length}` });
      return res.end();
    }
    const body = asset.data.subarray(start);
    record.status = start > 0 ? 206 : 200;
    res.writeHead(record.status, {
      "content-type": "application/octet-stream",
      "content-length": String(body.length),
      "accept-ranges": "bytes",
      ...(start > 0 ? { "content-range": `bytes ${start}-${asset.data.length - 1}/${asset.data.length}` } : {}),
    });
    if (fault?.kind === "cut") {
      res.write(body.subarray(0, fault.afterBytes ?? Math.floor(body.length / 2)));
      return setTimeout(() => res.destroy(), 20);
    }
    if (fault?.kind === "slow") {
      const closed = new Promise((done) => res.once("close", done));
      for (let i = 0; i < body.length && !res.destroyed; i += 16384) {
        res.write(body.subarray(i, i + 16384));
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([closed, new Promise((done) => (timer = setTimeout(done, fault.delayMs ?? 100)))]);
        clearTimeout(timer);
      }
      return res.end();
    }
    res.end(body);
  });
  const listening = await listenLocal(server, port);
  const { close } = listening;
  state.url = `http://127.0.0.1:${listening.port}`;
  state.apiBase = `${state.url}/repos/ollama/ollama/releases`;
  state.close = close;
  return state;
}
