/** The HTTP layer against a real local server: retries that wait what the server asks, and one meaning of failure. */
import { createServer } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listenLocal } from "../../test/helpers/listen.ts";
import { CancelledError, TimeoutError } from "../src/errors/index.ts";
import {
  HttpStatusError,
  NoAnswerError,
  readNdjson,
  readSse,
  request,
  retryingFetch,
  StreamError,
  serverDelayMs,
  withRetries,
} from "../src/http/index.ts";

let base: string;
let close: () => Promise<void>;
const answers: { status: number; headers?: Record<string, string> }[] = [];
let served = 0;
const policy = { retries: 4, baseMs: 1, maxMs: 100 };

beforeAll(async () => {
  const server = createServer((req, res) => {
    served++;
    const path = req.url ?? "/";
    if (path === "/slow") return void setTimeout(() => res.end("late"), 2000);
    if (path === "/error") {
      res.writeHead(400, { "content-type": "application/json" });
      return void res.end(JSON.stringify({ error: { message: "bad model" } }));
    }
    if (path === "/ndjson") {
      res.writeHead(200, { "content-type": "application/x-ndjson" });
      res.write('{"n":1}\n{"n":');
      res.write('2}\n{torn\n{"n":3}');
      return void res.end();
    }
    if (path === "/ndjson-error") return void res.end('{"n":1}\n{"error":"model is out of memory"}\n');
    if (path === "/ndjson-cut") {
      res.write('{"n":1}\n');
      return void setTimeout(() => res.destroy(), 20);
    }
    if (path === "/sse") {
      res.writeHead(200, { "content-type": "text/event-stream" });
      return void res.end('data: {"n":1}\n\ndata: {"n":2}\n\ndata: [DONE]\n\ndata: {"n":3}\n\n');
    }
    if (path === "/sse-error") return void res.end('data: {"n":1}\n\ndata: {"error":{"message":"busy"}}\n\n');
    const next = answers.shift() ?? { status: 200 };
    res.writeHead(next.status, next.headers ?? {});
    res.end(next.status === 200 ? "ok" : "busy");
  });
  const listening = await listenLocal(server);
  base = `http://127.0.0.1:${listening.port}`;
  close = listening.close;
});
afterAll(() => close());

const collect = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const v of it) out.push(v);
  return out;
};

describe("retryingFetch", () => {
  it("waits what the Hub asks and tries again on 429 and 5xx", async () => {
    answers.push({ status: 429, headers: { "Retry-After": "0" } }, { status: 503 });
    const seen: { reason: string; delayMs: number }[] = [];
    const response = await retryingFetch(policy, { onRetry: (i) => seen.push(i) })(`${base}/api/x`);
    expect(await response.text()).toBe("ok");
    expect(seen.map((s) => s.reason)).toEqual(["HTTP 429", "HTTP 503"]);
    expect(seen[0]?.delayMs).toBe(0);
  });

  it("gives the last answer back, body and all, when retries run out; does not retry a 404", async () => {
    answers.push({ status: 500 }, { status: 500 });
    const last = await retryingFetch({ ...policy, retries: 1 })(`${base}/api/x`);
    expect(last.status).toBe(500);
    expect(await last.text()).toBe("busy");
    answers.push({ status: 404 });
    const before = served;
    expect((await retryingFetch(policy)(`${base}/api/x`)).status).toBe(404);
    expect(served - before).toBe(1);
  });

  it("reads RateLimit (r=0;t=N) before Retry-After", () => {
    const r = new Response(null, { status: 429, headers: { RateLimit: '"api";r=0;t=5', "Retry-After": "60" } });
    expect(serverDelayMs(r.headers)).toBe(6000);
    expect(serverDelayMs(new Headers({ "Retry-After": "7" }))).toBe(7000);
  });
});

describe("one meaning of failure", () => {
  it("the caller's cancel is CancelledError; the call's own timeout, or a timeout signal, is TimeoutError", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(request(`${base}/slow`, { signal: controller.signal })).rejects.toBeInstanceOf(CancelledError);
    await expect(request(`${base}/slow`, { timeoutMs: 50 })).rejects.toThrow(TimeoutError);
    await expect(request(`${base}/slow`, { timeoutMs: 50 })).rejects.toThrow(/no answer within 50 ms/);
    await expect(request(`${base}/slow`, { signal: AbortSignal.timeout(50) })).rejects.toBeInstanceOf(TimeoutError);
  });

  it("nothing answering is NoAnswerError with the system code; an error status carries the server's words", async () => {
    const closed = await listenLocal(createServer());
    await closed.close(); // a port that was just free: nothing listens there now
    const refused = await request(`http://127.0.0.1:${closed.port}/`).catch((e) => e);
    expect(refused).toBeInstanceOf(NoAnswerError);
    expect(refused.errno).toBe("ECONNREFUSED");
    const bad = await request(`${base}/error`).catch((e) => e);
    expect(bad).toBeInstanceOf(HttpStatusError);
    expect(bad).toMatchObject({ status: 400, serverMessage: "bad model" });
  });

  it("withRetries stops at the budget, not only the count", async () => {
    let tries = 0;
    const failing = () => {
      tries++;
      return Promise.reject(new Error("busy"));
    };
    await expect(
      withRetries(failing, {
        policy: { retries: 10, baseMs: 40, maxMs: 40, budgetMs: 100 },
        judge: () => ({ retry: true, reason: "busy" }),
      }),
    ).rejects.toThrow("busy");
    expect(tries).toBe(3); // two waits of 40 ms fit in 100 ms; a third would not
  });
});

describe("stream readers", () => {
  it("NDJSON across chunk boundaries, skipping a torn line", async () => {
    const url = `${base}/ndjson`;
    expect(await collect(readNdjson(await request(url), { url }))).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it("an NDJSON error line is a StreamError with the server's words; a dropped connection is a cut", async () => {
    const errorOf = (v: unknown) => (v as { error?: string }).error;
    const url = `${base}/ndjson-error`;
    const said = await collect(readNdjson(await request(url), { url, errorOf })).catch((e) => e);
    expect(said).toBeInstanceOf(StreamError);
    expect(said).toMatchObject({ serverMessage: "model is out of memory", cut: false });
    const cutUrl = `${base}/ndjson-cut`;
    const cut = await collect(readNdjson(await request(cutUrl), { url: cutUrl })).catch((e) => e);
    expect(cut).toMatchObject({ name: "StreamError", cut: true });
  });

  it("server-sent events until [DONE]; an error event ends the stream", async () => {
    const url = `${base}/sse`;
    expect(await collect(readSse(await request(url), { url }))).toEqual([{ n: 1 }, { n: 2 }]);
    const errorOf = (v: unknown) => ((v as { error?: { message: string } }).error ? "busy" : undefined);
    const bad = `${base}/sse-error`;
    await expect(collect(readSse(await request(bad), { url: bad, errorOf }))).rejects.toMatchObject({
      serverMessage: "busy",
    });
  });
});
