/**
 * `npm run bench:gateway`: what the gateway costs over calling the runtime directly, with
 * `small-llm serve` as its own process (the built CLI, config.json naming the emulated runtimes,
 * metrics on, the bundled index) and the emulators answering with no token delay:
 * 1. added latency of a non-streamed chat: median of (through the gateway − the runtime's own
 *    non-streamed call), for Ollama (native /api/chat) and an OpenAI-compatible runtime (llama.cpp);
 * 2. added time to the first streamed token, measured the same way;
 * 3. the serving process's RSS across 1,000 requests after warm-up, sampled after a full GC (a hook
 *    this bench loads into the server, `SIGUSR2` → gc()): V8 grows its heap lazily under a high
 *    allocation rate, so raw RSS climbs for a few thousand requests whether or not anything leaks;
 *    after a full GC it shows what is kept. The raw figures are printed too;
 * 4. 32 concurrent streaming clients for 30 s, half on Ollama, half on an OpenAI-compatible runtime
 *    with a 2 ms token delay, every answer checked token for token.
 * Targets: ≤ 2 ms median for 1 and 2, ≤ 10 MiB growth for 3, no error and no lost token for 4.
 * Needs the built package (`npm run build:client`). GATEWAY_BENCH_SECONDS shortens step 4.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ggufModel, startOllamaEmulator } from "../../test/ollama-emulator/server.ts";
import { startOpenAIEmulator } from "../../test/openai-emulator/server.ts";

const MODEL = "qwen3:0.6b";
const LLAMA = "qwen2.5-0.5b-instruct";
const SECONDS = Number(process.env.GATEWAY_BENCH_SECONDS ?? 30);
const CLIENTS = 32;
const N = 300;
const WARM_UP = 50;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? Number.NaN;
const ms = (x: number) => `${x.toFixed(2)} ms`;

const ollama = await startOllamaEmulator({ registry: [ggufModel(MODEL, 1_000_000)], lineDelayMs: 0 });
await fetch(`${ollama.url}/api/pull`, { method: "POST", body: JSON.stringify({ model: MODEL }) }).then((r) => r.text());
const llama = await startOpenAIEmulator({ flavour: "llamacpp", models: [LLAMA], tokenDelayMs: 0 });
const streaming = await startOpenAIEmulator({ flavour: "llamacpp", models: [LLAMA], tokenDelayMs: 2 });
// The emulators keep every request for tests to read; a bench of thousands must not.
setInterval(() => {
  for (const e of [ollama, llama, streaming]) e.requests.length = 0;
}, 1000).unref();

const config = mkdtempSync(join(tmpdir(), "sli-bench-gw-config-"));
writeFileSync(
  join(config, "config.json"),
  JSON.stringify({ runtimes: { ollama: ollama.url, llamacpp: llama.url, slow: streaming.url } }),
);
const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const gcHook = "data:text/javascript,process.on('SIGUSR2',()=>{globalThis.gc();globalThis.gc()})";
const child = spawn(
  process.execPath,
  ["--expose-gc", "--import", gcHook, cli, "--offline", "--json", "serve", "--port", "0"],
  {
    env: {
      ...process.env,
      SMALL_LLM_CONFIG_DIR: config,
      SMALL_LLM_STATE_DIR: mkdtempSync(join(tmpdir(), "sli-bench-gw-state-")),
      SMALL_LLM_CACHE_DIR: mkdtempSync(join(tmpdir(), "sli-bench-gw-cache-")),
      SMALL_LLM_DETECT: "0",
      OLLAMA_HOST: ollama.hostPort,
    },
    stdio: ["ignore", "pipe", "inherit"],
  },
);
const gateway: string = await new Promise((resolve, reject) => {
  let out = "";
  child.stdout.on("data", (d) => {
    out += d;
    const line = out.split("\n").find((l) => l.startsWith("{"));
    if (line) resolve(`${JSON.parse(line).url}/v1`);
  });
  child.once("exit", (code) => reject(new Error(`small-llm serve exited ${code}`)));
});
const rssMiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1]) / 1024;
/** RSS after a full GC in the server: what it keeps, not the garbage it has yet to collect. */
async function settledRss(): Promise<number> {
  child.kill("SIGUSR2");
  await new Promise((r) => setTimeout(r, 300));
  return rssMiB();
}

const messages = (text: string) => [{ role: "user", content: text }];
const post = (url: string, body: unknown) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

async function whole(url: string, body: unknown): Promise<number> {
  const t = performance.now();
  const response = await post(url, body);
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  await response.json();
  return performance.now() - t;
}

/** Request sent → the first body chunk that carries a token; the rest of the body is read too. */
async function first(url: string, body: unknown): Promise<number> {
  const t = performance.now();
  const response = await post(url, body);
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let seen = "";
  let at = Number.NaN;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    if (Number.isNaN(at)) {
      seen += decoder.decode(value, { stream: true });
      if (seen.includes('"content":"Hello')) at = performance.now() - t;
    }
  }
  if (Number.isNaN(at)) throw new Error(`${url}: no token in ${seen.slice(0, 200)}`);
  return at;
}

/** The runtime directly, then through the gateway, alternating: load on the shared machine hits both alike. */
async function compare(direct: (i: number) => Promise<number>, through: (i: number) => Promise<number>) {
  const a: number[] = [];
  const b: number[] = [];
  const diff: number[] = [];
  for (let i = 0; i < N + WARM_UP; i++) {
    const x = await direct(i);
    const y = await through(i);
    if (i < WARM_UP) continue; // JIT, the first model lists, the index
    a.push(x);
    b.push(y);
    diff.push(y - x);
  }
  return { direct: median(a), gateway: median(b), added: median(diff), addedP95: p95(diff) };
}

const chat = `${gateway}/chat/completions`;
const results = [
  [
    "Ollama, non-streamed",
    await compare(
      (i) => whole(`${ollama.url}/api/chat`, { model: MODEL, messages: messages(`hello ${i}`), stream: false }),
      (i) => whole(chat, { model: MODEL, messages: messages(`hello ${i}`) }),
    ),
  ],
  [
    "llama.cpp, non-streamed",
    await compare(
      (i) => whole(`${llama.url}/v1/chat/completions`, { model: LLAMA, messages: messages(`hello ${i}`) }),
      (i) => whole(chat, { model: `llamacpp/${LLAMA}`, messages: messages(`hello ${i}`) }),
    ),
  ],
  [
    "Ollama, first streamed token",
    await compare(
      (i) => first(`${ollama.url}/api/chat`, { model: MODEL, messages: messages(`hi ${i}`) }),
      (i) => first(chat, { model: MODEL, messages: messages(`hi ${i}`), stream: true }),
    ),
  ],
  [
    "llama.cpp, first streamed token",
    await compare(
      (i) => first(`${llama.url}/v1/chat/completions`, { model: LLAMA, messages: messages(`hi ${i}`), stream: true }),
      (i) => first(chat, { model: `llamacpp/${LLAMA}`, messages: messages(`hi ${i}`), stream: true }),
    ),
  ],
] as const;

// 3. Memory: 1,000 more requests to let the heap grow to its working size, then 1,000 measured;
// streamed and not, on both runtimes.
const mixed = async (n: number) => {
  for (let i = 0; i < n; i++) {
    const model = i % 2 ? MODEL : `llamacpp/${LLAMA}`;
    if (i % 4 < 2) await whole(chat, { model, messages: messages(`memory ${i}`) });
    else await first(chat, { model, messages: messages(`memory ${i}`), stream: true });
  }
};
await mixed(1000);
const rawBefore = rssMiB();
const rssBefore = await settledRss();
await mixed(1000);
const rawAfter = rssMiB();
const rssAfter = await settledRss();

// 4. Concurrent streams. The emulators answer "Hello from <model>. You said: <prompt>", one token a word.
const words = (i: number) => Array.from({ length: 40 }, (_, k) => `w${i}-${k}`).join(" ");
let answers = 0;
let tokens = 0;
let lost = 0;
const errors: string[] = [];
async function streamOnce(client: number, i: number): Promise<void> {
  const prompt = words(client * 100_000 + i);
  const model = client % 2 ? MODEL : `slow/${LLAMA}`;
  const expected = `Hello from ${client % 2 ? MODEL : LLAMA}. You said: ${prompt}`.split(/(?<= )/);
  const response = await post(chat, { model, messages: messages(prompt), stream: true });
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
  const got: string[] = [];
  let done = false;
  for (const event of (await response.text()).split("\n\n")) {
    if (!event.startsWith("data: ")) continue;
    const data = event.slice(6);
    if (data === "[DONE]") {
      done = true;
      continue;
    }
    const chunk = JSON.parse(data);
    if (chunk.error) throw new Error(chunk.error.message);
    const piece = chunk.choices?.[0]?.delta?.content;
    if (typeof piece === "string" && piece) got.push(piece);
  }
  answers++;
  tokens += got.length;
  if (!done || got.join("") !== expected.join("") || got.length !== expected.length)
    lost += Math.max(1, Math.abs(expected.length - got.length));
}
const until = performance.now() + SECONDS * 1000;
const peak = { rss: rssAfter };
const sampler = setInterval(() => {
  peak.rss = Math.max(peak.rss, rssMiB());
}, 250);
await Promise.all(
  Array.from({ length: CLIENTS }, async (_, client) => {
    for (let i = 0; performance.now() < until; i++)
      await streamOnce(client, i).catch((e: Error) => {
        errors.push(e.message);
      });
  }),
);
clearInterval(sampler);

console.log(
  `gateway bench — ${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")} at the end; ${N} calls each after ${WARM_UP} warm-up, emulators with no token delay`,
);
for (const [what, r] of results)
  console.log(
    `  ${what.padEnd(32)} direct ${ms(r.direct)}, gateway ${ms(r.gateway)}: added median ${ms(r.added)}, p95 ${ms(r.addedP95)} (target ≤ 2 ms median) ${r.added <= 2 ? "ok" : "OVER"}`,
  );
const growth = rssAfter - rssBefore;
const sign = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(1)}`;
console.log(
  `  RSS of small-llm serve across 1,000 requests (after a full GC): ${rssBefore.toFixed(1)} → ${rssAfter.toFixed(1)} MiB (${sign(growth)} MiB; target ≤ 10) ${growth <= 10 ? "ok" : "OVER"}; raw, before GC: ${rawBefore.toFixed(1)} → ${rawAfter.toFixed(1)} MiB (${sign(rawAfter - rawBefore)})`,
);
console.log(
  `  ${CLIENTS} concurrent streaming clients for ${SECONDS} s: ${answers} answers, ${tokens} tokens, ${errors.length} errors, ${lost} lost tokens; peak RSS ${peak.rss.toFixed(1)} MiB ${errors.length || lost ? "FAILED" : "ok"}`,
);
if (errors.length) console.log(`  first errors: ${[...new Set(errors)].slice(0, 3).join(" | ")}`);
child.kill("SIGINT");
await Promise.all([ollama.close(), llama.close(), streaming.close()]);
process.exit(errors.length || lost ? 1 : 0);
