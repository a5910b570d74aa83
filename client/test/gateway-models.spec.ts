/**
 * What `model` may name at the gateway, and the rules around it: runtime names, index ids (pulled
 * only with `--pull`), provider prefixes, `local_`, virtual models, config chains, request
 * fallbacks, a cloud model only where config.json names it (its key never in an error or the log),
 * one usage line per call without prompt text, detection consent, and the server's access rules in
 * each API's error shape.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { agentIndex, agentRegistry, CODER, LARGE, machine, SMALL } from "../../test/helpers/agent-fixtures.ts";
import { EMBED, type GatewayFixture, LM_CHAT, startGatewayFixture } from "../../test/helpers/gateway-fixture.ts";
import { rawRequest } from "../../test/helpers/raw-request.ts";
import { ggufModel, type OllamaEmulator, startOllamaEmulator } from "../../test/ollama-emulator/server.ts";
import { type OpenAIEmulator, startOpenAIEmulator } from "../../test/openai-emulator/server.ts";
import { OllamaDriver } from "../src/runtimes/ollama/driver.ts";
import { type ApiServer, startApiServer } from "../src/server/api-server.ts";

const KEY_ENV = "SLI_GATEWAY_CLOUD_KEY";
const KEY = "sk-emulator";
let cloud: OpenAIEmulator;
let gw: GatewayFixture;

/** A completion or an error, whichever came (the tests read the part they expect). */
type Answer = {
  model?: string;
  choices?: { message: { content: string | null } }[];
  error: { code: string; message: string; param?: string; type?: string };
};

async function chat(base: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer local", ...headers },
    body: JSON.stringify({ messages: [{ role: "user", content: "what is up" }], ...body }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer };
}

beforeAll(async () => {
  cloud = await startOpenAIEmulator({ flavour: "openai", models: ["gpt-test"], tokenDelayMs: 0, apiKey: KEY });
  process.env[KEY_ENV] = KEY;
  gw = await startGatewayFixture({
    // An Ollama user's model whose namespace looks like a provider prefix.
    ollama: { registry: [...agentRegistry(), ggufModel(EMBED, 1000), ggufModel("jan/helper:latest", 1000)] },
    install: [SMALL, LARGE, EMBED, "jan/helper:latest"],
    config: {
      cloud: { main: { baseUrl: `${cloud.url}/v1`, model: "gpt-test", apiKeyEnv: KEY_ENV } },
      chains: { "my-chain": [LARGE, SMALL], "with-cloud": [SMALL, "cloud:main"] },
    },
  });
});
afterAll(async () => {
  await gw?.close();
  await cloud?.close();
});
afterEach(() => {
  gw.ollama.faults.length = 0;
  cloud.faults.length = 0;
});

describe("model names", () => {
  it.each([
    [SMALL, SMALL, "ollama"],
    [`ollama/${SMALL}`, SMALL, "ollama"],
    [`ollama_chat/${LARGE}`, LARGE, "ollama"],
    [`local_${SMALL}`, SMALL, "ollama"],
    ["Qwen/Qwen2.5-0.5B-Instruct", SMALL, "ollama"],
    [`ollama/meta-llama/Llama-3.2-3B-Instruct`, LARGE, "ollama"],
    ["jan/helper", "jan/helper", "ollama"],
    [LM_CHAT, LM_CHAT, "lmstudio"],
    [`lm_studio/${LM_CHAT}`, LM_CHAT, "lmstudio"],
    [`lmstudio/${LM_CHAT}`, LM_CHAT, "lmstudio"],
    ["auto", SMALL, "ollama"],
    ["task/quick", SMALL, "ollama"],
    ["task/coding", LARGE, "ollama"],
    ["my-chain", LARGE, "ollama"],
    ["openai/gpt-test", "gpt-test", "openai"],
    ["cloud:main", "gpt-test", "openai"],
  ])("%s → %s on %s", async (model, answered, runtime) => {
    const r = await chat(gw.base, { model });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.model).toBe(answered);
    expect(r.headers.get("x-small-llm-model")).toBe(answered);
    expect(r.headers.get("x-small-llm-runtime")).toBe(runtime);
  });

  it.each([
    ["nope:1b", "unknown-model", "no runtime here has a model of that name"],
    [`ollama/${LM_CHAT}`, "unknown-model", "Ollama has"],
    ["llamacpp/model.gguf", "unknown-model", "no llamacpp server is configured or detected"],
    ["/nowhere/missing.gguf", "model-file-missing", "no GGUF file at /nowhere/missing.gguf"],
    ["vllm/Qwen/Qwen3-8B", "unknown-model", "no vllm server"],
    [`lm_studio/${SMALL}`, "unknown-model", `only ${LM_CHAT}`],
    ["openai/gpt-5", "unknown-model", 'none serves "gpt-5"'],
    ["cloud:other", "unknown-model", 'no "other" under "cloud"'],
    ["task/dance", "unknown-model", "tasks are quick, coding"],
    ["Qwen/Qwen2.5-Coder-1.5B-Instruct", "model-not-installed", "or restart the gateway with `small-llm serve --pull`"],
    ["claude-haiku-4-5", "unknown-model", "no runtime here"],
  ])("%s is a 404 %s that says why", async (model, code, why) => {
    const r = await chat(gw.base, { model });
    expect(r.status).toBe(404);
    expect(r.body.error).toMatchObject({ code, param: "model", type: "invalid_request_error" });
    expect(r.body.error.message).toContain(why);
  });

  it("a configured chain falls through; the attempts header counts the model calls", async () => {
    gw.ollama.faults.push({ path: "/api/chat", model: LARGE, times: 1, kind: "empty" });
    const r = await chat(gw.base, { model: "my-chain" });
    expect(r.body.model).toBe(SMALL);
    expect(r.headers.get("x-small-llm-attempts")).toBe("2");
  });

  it("request fallbacks follow a model, and follow a task's chain; a virtual fallback is a 400", async () => {
    gw.ollama.faults.push({ path: "/api/chat", model: SMALL, times: 1, kind: "refusal" });
    expect((await chat(gw.base, { model: SMALL, fallbacks: [{ model: LM_CHAT }] })).body.model).toBe(LM_CHAT);
    // Nothing here can see images: the vision task's chain is empty and its fallback answers.
    const png = "data:image/png;base64,iVBORw0KGgo=";
    const picture = [
      {
        role: "user",
        content: [
          { type: "text", text: "what is this?" },
          { type: "image_url", image_url: { url: png } },
        ],
      },
    ];
    const vision = await chat(gw.base, { model: "auto", fallbacks: [SMALL], messages: picture });
    expect(vision.body.model).toBe(SMALL);
    // Without a fallback, the conversation goes on without its image rather than failing (a
    // screenshot early in a Claude Code session must not break every later turn).
    const noFallback = await chat(gw.base, { model: "auto", messages: picture });
    expect(noFallback.status).toBe(200);
    const sent = gw.ollama.requests.filter((q) => q.path === "/api/chat").at(-1)?.body as {
      messages: { images?: string[] }[];
    };
    expect(sent.messages.some((m) => m.images?.length)).toBe(false);
    // Asked for by name, the vision task has no such fallback.
    const named = await chat(gw.base, { model: "task/vision", messages: picture });
    expect(named.status).toBe(404);
    expect(named.body.error.message).toContain("vision");
    const bad = await chat(gw.base, { model: SMALL, fallbacks: ["task/coding"] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("fallbacks[0]");
  });
});

describe("usage log, cloud and keys", () => {
  it("every call is one usage line without the prompt's text; a name that is no model is one too", async () => {
    const before = gw.usage().length;
    await chat(gw.base, { model: SMALL, messages: [{ role: "user", content: "SECRET-PROMPT-TEXT" }] });
    await chat(gw.base, { model: "nope:1b", messages: [{ role: "user", content: "SECRET-PROMPT-TEXT" }] });
    // Lines are written once the answer is out.
    const lines = await vi.waitFor(() => {
      const l = gw.usage().slice(before);
      expect(l).toHaveLength(2);
      return l;
    });
    expect(lines[0]).toMatchObject({ kind: "delegate", model: SMALL, success: true, side: "local" });
    expect(lines[1]).toMatchObject({ model: "nope:1b", success: false, error: "unknown-model" });
    expect(JSON.stringify(lines)).not.toContain("SECRET-PROMPT-TEXT");
  });

  it("a failed cloud call is recorded as cloud, and its key appears in no error and no log line", async () => {
    cloud.faults.push({ kind: "status", status: 500, times: 9, message: `upstream rejected key ${KEY} for this org` });
    const before = gw.usage().length;
    const r = await chat(gw.base, { model: "openai/gpt-test" });
    expect(r.status).toBe(503);
    expect(r.body.error.message).toContain("[redacted]");
    expect(r.body.error.message).not.toContain(KEY);
    const lines = await vi.waitFor(() => {
      const l = gw.usage().slice(before);
      expect(l).toEqual([expect.objectContaining({ side: "cloud", success: false, model: "gpt-test" })]);
      return l;
    });
    expect(JSON.stringify(lines)).not.toContain(KEY);
  });

  it("auto never reaches a cloud the config does not route to", async () => {
    const before = cloud.requests.length;
    gw.ollama.faults.push({ path: "/api/chat", times: 9, kind: "empty" });
    gw.lmstudio.faults.push({ kind: "empty", times: 9 });
    const r = await chat(gw.base, { model: "auto" });
    // Every local answer failed its checks: the last is returned as it is, and the cloud is never asked.
    expect(r.status).toBe(200);
    expect(r.body.choices?.[0]?.message.content).toBe("");
    expect(cloud.requests.length).toBe(before);
  });
});

describe("--pull", () => {
  it("an index id not installed is pulled when the server allows it, and nothing else is", async () => {
    const pulling = await startGatewayFixture({ pull: true });
    try {
      const r = await chat(pulling.base, { model: "Qwen/Qwen2.5-Coder-1.5B-Instruct" });
      expect(r.status).toBe(200);
      expect(r.body.model).toBe(CODER);
      expect(pulling.ollama.requests.some((q) => q.path === "/api/pull")).toBe(true);
      // Any other name is never pulled: an agent's default or a typo starts no download.
      const pulls = pulling.ollama.requests.filter((q) => q.path === "/api/pull").length;
      for (const model of ["llama3.2", "ollama/llama3.2", "gpt-4o-mini"]) {
        const other = await chat(pulling.base, { model });
        expect(other.status, model).toBe(404);
      }
      expect(pulling.ollama.requests.filter((q) => q.path === "/api/pull").length).toBe(pulls);
      // The terminal running serve hears of the pull and of each refused name.
      expect(pulling.logged).toContainEqual(
        expect.stringMatching(
          /^pulling .*Coder.* for a request for "Qwen\/Qwen2\.5-Coder-1\.5B-Instruct" \(serve --pull\)$/,
        ),
      );
      expect(pulling.logged).toContainEqual(
        expect.stringMatching(/^POST \/v1\/chat\/completions \(gpt-4o-mini\): 404 unknown-model — /),
      );
    } finally {
      await pulling.close();
    }
  });
});

describe("Ollama down", () => {
  it("says Ollama cannot be reached, not that the model is not installed or unknown", async () => {
    const fixture = await startGatewayFixture();
    try {
      await fixture.ollama.close();
      for (const model of ["Qwen/Qwen2.5-Coder-1.5B-Instruct", "llama3.2", "ollama/llama3.2"]) {
        const r = await chat(fixture.base, { model });
        // No Ollama binary on this PATH either: it is "not installed" rather than "not running".
        expect(r.status, model).toBe(503);
        expect(["ollama-server-down", "ollama-not-installed"], model).toContain(r.body.error.code);
        expect(r.body.error.message).not.toMatch(/small-llm install Qwen|no runtime here has a model/);
      }
    } finally {
      await fixture.close().catch(() => {});
    }
  });
});

describe("consent: prompts only to runtimes the user has", () => {
  let ollama: OllamaEmulator;
  let lm: OpenAIEmulator;
  let api: ApiServer | undefined;
  let saved: NodeJS.ProcessEnv;
  beforeAll(async () => {
    saved = { ...process.env };
    ollama = await startOllamaEmulator({ registry: agentRegistry(), lineDelayMs: 0 });
    await new OllamaDriver({ host: ollama.url }).install(SMALL);
    lm = await startOpenAIEmulator({ flavour: "lmstudio", models: [LM_CHAT], tokenDelayMs: 0 });
  });
  afterEach(async () => {
    await api?.close();
    api = undefined;
    process.env = { ...saved };
  });
  afterAll(async () => {
    await ollama.close();
    await lm.close();
  });
  const serve = () =>
    startApiServer({
      port: 0,
      hardware: async () => machine,
      delegate: { index: agentIndex(), hardware: machine, config: { runtimes: { ollama: ollama.url } } },
    });

  it("a server found by detection is used once fingerprinted; SMALL_LLM_DETECT=0 keeps prompts away from it", async () => {
    process.env.SMALL_LLM_RUNTIMES = lm.url;
    process.env.SMALL_LLM_SCAN_DEFAULT_PORTS = "0";
    process.env.SMALL_LLM_DETECT = "0";
    api = await serve();
    const off = await chat(`${api.url}/v1`, { model: `lmstudio/${LM_CHAT}` });
    expect(off.status).toBe(404);
    expect(lm.requests.filter((q) => q.path === "/v1/chat/completions")).toHaveLength(0);
    await api.close();
    process.env.SMALL_LLM_DETECT = "1";
    api = await serve();
    const on = await chat(`${api.url}/v1`, { model: `lmstudio/${LM_CHAT}` });
    expect(on.status).toBe(200);
    expect(on.body.model).toBe(LM_CHAT);
  });
});

describe("the server's rules, in each API's shape", () => {
  it("takes a trailing slash, a doubled /v1 (a base URL ending in /v1, plus the client's own) and HEAD", async () => {
    const trailing = await fetch(`${gw.base}/chat/completions/`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: SMALL, messages: [{ role: "user", content: "x" }] }),
    });
    expect(trailing.status).toBe(200);
    const doubled = await fetch(`${gw.base}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ model: SMALL, max_tokens: 32, messages: [{ role: "user", content: "x" }] }),
    });
    expect(doubled.status).toBe(200);
    expect(await doubled.json()).toMatchObject({ type: "message" });
    // An error there is in the Anthropic shape too.
    const bad = await fetch(`${gw.base}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(await bad.json()).toMatchObject({ type: "error" });
    const head = await fetch(`${gw.base}/models`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
  });

  it("refuses another origin's writes, a rebinding Host, wrong methods, unknown routes and non-JSON bodies", async () => {
    const port = new URL(gw.api.url).port;
    const body = JSON.stringify({ model: SMALL, messages: [{ role: "user", content: "x" }] });
    const cross = await rawRequest(`${gw.base}/chat/completions`, {
      method: "POST",
      headers: { host: `127.0.0.1:${port}`, origin: "https://evil.example", "content-type": "application/json" },
      body,
    });
    expect(cross.status).toBe(403);
    expect(cross.json).toMatchObject({ error: { code: "forbidden-origin", type: "permission_error" } });
    const rebound = await rawRequest(`${gw.api.url}/v1/messages`, {
      method: "POST",
      headers: { host: `evil.example:${port}`, "content-type": "application/json" },
      body,
    });
    expect(rebound.status).toBe(403);
    expect(rebound.json).toMatchObject({ type: "error", error: { type: "permission_error" } });
    const get = await fetch(`${gw.base}/chat/completions`);
    expect(get.status).toBe(405);
    expect(await get.json()).toMatchObject({ error: { code: "method-not-allowed" } });
    const legacy = await fetch(`${gw.base}/completions`, { method: "POST" });
    expect(legacy.status).toBe(404);
    expect(await legacy.json()).toMatchObject({ error: { code: "not-found", type: "invalid_request_error" } });
    const text = await fetch(`${gw.base}/chat/completions`, { method: "POST", body: "hi" });
    expect(text.status).toBe(415);
  });

  it("validates bodies and says which field is wrong; markup in a model name is not echoed raw", async () => {
    const missing = await chat(gw.base, { model: SMALL, messages: [] });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain("messages");
    const role = await chat(gw.base, { model: SMALL, messages: [{ role: "wizard", content: "x" }] });
    expect(role.status).toBe(400);
    const url = await chat(gw.base, {
      model: SMALL,
      messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "https://x.test/a.png" } }] }],
    });
    expect(url.body.error.message).toContain("data URLs");
    const res = await fetch(`${gw.base}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "<script>alert(1)</script>", messages: [{ role: "user", content: "x" }] }),
    });
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const text = await res.text();
    expect(text).not.toContain("<script>");
    expect(JSON.parse(text).error.message).toContain('"<script>alert(1)</script>"');
  });
});
