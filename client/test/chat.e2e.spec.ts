/**
 * `small-llm chat`: a conversation against the Ollama emulator. From a pipe (in process): each line
 * a turn with the history sent along, the slash commands, the default model, Ctrl-C stopping one
 * answer but not the conversation. On a real terminal (script(1) gives the built CLI a
 * pseudo-terminal): the prompt, Ctrl-C during an answer and at the prompt, /bye.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliInProcess } from "../../test/helpers/cli-in-process.ts";
import { type IndexServer, startIndexServer } from "../../test/helpers/index-server.ts";
import { sampleIndex } from "../../test/helpers/sample-index.ts";
import { ggufModel, type OllamaEmulator, startOllamaEmulator } from "../../test/ollama-emulator/server.ts";

const CLI = new URL("../dist/cli.js", import.meta.url).pathname;
/** util-linux script(1): runs a command on a pseudo-terminal (Debian and the CI image both have it). */
const SCRIPT = ["/usr/bin/script", "/bin/script"].find((p) => existsSync(p));
const QWEN = "hf.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M";
const QWEN_ID = "Qwen/Qwen2.5-0.5B-Instruct";
const LLAMA = "hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M";
const fresh = () => mkdtempSync(join(tmpdir(), "sli-chat-"));
const emptyPath = fresh();
let emulator: OllamaEmulator;
let slow: OllamaEmulator;
let indexServer: IndexServer;

const THINKER = "qwen3:0.6b";
const registry = () => [
  ggufModel(QWEN, 300_000_000),
  ggufModel(LLAMA, 2_000_000_000),
  ggufModel(THINKER, 200_000_000, { thinking: true }),
];
beforeAll(async () => {
  emulator = await startOllamaEmulator({ registry: registry(), chunkBytes: 1e9, lineDelayMs: 0 });
  // Every token takes 150 ms: time to press Ctrl-C in the middle of an answer.
  slow = await startOllamaEmulator({ registry: registry(), chunkBytes: 1e9, lineDelayMs: 150 });
  indexServer = await startIndexServer(JSON.stringify(sampleIndex()));
  for (const host of [emulator, slow])
    for (const ref of [QWEN, LLAMA, THINKER])
      await fetch(`${host.url}/api/pull`, { method: "POST", body: JSON.stringify({ model: ref }) }).then((r) =>
        r.text(),
      );
});
afterAll(async () => {
  await Promise.all([emulator.close(), slow.close(), indexServer.close()]);
});

const env = (host: OllamaEmulator, extra: Record<string, string> = {}) => ({
  SMALL_LLM_INDEX_URL: indexServer.url,
  SMALL_LLM_CACHE_DIR: fresh(),
  SMALL_LLM_STATE_DIR: fresh(),
  SMALL_LLM_CONFIG_DIR: fresh(),
  OLLAMA_HOST: host.hostPort,
  PATH: emptyPath,
  ...extra,
});

const chats = (host: OllamaEmulator) =>
  host.requests
    .filter((r) => r.path === "/api/chat")
    .map((r) => r.body as { model: string; messages: { role: string; content: string }[]; options?: object });

describe("chat from a pipe: each line is a turn", () => {
  it("keeps the history, streams each answer to stdout, and obeys the slash commands", async () => {
    const dir = fresh();
    const before = chats(emulator).length;
    const input = [
      "hello",
      "/set temperature 0.2",
      "/set tempurature 0.3",
      "/set system You answer briefly.",
      "and now?",
      "/clear",
      "fresh start",
      `/model ${LLAMA}`,
      "who are you",
      `/save ${join(dir, "chat.json")}`,
      "/bye",
      "never sent",
    ].join("\n");
    const r = await cliInProcess(["chat", QWEN_ID], { env: env(emulator), input: `${input}\n` });
    expect(r.code, r.stderr).toBe(0);
    const sent = chats(emulator).slice(before);
    expect(sent.map((c) => c.messages.filter((m) => m.role !== "system").map((m) => m.content))).toEqual([
      ["hello"],
      ["hello", `Hello from ${QWEN}. You said: hello`, "and now?"],
      ["fresh start"],
      ["fresh start", expect.stringContaining("fresh start"), "who are you"],
    ]);
    expect(sent.map((c) => c.model)).toEqual([QWEN, QWEN, QWEN, LLAMA]);
    expect(sent[1]?.options).toEqual({ temperature: 0.2 });
    expect(sent[1]?.messages[0]).toEqual({ role: "system", content: "You answer briefly." });
    // The emulator echoes every message it was sent (the system prompt first): the history shows.
    expect(r.stdout.trim().split("\n")).toEqual([
      `Hello from ${QWEN}. You said: hello`,
      `Hello from ${QWEN}. You said: You answer briefly. hello Hello from ${QWEN}. You said: hello and now?`,
      `Hello from ${QWEN}. You said: You answer briefly. fresh start`,
      expect.stringMatching(new RegExp(`^Hello from ${LLAMA.replace(/[.]/g, "\\.")}\\. .*who are you$`)),
    ]);
    expect(r.stderr).toContain('unknown Ollama option "tempurature" — did you mean "temperature"?');
    expect(r.stderr).toContain("the conversation is cleared");
    const saved = JSON.parse(readFileSync(join(dir, "chat.json"), "utf8"));
    expect(saved).toMatchObject({ model: LLAMA, system: "You answer briefly.", options: { temperature: 0.2 } });
    expect(saved.messages.map((m: { role: string }) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
  });

  it("/set think and /set nothink switch a thinking model's thinking for the next turns", async () => {
    const before = chats(emulator).length;
    const input = ["/set think high", "one", "/set nothink", "two", "/set think maybe", "/show"].join("\n");
    const r = await cliInProcess(["chat", THINKER], { env: env(emulator), input: `${input}\n` });
    expect(r.code, r.stderr).toBe(0);
    const sent = chats(emulator).slice(before) as { think?: unknown }[];
    expect(sent.map((c) => c.think)).toEqual(["high", false]);
    expect(r.stderr).toContain("thinking on (high)");
    expect(r.stderr).toContain("Thinking about: one");
    expect(r.stderr).toContain("thinking off");
    expect(r.stderr).toContain('/set think takes low, medium, high or false (or nothing: on), not "maybe"');
    expect(r.stderr).toContain("think:   false");
  });

  it("with no model named, talks to the best chat model installed here, and says which", async () => {
    const before = chats(emulator).length;
    const r = await cliInProcess(["chat"], { env: env(emulator), input: "hi\n" });
    expect(r.code, r.stderr).toBe(0);
    // The 3B model is the largest chat model that fits this machine; the 0.5B one is installed too.
    expect(r.stderr).toContain(`talking to ${LLAMA}, the best chat model installed here`);
    expect(
      chats(emulator)
        .slice(before)
        .map((c) => c.model),
    ).toEqual([LLAMA]);
  });

  it("with nothing installed, says what to install (exit 4) rather than downloading on its own", async () => {
    const empty = await startOllamaEmulator({ registry: registry(), lineDelayMs: 0 });
    try {
      const r = await cliInProcess(["chat"], { env: env(empty), input: "hi\n" });
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/no chat model is installed\. Install one first: small-llm install \S+/);
      expect(empty.requests.some((q) => q.path === "/api/pull")).toBe(false);
    } finally {
      await empty.close();
    }
  });

  it("Ctrl-C stops the answer being written, not the conversation; the stopped turn is left out", async () => {
    const before = chats(slow).length;
    const r = await cliInProcess(["chat", QWEN], {
      env: env(slow),
      input: "tell me a long story\nand a short one\n",
      interruptWhen: /Hello from/,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("[answer stopped; this turn is left out of the conversation]");
    const sent = chats(slow).slice(before);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.messages.map((m) => m.content)).toEqual(["and a short one"]);
    expect(r.stdout).toContain("You said: and a short one");
  });

  it("a turn that fails ends a piped conversation with that failure's exit code", async () => {
    const r = await cliInProcess(["chat", "nope-model", "--no-pull"], { env: env(emulator), input: "hi\nagain\n" });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("nope-model is not installed. Install it with: small-llm install nope-model");
    expect(r.stderr.match(/is not installed/g)).toHaveLength(1);
  });
});

describe.skipIf(!SCRIPT)("chat on a terminal", () => {
  it("prompts, stops an answer on Ctrl-C, hints at the prompt, and leaves on /bye", async () => {
    // exec: dash (the /bin/sh script(1) falls back to) would otherwise stay as the parent, take the
    // Ctrl-C too and end itself with it (exit 130) once the chat is over.
    const command = `exec ${process.execPath} ${CLI} chat ${QWEN}`;
    const child = spawn(SCRIPT as string, ["-qfec", command, "/dev/null"], {
      env: { ...process.env, ...env(slow), TERM: "dumb" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      out += d;
    });
    /** Wait for the pattern after `from`; resolves to where its match ends. */
    const until = async (pattern: RegExp, from = 0) => {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const m = pattern.exec(out.slice(from));
        if (m) return from + m.index + m[0].length;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; got:\n${out}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    try {
      let at = await until(/>>> /);
      child.stdin.write("tell me a story\r");
      at = await until(/Hello from/, at);
      child.stdin.write("\x03"); // Ctrl-C while the answer streams
      at = await until(/\[answer stopped/, at);
      at = await until(/>>> /, at);
      child.stdin.write("\x03"); // Ctrl-C at the prompt
      at = await until(/Ctrl-D or \/bye to leave/, at);
      child.stdin.write("/bye\r");
      const code = await new Promise((resolve) => child.on("close", resolve));
      expect(code, out).toBe(0);
      expect(out).not.toMatch(/You said: tell me a story\s*$/m); // the answer was cut, not finished
    } finally {
      child.kill("SIGKILL");
    }
  });
});
