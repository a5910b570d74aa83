/**
 * `npm run bench:runtimes`: how fast finding and using the other runtimes is, against the
 * OpenAI-compatible emulator on loopback. Prints medians of: detectRuntimes over five emulated
 * runtimes plus five closed ports; the client's own overhead per streamed chat (runtime.chat
 * minus a bare fetch that reads the same SSE stream); and the whole-process wall time of
 * `small-llm status` (warm index cache, Ollama down, default ports off, the five emulators added). Needs the
 * built package (`npm run build:client`).
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startIndexServer } from "../../test/helpers/index-server.ts";
import { runCommand } from "../../test/helpers/run-command.ts";
import { startOpenAIEmulator } from "../../test/openai-emulator/server.ts";
import { detectRuntimes } from "../src/runtimes/detect.ts";
import { OpenAICompatibleRuntime } from "../src/runtimes/openai-compatible/runtime.ts";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const flavours = ["llamacpp", "lmstudio", "vllm", "localai", "openai"] as const;
const emulators = await Promise.all(flavours.map((flavour) => startOpenAIEmulator({ flavour, tokenDelayMs: 0 })));
const closed = [9, 1, 7, 13, 19].map((p) => `http://127.0.0.1:${p}`);

const detectMs: number[] = [];
for (let i = 0; i < 30; i++) {
  const t = performance.now();
  const found = await detectRuntimes({
    defaults: false,
    ollama: false,
    hosts: [...emulators.map((e) => e.url), ...closed],
  });
  detectMs.push(performance.now() - t);
  if (found.length !== flavours.length) throw new Error(`found ${found.length} runtimes, expected ${flavours.length}`);
}

const llama = emulators[0] as (typeof emulators)[number];
const runtime = new OpenAICompatibleRuntime({ kind: "llamacpp", baseUrl: llama.url });
const body = JSON.stringify({
  model: "qwen2.5-0.5b-instruct",
  messages: [{ role: "user", content: "hello there" }],
  stream: true,
  stream_options: { include_usage: true },
});
const bare: number[] = [];
const client: number[] = [];
for (let i = 0; i < 300; i++) {
  let t = performance.now();
  const response = await fetch(`${llama.url}/v1/chat/completions`, { method: "POST", body });
  await response.text();
  bare.push(performance.now() - t);
  t = performance.now();
  await runtime.chat("qwen2.5-0.5b-instruct", [{ role: "user", content: "hello there" }]);
  client.push(performance.now() - t);
}

const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
// A warm index cache, as on a machine that has used the CLI before: the figure is about the probes.
const indexServer = await startIndexServer(readFileSync(new URL("../../data/v1/index.json", import.meta.url), "utf8"));
const env = {
  ...process.env,
  SMALL_LLM_INDEX_URL: indexServer.url,
  OLLAMA_HOST: "127.0.0.1:9",
  SMALL_LLM_CACHE_DIR: mkdtempSync(join(tmpdir(), "sli-bench-runtimes-")),
  SMALL_LLM_SCAN_DEFAULT_PORTS: "0",
  SMALL_LLM_RUNTIMES: emulators.map((e) => e.url).join(","),
  PATH: "",
};
const statusMs: number[] = [];
// Spawned asynchronously: the emulators and the index server live in this process and must answer.
await runCommand(process.execPath, [cli, "refresh"], { env });
for (let i = 0; i < 7; i++) {
  const t = performance.now();
  const run = await runCommand(process.execPath, [cli, "status"], { env });
  statusMs.push(performance.now() - t);
  if (!run.stdout.includes("Other runtimes:")) throw new Error(run.stderr || run.stdout);
}
await Promise.all([...emulators, indexServer].map((e) => e.close()));

console.log(`detectRuntimes, 5 runtimes + 5 closed ports:  ${median(detectMs).toFixed(1)} ms median (30 runs)`);
console.log(
  `streamed chat, 7 tokens:  bare fetch ${median(bare).toFixed(2)} ms, runtime.chat ${median(client).toFixed(2)} ms → client overhead ${(median(client) - median(bare)).toFixed(2)} ms median (300 runs)`,
);
console.log(`small-llm status (whole process, warm index cache):  ${median(statusMs).toFixed(0)} ms median (7 runs)`);
