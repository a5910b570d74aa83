/** Serve a built static site under a base path on 127.0.0.1, the way GitHub Pages does. */
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";
import { createGzip } from "node:zlib";
import { listenLocal } from "./listen.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".jsonl": "application/x-ndjson",
  ".svg": "image/svg+xml",
};

export async function serveStatic(root: string, base = "/"): Promise<{ url: string; close(): Promise<void> }> {
  const prefix = base.replace(/\/?$/, "/");
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    if (!path.startsWith(prefix) && `${path}/` !== prefix) {
      res.writeHead(404);
      return res.end("not found");
    }
    let file = normalize(join(root, path.slice(prefix.length - 1)));
    if (!file.startsWith(normalize(root))) {
      res.writeHead(403);
      return res.end();
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) {
      res.writeHead(404);
      return res.end("not found");
    }
    const gzip = /\bgzip\b/.test(req.headers["accept-encoding"] ?? "");
    res.writeHead(200, {
      "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
      ...(gzip ? { "Content-Encoding": "gzip" } : {}),
    });
    const stream = createReadStream(file);
    (gzip ? stream.pipe(createGzip()) : stream).pipe(res);
  });
  const { port, close } = await listenLocal(server);
  return { url: `http://127.0.0.1:${port}${prefix.replace(/\/$/, "")}`, close };
}
