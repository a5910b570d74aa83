/**
 * The emulators as the README has people start them by hand: `npm run ollama-emulator` and
 * `npm run openai-emulator` with answer faults on their command lines, and `npm run
 * releases-emulator` serving the Ollama download that `small-llm setup` installs and starts.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cliInProcess } from "./helpers/cli-in-process.ts";
import { FIXTURE_INDEX_DIR } from "./helpers/fixture-index.ts";
import { createMachine, type Machine } from "./ollama-releases/machine.ts";

const started: ChildProcess[] = [];
const machines: Machine[] = [];
afterAll(async () => {
  for (const child of started) {
    try {
      if (child.pid) process.kill(-child.pid, "SIGTERM"); // npm, tsx and node: the whole group
    } catch {
      // already gone
    }
  }
  for (const m of machines) await m.cleanup();
});

/** `npm run <script> -- args`, resolved with the first line it prints on stdout. */
function start(script: string, args: string[]): Promise<{ line: string; stderr: () => string }> {
  const child = spawn("npm", ["run", "--silent", script, "--", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  started.push(child);
  let out = "";
  let err = "";
  child.stderr.on("data", (d) => {
    err += d;
  });
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolve({ line: out.split("\n")[0] as string, stderr: () => err });
    });
    child.on("exit", (code) => reject(new Error(`${script} exited ${code}: ${err}`)));
  });
}

const QWEN_ID = "Qwen/Qwen2.5-0.5B-Instruct";
const INDEX = `${FIXTURE_INDEX_DIR}/v1/index.json`;

describe("npm run ollama-emulator -- --fault", () => {
  it("injects answer faults on the next N answers: ask retries past busy and a cut stream", async () => {
    const { line: host } = await start("ollama-emulator", [
      "--index",
      INDEX,
      "--fault",
      "busy:1",
      "--fault",
      "answer-cut:1",
    ]);
    expect(host).toMatch(/^127\.0\.0\.1:\d+$/);
    const env = {
      OLLAMA_HOST: host,
      SMALL_LLM_INDEX_URL: FIXTURE_INDEX_DIR,
      SMALL_LLM_DETECT: "0",
      SMALL_LLM_CACHE_DIR: mkdtempSync(join(tmpdir(), "sli-emu-")),
      SMALL_LLM_STATE_DIR: mkdtempSync(join(tmpdir(), "sli-emu-")),
      SMALL_LLM_CONFIG_DIR: mkdtempSync(join(tmpdir(), "sli-emu-")),
      PATH: mkdtempSync(join(tmpdir(), "sli-nopath-")),
    };
    expect((await cliInProcess(["install", QWEN_ID], { env })).code).toBe(0);
    const r = await cliInProcess(["ask", "--model", QWEN_ID, "--json", "hi"], { env });
    expect(r.code, r.stderr).toBe(0);
    const response = JSON.parse(r.stdout);
    expect(response.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(["busy", "connection-dropped", "ok"]);
    expect(response.text).toContain("You said: hi");
    // Used up: the next answer is plain.
    expect((await cliInProcess(["run", QWEN_ID, "again"], { env })).stdout).toContain("You said: again");
  });

  it("names the faults it takes when given one it does not", async () => {
    const child = spawn("npm", ["run", "--silent", "ollama-emulator", "--", "--fault", "boom"], { stdio: "pipe" });
    let err = "";
    child.stderr.on("data", (d) => {
      err += d;
    });
    expect(await new Promise((r) => child.on("close", r))).toBe(2);
    expect(err).toContain("--fault takes slow, cut, disk-full, error-line, 500, busy, empty, refusal");
  });
});

describe("npm run openai-emulator -- --fault", () => {
  it("answers the next N chats with the fault, then normally", async () => {
    const { line: url } = await start("openai-emulator", ["--flavour", "llamacpp", "--fault", "refusal:1"]);
    const chat = () =>
      fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "qwen2.5-0.5b-instruct", messages: [{ role: "user", content: "hi" }] }),
      }).then((r) => r.json() as Promise<{ choices: { message: { content: string } }[] }>);
    expect((await chat()).choices[0]?.message.content).toBe("I'm sorry, but I can't help with that.");
    expect((await chat()).choices[0]?.message.content).toContain("You said: hi");
  });
});

describe("npm run releases-emulator", () => {
  it("serves the Ollama download that `small-llm setup` installs, starts and pulls a model with", async () => {
    const { line: apiBase } = await start("releases-emulator", ["--index", INDEX, "--version", "v0.33.0"]);
    expect(apiBase).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/repos\/ollama\/ollama\/releases$/);
    const latest = (await (await fetch(`${apiBase}/latest`)).json()) as {
      tag_name: string;
      assets: { name: string }[];
    };
    expect(latest.tag_name).toBe("v0.33.0");
    const machine = await createMachine({ SMALL_LLM_OLLAMA_RELEASES: apiBase, SMALL_LLM_INDEX_URL: FIXTURE_INDEX_DIR });
    machines.push(machine);
    // No SLI_STANDIN_REGISTRY here: the archive carries the index's refs itself, as it does for a person.
    const r = await machine.cli(["setup", "--model", QWEN_ID]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Ollama is set up.");
    expect(r.stdout).toMatch(/runtime\s+ollama 0\.33\.0 \(installed now\)/);
    expect(r.stdout).toMatch(/model\s+hf\.co\/.*Qwen2\.5-0\.5B-Instruct.*\(pulled now\)/);
  });
});
