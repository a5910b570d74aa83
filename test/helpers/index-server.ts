/**
 * A static index server for getIndex tests: serves an index with an ETag and answers
 * If-None-Match with 304; its `mode` makes it slow, fail with 500, send broken or schema-invalid
 * JSON, or an oversized body.
 */
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import { listenLocal } from "./listen.ts";

export type IndexServerMode = "ok" | "slow" | "500" | "invalid-json" | "schema-invalid" | "huge";

export interface IndexServer {
  url: string;
  mode: IndexServerMode;
  body: string;
  requests: { ifNoneMatch: string | undefined; status: number }[];
  close(): Promise<void>;
}

export async function startIndexServer(body: string, mode: IndexServerMode = "ok"): Promise<IndexServer> {
  const state: IndexServer = { url: "", mode, body, requests: [], close: async () => {} };
  const server = createServer(async (req, res) => {
    const etag = `"${createHash("sha256").update(state.body).digest("hex").slice(0, 16)}"`;
    const record = { ifNoneMatch: req.headers["if-none-match"], status: 200 };
    state.requests.push(record);
    const send = (status: number, text: string, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(text);
    };
    switch (state.mode) {
      case "slow":
        await new Promise((r) => setTimeout(r, 3000));
        return send(200, state.body, { etag });
      case "500":
        return send(500, '{"error":"boom"}');
      case "invalid-json":
        return send(200, state.body.slice(0, state.body.length / 2), { etag });
      case "schema-invalid":
        return send(200, JSON.stringify({ ...JSON.parse(state.body), models: [{ id: "x; rm -rf /" }] }), {
          etag: '"bad"',
        });
      case "huge": {
        record.status = 200;
        res.writeHead(200, { "content-type": "application/json" });
        const chunk = "x".repeat(1024 * 1024);
        for (let i = 0; i < 80 && !res.destroyed; i++) res.write(chunk);
        return res.end();
      }
      default:
        if (req.headers["if-none-match"] === etag) return send(304, "", { etag });
        return send(200, state.body, { etag });
    }
  });
  const { port, close } = await listenLocal(server);
  state.url = `http://127.0.0.1:${port}/v1/index.json`;
  state.close = close;
  return state;
}
