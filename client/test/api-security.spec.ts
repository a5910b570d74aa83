/**
 * Who may talk to `small-llm serve`: the Host rule (DNS rebinding), cross-origin writes, and the
 * bearer token a non-loopback bind requires — through the server, and the rules' functions directly.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IndexServer, startIndexServer } from "../../test/helpers/index-server.ts";
import { rawRequest } from "../../test/helpers/raw-request.ts";
import { runCommand } from "../../test/helpers/run-command.ts";
import { sampleIndex } from "../../test/helpers/sample-index.ts";
import { ApiTokenRequiredError } from "../src/errors/index.ts";
import { OllamaDriver } from "../src/runtimes/ollama/driver.ts";
import { type ApiServer, startApiServer } from "../src/server/api-server.ts";
import { isLoopback, loopbackHosts, requiresToken } from "../src/server/security.ts";

const CLI = new URL("../dist/cli.js", import.meta.url).pathname;
let indexServer: IndexServer;
let open: ApiServer;
let guarded: ApiServer;
const TOKEN = "correct-horse-battery-staple-0123456789";

const start = (token?: string) =>
  startApiServer({
    port: 0,
    token,
    runtime: new OllamaDriver({ host: "127.0.0.1:9" }),
    others: false,
    index: { urls: [indexServer.url], cacheDir: mkdtempSync(join(tmpdir(), "sli-sec-")) },
    hardware: async () => ({
      platform: "linux",
      arch: "x64",
      cpu: { model: null, cores: 2 },
      ram: { totalBytes: 8e9, availableBytes: 4e9 },
      gpus: [],
      unifiedMemory: false,
    }),
  });

beforeAll(async () => {
  indexServer = await startIndexServer(JSON.stringify(sampleIndex()));
  open = await start();
  guarded = await start(TOKEN);
});
afterAll(async () => {
  await open?.close();
  await guarded?.close();
  await indexServer?.close();
});

const hostOf = (s: ApiServer) => new URL(s.url).host;
const installBody = JSON.stringify({ model: "Qwen/Qwen2.5-0.5B-Instruct" });

describe("the Host header (DNS rebinding)", () => {
  it("answers the bound address and localhost", async () => {
    expect((await rawRequest(`${open.url}/api/models`, { headers: { host: hostOf(open) } })).status).toBe(200);
    expect((await rawRequest(`${open.url}/api/models`, { headers: { host: `localhost:${open.port}` } })).status).toBe(
      200,
    );
  });

  it("refuses any other name, even one that resolves here, with 403 forbidden-host", async () => {
    for (const host of [`evil.example:${open.port}`, "127.0.0.1", `127.0.0.1:${open.port + 1}`, `[::1]:${open.port}`]) {
      const res = await rawRequest(`${open.url}/api/models`, { headers: { host } });
      expect(res.status, host).toBe(403);
      expect((res.json as { error: { code: string } }).error.code).toBe("forbidden-host");
    }
    const page = await rawRequest(`${open.url}/`, { headers: { host: `rebind.example:${open.port}` } });
    expect(page.status).toBe(403);
  });

  it("names exactly the loopback address bound (127.0.0.2 is not 127.0.0.1)", () => {
    expect([...loopbackHosts("127.0.0.1", 11435)].sort()).toEqual(["127.0.0.1:11435", "localhost:11435"]);
    expect([...loopbackHosts("127.0.0.2", 8000)]).toEqual(["127.0.0.2:8000"]);
    expect([...loopbackHosts("::1", 8000)].sort()).toEqual(["[::1]:8000", "localhost:8000"]);
  });
});

describe("cross-origin writes", () => {
  const write = (headers: Record<string, string>) =>
    rawRequest(`${open.url}/api/install`, {
      method: "POST",
      headers: { host: hostOf(open), "content-type": "application/json", ...headers },
      body: installBody,
    });

  it("are refused with 403 forbidden-origin, whatever the method", async () => {
    const cases: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { origin: `http://localhost:${open.port + 1}` },
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
    ];
    for (const headers of cases) {
      const res = await write(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect((res.json as { error: { code: string } }).error.code).toBe("forbidden-origin");
    }
    const del = await rawRequest(`${open.url}/api/installed/x`, {
      method: "DELETE",
      headers: { host: hostOf(open), origin: "https://evil.example" },
    });
    expect(del.status).toBe(403);
  });

  it("from the server's own origin, or from a program (no Origin), go through to the route", async () => {
    // Ollama is down here, so a request that passes the guards gets the runtime's 503.
    expect((await write({ origin: `http://${hostOf(open)}` })).status).toBe(503);
    expect((await write({})).status).toBe(503);
  });

  it("a form post from another site cannot even send JSON: 415", async () => {
    const res = await rawRequest(`${open.url}/api/install`, {
      method: "POST",
      headers: { host: hostOf(open), "content-type": "application/x-www-form-urlencoded" },
      body: "model=x",
    });
    expect(res.status).toBe(415);
  });

  it("grants no CORS: no Access-Control-Allow-Origin, and preflights are refused", async () => {
    const read = await rawRequest(`${open.url}/api/models`, {
      headers: { host: hostOf(open), origin: "https://evil.example" },
    });
    expect(read.headers["access-control-allow-origin"]).toBeUndefined();
    const preflight = await rawRequest(`${open.url}/api/install`, {
      method: "OPTIONS",
      headers: { host: hostOf(open), origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers["access-control-allow-origin"]).toBeUndefined();
  });
});

describe("the API token", () => {
  it("is required beyond loopback, and only there", () => {
    for (const host of ["0.0.0.0", "::", "192.168.1.20", "10.0.0.5", "example.com", "my-laptop.local"])
      expect(requiresToken(host), host).toBe(true);
    for (const host of ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"]) {
      expect(requiresToken(host), host).toBe(false);
      expect(isLoopback(host)).toBe(true);
    }
  });

  it("startApiServer refuses a non-loopback bind without one, before binding", async () => {
    await expect(startApiServer({ host: "0.0.0.0", port: 0, token: undefined })).rejects.toBeInstanceOf(
      ApiTokenRequiredError,
    );
  });

  it("`small-llm serve --host 0.0.0.0` without SMALL_LLM_API_TOKEN exits 2 and says what to do", async () => {
    const r = await runCommand(process.execPath, [CLI, "--offline", "serve", "--host", "0.0.0.0", "--port", "0"], {
      env: { SMALL_LLM_API_TOKEN: "", OLLAMA_HOST: "127.0.0.1:9" },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("SMALL_LLM_API_TOKEN");
  });

  it("once set, every API request must carry it as a bearer token", async () => {
    const host = hostOf(guarded);
    const none = await rawRequest(`${guarded.url}/api/models`, { headers: { host } });
    expect(none.status).toBe(401);
    expect(none.headers["www-authenticate"]).toContain("Bearer");
    expect((none.json as { error: { code: string } }).error.code).toBe("unauthorized");
    const wrong = await rawRequest(`${guarded.url}/api/models`, {
      headers: { host, authorization: `Bearer ${TOKEN.slice(0, -1)}x` },
    });
    expect(wrong.status).toBe(401);
    const right = await rawRequest(`${guarded.url}/api/models`, {
      headers: { host, authorization: `Bearer ${TOKEN}` },
    });
    expect(right.status).toBe(200);
    const write = await rawRequest(`${guarded.url}/api/install`, {
      method: "POST",
      headers: { host, "content-type": "application/json" },
      body: installBody,
    });
    expect(write.status).toBe(401);
  });

  it("the dashboard's static files, which hold no data, load without it (the page then sends it)", async () => {
    const page = await rawRequest(`${guarded.url}/`, { headers: { host: hostOf(guarded) } });
    expect(page.status).toBe(200);
  });
});
