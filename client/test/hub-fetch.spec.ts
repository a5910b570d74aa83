/** The publish path's retrying fetch against a real local server: 429 with Retry-After, 503, then success. */
import { createServer } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listenLocal } from "../../test/helpers/listen.ts";
import { retryAfterMs, retryingFetch } from "../src/publish/hub-fetch.ts";

let url: string;
let close: () => Promise<void>;
const answers: { status: number; headers?: Record<string, string> }[] = [];
let served = 0;

beforeAll(async () => {
  const server = createServer((_req, res) => {
    served++;
    const next = answers.shift() ?? { status: 200 };
    res.writeHead(next.status, next.headers ?? {});
    res.end(next.status === 200 ? "ok" : "busy");
  });
  const listening = await listenLocal(server);
  url = `http://127.0.0.1:${listening.port}/api/x`;
  close = listening.close;
});
afterAll(() => close());

describe("retryingFetch", () => {
  it("waits what the Hub asks and tries again on 429 and 5xx", async () => {
    answers.push({ status: 429, headers: { "Retry-After": "0" } }, { status: 503 });
    const seen: { reason: string; delayMs: number }[] = [];
    const response = await retryingFetch({ baseMs: 1, onRetry: (i) => seen.push(i) })(url);
    expect(await response.text()).toBe("ok");
    expect(seen.map((s) => s.reason)).toEqual(["HTTP 429", "HTTP 503"]);
    expect(seen[0]?.delayMs).toBe(0);
  });

  it("gives the last answer back when retries run out, and does not retry a 404", async () => {
    answers.push({ status: 500 }, { status: 500 });
    expect((await retryingFetch({ retries: 1, baseMs: 1 })(url)).status).toBe(500);
    answers.push({ status: 404 });
    const before = served;
    expect((await retryingFetch({ baseMs: 1 })(url)).status).toBe(404);
    expect(served - before).toBe(1);
  });

  it("reads RateLimit (r=0;t=N) before Retry-After", () => {
    const r = new Response(null, { status: 429, headers: { RateLimit: '"api";r=0;t=5', "Retry-After": "60" } });
    expect(retryAfterMs(r)).toBe(6000);
    expect(retryAfterMs(new Response(null, { headers: { "Retry-After": "7" } }))).toBe(7000);
  });
});
