/**
 * The embedded runtime through the CLI and the gateway, on the real llama.cpp, with Ollama absent:
 * `run ./tiny.gguf` (with `--runtime embedded` or by itself) streams and reports its counts and
 * speed, an index id installs from a loopback Hub (checked against the index's sha256), `list`,
 * `bench`, `status` and `rm` see it, `chat`, `ps` and `stop` take a `.gguf` path, and `serve` answers
 * the OpenAI SDK from it, tool calls included (the Anthropic SDK too).
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliInProcess } from "../../test/helpers/cli-in-process.ts";
import { engineSkipReason } from "../../test/helpers/embedded-engine.ts";
import { tinyModelInTempDir } from "../../test/helpers/gguf/tiny-model.ts";
import { type HubFilesServer, startHubFilesServer } from "../../test/helpers/hub-files-server.ts";
import { type IndexServer, startIndexServer } from "../../test/helpers/index-server.ts";
import { sampleIndex, sampleModel } from "../../test/helpers/sample-index.ts";
import { Router } from "../src/agent/router.ts";
import { OllamaDriver } from "../src/runtimes/ollama/driver.ts";
import { type ApiServer, startApiServer } from "../src/server/api-server.ts";

const skip = await engineSkipReason();
const REPO = "test-org/Tiny-Instruct-GGUF";
const FILE = "Tiny-Instruct-Q8_0.gguf";
const FAST = ["--option", "num_thread=1", "--option", "num_ctx=512", "--option", "temperature=0"];

describe.skipIf(skip !== undefined)("the embedded runtime from the CLI and the gateway", () => {
  let tiny: ReturnType<typeof tinyModelInTempDir>;
  let hub: HubFilesServer;
  let index: IndexServer;
  let env: Record<string, string>;
  let models: string;

  beforeAll(async () => {
    tiny = tinyModelInTempDir();
    const bytes = readFileSync(tiny.path);
    hub = await startHubFilesServer({ repos: { [REPO]: { [FILE]: bytes } } });
    const entry = sampleModel({
      id: "test-org/Tiny-Instruct",
      name: "Tiny-Instruct",
      author: "test-org",
      params: { total: 20_000_000, source: "gguf" },
      install: [
        {
          runtime: "ollama",
          ref: `hf.co/${REPO}:Q8_0`,
          quant: "Q8_0",
          repo: REPO,
          file: FILE,
          fileBytes: bytes.length,
          sha256: createHash("sha256").update(bytes).digest("hex"),
          default: true,
        },
      ],
      fit: [],
    });
    index = await startIndexServer(JSON.stringify(sampleIndex([entry])));
    models = mkdtempSync(join(tmpdir(), "sli-embedded-models-"));
    env = {
      SMALL_LLM_INDEX_URL: index.url,
      SMALL_LLM_CACHE_DIR: mkdtempSync(join(tmpdir(), "sli-embedded-cache-")),
      SMALL_LLM_STATE_DIR: mkdtempSync(join(tmpdir(), "sli-embedded-state-")),
      SMALL_LLM_MODELS_DIR: models,
      HF_ENDPOINT: hub.url,
      // No Ollama anywhere: nothing answers here, and no binary is on PATH.
      OLLAMA_HOST: "127.0.0.1:1",
      PATH: mkdtempSync(join(tmpdir(), "sli-nopath-")),
      SMALL_LLM_DETECT: "0",
    };
  });
  afterAll(async () => {
    tiny?.remove();
    await hub?.close();
    await index?.close();
    rmSync(models, { recursive: true, force: true });
  });

  it("run --runtime embedded ./tiny.gguf streams the answer; --json reports outputTokens and tokensPerSecond", async () => {
    const streamed = await cliInProcess(
      ["run", "--runtime", "embedded", tiny.path, "hello", ...FAST, "--option", "num_predict=8"],
      { env },
    );
    expect(streamed.code, streamed.stderr).toBe(0);
    expect(streamed.stdout.length).toBeGreaterThan(1);
    expect(streamed.stderr).toMatch(/8 tokens in .* generating at [\d.]+ tokens\/s/);
    const json = await cliInProcess(["run", tiny.path, "hello", ...FAST, "--option", "num_predict=6", "--json"], {
      env,
    });
    expect(json.code, json.stderr).toBe(0);
    const result = JSON.parse(json.stdout);
    expect(result).toMatchObject({ runtime: "embedded", outputTokens: 6 });
    expect(result.tokensPerSecond).toBeGreaterThan(0);
  });

  it("says which options and what thinking it did not apply, and never that they were sent", async () => {
    const r = await cliInProcess(
      ["run", tiny.path, "hi", ...FAST, "--option", "num_predict=2", "--option", "typical_p=0.5"].concat([
        "--option",
        "mirostat=1",
        "--think",
      ]),
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      "warning: the embedded runtime did not apply typical_p, mirostat, think: they are not supported there",
    );
    expect(r.stderr).not.toContain("sent anyway");
    // A GGUF file is one quant, and it runs on the embedded runtime: flags that say otherwise are named.
    const quant = await cliInProcess(
      ["run", tiny.path, "hi", ...FAST, "--option", "num_predict=1", "--quant", "Q4_K_M"],
      {
        env,
      },
    );
    expect(quant.code, quant.stderr).toBe(0);
    expect(quant.stderr).toContain(
      `warning: quant Q4_K_M is not applied: ${tiny.path} is a GGUF file, one quant already`,
    );
    const onOllama = await cliInProcess(["run", "--runtime", "ollama", tiny.path, "hi"], { env });
    expect(onOllama.code).toBe(2);
    expect(onOllama.stderr).toContain("is a GGUF file: it runs on the embedded runtime (drop --runtime ollama)");
    const asked = await cliInProcess(
      ["ask", "--model", tiny.path, "--option", "typical_p=0.5", ...FAST, "--option", "num_predict=2", "--json", "hi"],
      { env },
    );
    expect(asked.code, asked.stderr).toBe(0);
    expect(JSON.parse(asked.stdout).notes).toContain(
      "the embedded runtime did not apply typical_p: it is not supported there",
    );
  });

  it("chat ./tiny.gguf talks on the embedded runtime; ps and stop say what this process holds", async () => {
    const chat = await cliInProcess(["chat", tiny.path, ...FAST, "--option", "num_predict=4"], {
      env,
      input: "hi\nand again\n/bye\n",
    });
    expect(chat.code, chat.stderr).toBe(0);
    expect(chat.stdout.length).toBeGreaterThan(2);
    const ps = await cliInProcess(["ps", "--runtime", "embedded"], { env });
    expect(ps.code, ps.stderr).toBe(0);
    expect(ps.stdout).toMatch(/^no models loaded: the embedded runtime loads a model inside the command/);
    const stop = await cliInProcess(["stop", tiny.path], { env });
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toContain(
      `${tiny.path} is not loaded in this process; a running \`small-llm serve\` or \`mcp\` holds its own models`,
    );
  });

  it("installs an index id's GGUF from the Hub, checked against the index; list, bench, status and rm see it", async () => {
    const install = await cliInProcess(["install", "--runtime", "embedded", "test-org/Tiny-Instruct"], { env });
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).toContain(`installed hf.co/${REPO}:Q8_0`);
    const list = await cliInProcess(["list", "--json"], { env });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject([
      { name: `hf.co/${REPO}:Q8_0`, runtime: "embedded", indexId: "test-org/Tiny-Instruct" },
    ]);
    expect(list.stderr).toContain("127.0.0.1:1"); // Ollama is named as not answering, the list still comes
    const run = await cliInProcess(
      ["run", "--runtime", "embedded", "test-org/Tiny-Instruct", "hi", ...FAST, "--option", "num_predict=4", "--json"],
      { env },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ model: `hf.co/${REPO}:Q8_0`, outputTokens: 4 });
    const bench = await cliInProcess(
      ["bench", "--runtime", "embedded", "test-org/Tiny-Instruct", "--runs", "1", "--context", "512", "--json"],
      { env },
    );
    expect(bench.code, bench.stderr).toBe(0);
    const [measured] = JSON.parse(bench.stdout);
    expect(measured).toMatchObject({ runtime: "embedded", complete: true });
    expect(measured.tokensPerSecond.median).toBeGreaterThan(0);
    const status = await cliInProcess(["status"], { env });
    expect(status.stdout).toMatch(/Embedded llama\.cpp: node-llama-cpp [\d.]+ .*1 model in /);
    const rm = await cliInProcess(["rm", "--runtime", "embedded", "test-org/Tiny-Instruct"], { env });
    expect(rm.code, rm.stderr).toBe(0);
    expect((await cliInProcess(["list", "--runtime", "embedded", "--json"], { env })).stdout.trim()).toBe("[]");
  });

  it("setup --runtime embedded: no daemon, only the model's GGUF, planned first (--dry-run --json)", async () => {
    const plan = await cliInProcess(
      ["setup", "--runtime", "embedded", "--model", "test-org/Tiny-Instruct", "--dry-run", "--json"],
      { env },
    );
    expect(plan.code, plan.stderr).toBe(0);
    expect(JSON.parse(plan.stdout)).toMatchObject({
      dryRun: true,
      model: "test-org/Tiny-Instruct",
      pull: true,
      embedded: { available: true, modelsDir: models },
    });
    const done = await cliInProcess(["setup", "--runtime", "embedded", "--model", "test-org/Tiny-Instruct"], { env });
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain("The embedded runtime is set up.");
    expect(done.stdout).toContain(`hf.co/${REPO}:Q8_0 (downloaded now)`);
    const again = await cliInProcess(
      ["setup", "--runtime", "embedded", "--model", "test-org/Tiny-Instruct", "--json"],
      {
        env,
      },
    );
    expect(JSON.parse(again.stdout)).toMatchObject({ runtime: "embedded", changed: false, model: { pulled: false } });
  });

  it("serve answers /v1/chat/completions from an embedded model, by path or by index id", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    let api: ApiServer | undefined;
    try {
      const router = new Router({ index: { urls: [index.url], cacheDir: env.SMALL_LLM_CACHE_DIR } });
      await router.embedded().install(`hf.co/${REPO}:${FILE}`);
      api = await startApiServer({ port: 0, router, runtime: new OllamaDriver(), others: false });
      const openai = new OpenAI({ baseURL: `${api.url}/v1`, apiKey: "unused", maxRetries: 0 });
      const options = { num_thread: 1, num_ctx: 512 };
      const byPath = await openai.chat.completions.create({
        model: tiny.path,
        messages: [{ role: "user", content: "hello" }],
        max_tokens: 5,
        temperature: 0,
        // @ts-expect-error Ollama options ride along, as the gateway documents
        options,
      });
      expect(byPath.usage?.completion_tokens).toBe(5);
      expect(byPath.choices[0]?.message.content?.length).toBeGreaterThan(0);
      const byId = await openai.chat.completions
        .create({
          model: "test-org/Tiny-Instruct",
          messages: [{ role: "user", content: "hello" }],
          max_tokens: 3,
          // Greedy, as above: sampled, random weights may end the answer at its first token.
          temperature: 0,
          // @ts-expect-error as above
          options,
        })
        .withResponse();
      expect(byId.response.headers.get("x-small-llm-runtime")).toBe("embedded");
      expect(byId.data.usage?.completion_tokens).toBe(3);
      const listed = await openai.models.list();
      expect(listed.data.map((m) => m.id)).toContain(`embedded/hf.co/${REPO}:Q8_0`);
      // The serving process holds the model: /api/ps lists it beside Ollama's, /api/stop frees it,
      // and /api/run takes the .gguf path as the CLI does.
      const post = (path: string, body: unknown) =>
        fetch(`${api?.url}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      const ps = await (await fetch(`${api.url}/api/ps`)).json();
      expect(ps).toContainEqual(
        expect.objectContaining({ name: `hf.co/${REPO}:Q8_0`, indexId: "test-org/Tiny-Instruct", runtime: "embedded" }),
      );
      expect(await (await post("/api/stop", { model: "test-org/Tiny-Instruct" })).json()).toEqual({
        model: `hf.co/${REPO}:Q8_0`,
        wasLoaded: true,
      });
      const ran = await post("/api/run", { model: tiny.path, prompt: "hi", options: { ...options, num_predict: 2 } });
      expect(ran.status).toBe(200);
      expect(await ran.text()).toMatch(/"type":"done".*"runtime":"embedded"/);
      await router.embedded().dispose();
    } finally {
      await api?.close();
      process.env = saved;
    }
  });

  it("serve hands the tool calls an embedded model makes to the OpenAI SDK (streamed too) and the Anthropic SDK", async () => {
    const caller = tinyModelInTempDir({ toolCaller: true });
    const saved = { ...process.env };
    Object.assign(process.env, env);
    let api: ApiServer | undefined;
    try {
      const router = new Router({ index: { urls: [index.url], cacheDir: env.SMALL_LLM_CACHE_DIR } });
      api = await startApiServer({ port: 0, router, runtime: new OllamaDriver(), others: false });
      const openai = new OpenAI({ baseURL: `${api.url}/v1`, apiKey: "unused", maxRetries: 0 });
      const weather = {
        type: "function" as const,
        function: {
          name: "get_weather",
          description: "the weather in a city",
          parameters: {
            type: "object",
            properties: { unit: { type: "string", enum: ["c", "f"] } },
            required: ["unit"],
          },
        },
      };
      const request = {
        model: caller.path,
        messages: [{ role: "user" as const, content: "weather in Paris?" }],
        tools: [weather],
        max_tokens: 40,
        temperature: 0,
        // Ollama options ride along, as the gateway documents.
        options: { num_thread: 1, num_ctx: 2048 },
      } as OpenAI.ChatCompletionCreateParamsNonStreaming;
      const answer = await openai.chat.completions.create(request);
      expect(answer.choices[0]?.finish_reason).toBe("tool_calls");
      const [call] = answer.choices[0]?.message.tool_calls ?? [];
      if (call?.type !== "function") throw new Error("no function call");
      expect(call.function.name).toBe("get_weather");
      expect(["c", "f"]).toContain(JSON.parse(call.function.arguments).unit);

      const stream = await openai.chat.completions.create({ ...request, stream: true });
      const deltas = [];
      for await (const chunk of stream) deltas.push(...(chunk.choices[0]?.delta.tool_calls ?? []));
      expect(deltas[0]?.function?.name).toBe("get_weather");

      // The result goes back with the call's id, and the model's turn goes on after it.
      const followUp = await openai.chat.completions.create({
        ...request,
        messages: [
          ...request.messages,
          { role: "assistant", content: null, tool_calls: [call] },
          { role: "tool", tool_call_id: call.id, content: "18 degrees and sunny" },
        ],
      });
      expect(followUp.usage?.prompt_tokens ?? 0).toBeGreaterThan(answer.usage?.prompt_tokens ?? 0);

      // A model whose template has no tools, asked by name: the request's mistake (400), in its own words.
      const refused = await openai.chat.completions.create({ ...request, model: tiny.path }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
      expect((refused as Error).message).toMatch(/does not support tools: its chat template has no tool calling/);
      expect((refused as Error).message).not.toMatch(/chain|attempts/);

      const anthropic = new Anthropic({ baseURL: api.url, apiKey: "unused", maxRetries: 0 });
      const message = await anthropic.messages.create({
        model: caller.path,
        max_tokens: 40,
        temperature: 0,
        messages: [{ role: "user", content: "weather in Paris?" }],
        tools: [
          { name: "get_weather", description: "the weather", input_schema: weather.function.parameters as never },
        ],
      } as Anthropic.MessageCreateParamsNonStreaming);
      expect(message.stop_reason).toBe("tool_use");
      expect(message.content.find((b) => b.type === "tool_use")).toMatchObject({ name: "get_weather" });
      await router.embedded().dispose();
    } finally {
      await api?.close();
      process.env = saved;
      caller.remove();
    }
  });
});
