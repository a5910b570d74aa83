import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { HubApiError as HfHubApiError } from "@huggingface/hub";
import { parseRateLimit, parseRetryAfter } from "small-llm/http";
import { afterEach, describe, expect, it } from "vitest";
import { createHubClient } from "./client.ts";
import { HubApiError, HubUnreachableError } from "./errors.ts";
import { nextLink } from "./list-models.ts";
import { bucketOf } from "./rate-limit.ts";

let server: Server | undefined;
afterEach(() => server?.close());

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("rate-limit headers", () => {
  it("parses the Hub's draft-09 RateLimit header and Retry-After", () => {
    expect(parseRateLimit('"api";r=0;t=55')).toEqual({ remaining: 0, resetSeconds: 55 });
    expect(parseRateLimit("garbage")).toBeUndefined();
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", Date.parse("Wed, 21 Oct 2015 07:27:58 GMT"))).toBe(2000);
    expect(bucketOf("https://huggingface.co/a/b/resolve/main/config.json")).toBe("resolvers");
    expect(bucketOf("https://huggingface.co/api/models?x=1")).toBe("api");
  });

  it("reads the absolute next link", () => {
    expect(nextLink('<https://huggingface.co/api/models?cursor=abc>; rel="next"')).toBe(
      "https://huggingface.co/api/models?cursor=abc",
    );
    expect(nextLink(null)).toBeUndefined();
  });
});

describe("createHubClient", () => {
  it("waits for the window to reset when RateLimit says the quota is spent", async () => {
    let n = 0;
    const url = await serve((_req, res) => {
      n++;
      res.writeHead(n === 1 ? 429 : 200, {
        RateLimit: n === 1 ? '"api";r=0;t=1' : '"api";r=9;t=1',
        "content-type": "application/json",
      });
      res.end("[]");
    });
    const delays: number[] = [];
    const client = createHubClient({ endpoint: url, retryBaseMs: 1, onRetry: (i) => delays.push(i.delayMs) });
    await client.getJson("/api/models");
    expect(delays).toEqual([2000]);
    expect(client.stats).toEqual({ requests: { api: 2, resolvers: 0 }, retries: 1 });
  });

  it("sends the token to the Hub only", async () => {
    const seen: (string | undefined)[] = [];
    const url = await serve((req, res) => {
      seen.push(req.headers.authorization);
      res.end("{}");
    });
    const client = createHubClient({ endpoint: url, token: "hf_secret" });
    await client.getJson("/api/models/a/b");
    await client.getJson(`${url.replace("127.0.0.1", "localhost")}/api/models/a/b`);
    expect(seen).toEqual(["Bearer hf_secret", undefined]);
  });

  it("turns a 401 GatedRepo into a HubApiError that says what to do, without retrying", async () => {
    let n = 0;
    const url = await serve((_req, res) => {
      n++;
      res.writeHead(401, { "X-Error-Code": "GatedRepo" });
      res.end('{"error":"restricted"}');
    });
    const error = await createHubClient({ endpoint: url, token: "hf_secret" })
      .getJson("/a/b/resolve/main/config.json")
      .catch((e) => e);
    expect(error).toBeInstanceOf(HubApiError);
    expect(error.reason).toBe("gated");
    expect(error.message).toContain("set HF_TOKEN");
    expect(error.message).not.toContain("hf_secret");
    expect(n).toBe(1);
  });

  it("gives up after the configured retries with the last status", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(503);
      res.end();
    });
    const client = createHubClient({ endpoint: url, retries: 2, retryBaseMs: 1 });
    const error = await client.getJson("/api/models").catch((e) => e);
    expect(error).toBeInstanceOf(HubApiError);
    expect(error.statusCode).toBe(503);
    expect(client.stats.requests.api).toBe(3);
  });

  it("ends at once with the real cause, the endpoint and how to run offline when DNS fails", async () => {
    let calls = 0;
    const failing = (async () => {
      calls++;
      const cause = Object.assign(new Error("getaddrinfo ENOTFOUND huggingface.co"), { code: "ENOTFOUND" });
      throw new TypeError("fetch failed", { cause });
    }) as typeof fetch;
    const client = createHubClient({ fetch: failing, retries: 5, retryBaseMs: 1 });
    const error = await client.getJson("/api/models?search=x").catch((e) => e);
    expect(error).toBeInstanceOf(HubUnreachableError);
    expect(error.message).toContain("getaddrinfo ENOTFOUND huggingface.co");
    expect(error.message).toContain("https://huggingface.co");
    expect(error.message).toContain("npm run hub-replay");
    expect(calls).toBe(1);
  });

  it("says the connection was refused, without retrying, when nothing listens", async () => {
    const closed = await serve(() => {});
    await new Promise((r) => server?.close(r));
    const client = createHubClient({ endpoint: closed, retries: 5, retryBaseMs: 1 });
    const error = await client.getJson("/api/models").catch((e) => e);
    expect(error).toBeInstanceOf(HubUnreachableError);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(client.stats.requests.api).toBe(1);
  });

  it("quotes the Hub's own words for a refusal, with the query that was refused", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(400, { "content-type": "application/json" });
      res.end('{"error":"\\"expand\\" must be one of [author, cardData]"}');
    });
    const client = createHubClient({ endpoint: url, retryBaseMs: 1 });
    const error = await client.getJson("/api/models?search=a&expand[]=nope").catch((e: Error) => e);
    expect(error).toBeInstanceOf(HubApiError);
    expect((error as Error).message).toBe(
      '[GET] "/api/models?search=a&…": 400 Bad Request (the Hub said: ""expand" must be one of [author, cardData]")',
    );
  });

  it("reports retries with the path and query, not the long expand list", async () => {
    let n = 0;
    const url = await serve((_req, res) => {
      res.writeHead(n++ === 0 ? 503 : 200, { "content-type": "application/json" });
      res.end("[]");
    });
    const paths: string[] = [];
    const client = createHubClient({ endpoint: url, retryBaseMs: 1, onRetry: (i) => paths.push(i.path) });
    await client.getJson("/api/models?search=a&expand[]=tags&expand[]=sha");
    expect(paths).toEqual(["/api/models?search=a&…"]);
  });

  it("tells a missing repo (401 RepoNotFound) from a gated one", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(401, { "X-Error-Code": "RepoNotFound" });
      res.end('{"error":"Invalid username or password."}');
    });
    const error = await createHubClient({ endpoint: url })
      .getJson("/a/b/resolve/main/config.json")
      .catch((e) => e);
    expect(error.reason).toBe("not-found");
    expect(error.message).toContain("does not exist");
  });

  it("offers the same policy as a fetch for @huggingface/hub, whose errors are the same type", async () => {
    let n = 0;
    const url = await serve((_req, res) => {
      n++;
      if (n === 1) {
        res.writeHead(429, { "Retry-After": "0" });
        return res.end();
      }
      res.writeHead(n === 2 ? 409 : 200, { "content-type": "application/json" });
      res.end('{"error":"exists"}');
    });
    const client = createHubClient({ endpoint: url, retryBaseMs: 1 });
    const response = await client.fetch(`${url}/api/repos/create`, { method: "POST", body: "{}" });
    expect(response.status).toBe(409);
    expect(client.stats.retries).toBe(1);
    expect(new HubApiError(url, 500, undefined, "x")).toBeInstanceOf(HfHubApiError);
  });

  it("gives one call its own retry budget and backoff, the rest keep the client's (issue 22)", async () => {
    let n = 0;
    const url = await serve((_req, res) => {
      n++;
      res.writeHead(n <= 4 ? 500 : 200, { "content-type": "application/json" });
      res.end("[]");
    });
    const delays: number[] = [];
    const client = createHubClient({
      endpoint: url,
      retries: 1,
      retryBaseMs: 1,
      onRetry: (i) => delays.push(i.delayMs),
    });
    // A list page: four failures in a row are within its budget.
    await expect(client.getJson("/api/models", { budget: { retries: 4, retryBaseMs: 8 } })).resolves.toMatchObject({
      data: [],
    });
    expect(delays).toHaveLength(4);
    // Its own backoff, doubling from 8 ms: 8, 16, 32, 64 ms, each ±25 %.
    expect(delays[3]).toBeGreaterThanOrEqual(48);
    // A per-repo read with the client's budget gives up after its second attempt.
    n = 0;
    await expect(client.getJson("/api/models/a/b")).rejects.toMatchObject({ statusCode: 500 });
    expect(n).toBe(2);
  });
});

describe("Hub items", () => {
  it("an odd field (null from a README's YAML, a number where text belongs) reads as absent, never costs the model", async () => {
    const { HubModelSchema } = await import("./types.ts");
    const parsed = HubModelSchema.parse({
      id: "lab/Model-1B",
      library_name: null,
      pipeline_tag: 7,
      tags: ["text-generation", null, "conversational"],
      cardData: { license: null, base_model: "meta-llama/Llama-3.2-1B", language: null },
    });
    expect(parsed.library_name).toBeUndefined();
    expect(parsed.pipeline_tag).toBeUndefined();
    expect(parsed.tags).toEqual(["text-generation", "conversational"]);
    expect(parsed.cardData?.base_model).toBe("meta-llama/Llama-3.2-1B");
    expect(HubModelSchema.safeParse({ id: "not a repo id" }).success).toBe(false);
  });
});
