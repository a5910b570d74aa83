/**
 * `npm run ollama-emulator -- [options]`: an emulated Ollama on 127.0.0.1 that can pull every
 * install ref of an index, to try the CLI without Ollama. Prints its `host:port` on stdout.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { readIndex } from "../../schema/index.ts";
import { ggufModel, type OllamaFault, startOllamaEmulator } from "./server.ts";

const HELP = `Usage: npm run ollama-emulator -- [options]

An Ollama API emulator on 127.0.0.1 (version, tags, show, ps, pull, generate, chat, delete) whose
registry holds every install ref of an index. Then: OLLAMA_HOST=<printed host:port> small-llm …

Options:
  --port N            port to listen on (default: a free one)
  --index FILE        the index whose refs it can pull (default: data/v1/index.json)
  --line-delay MS     pause between streamed lines (default: 20)
  --fault KIND[:N]    inject a fault, on every request or on the next N; repeatable. On pulls:
                      slow (every progress line takes 300 ms, so a progress bar can be watched),
                      cut (the stream drops mid-pull), disk-full, error-line, 500.
                      On answers (generate, chat): busy (503), empty, refusal, repeat (a loop),
                      bad-json, answer-cut (the stream drops after 2 tokens), answer-error (an
                      error line after 2 tokens), answer-slow (3 s before the answer), answer-500
  --vram-share F      the share of a loaded model /api/ps reports on the GPU (default 1; 0: CPU)
  --thinking REF      also offer REF (e.g. qwen3:0.6b) as a model that thinks before it answers, as
                      qwen3 does in Ollama (unless sent think: false); repeatable
  --version V         the version it reports (default: 0.33.0)
  -h, --help          this help

E.g. --fault busy:2 answers the next two prompts "server busy" (ask retries, then answers).`;

const PULL_FAULTS = ["slow", "cut", "disk-full", "error-line", "500"] as const;
/** Answer faults, by their command-line name: the emulator's own kind, on generate and chat. */
const ANSWER_FAULTS: Record<string, OllamaFault["kind"]> = {
  busy: "busy",
  empty: "empty",
  refusal: "refusal",
  repeat: "repeat",
  "bad-json": "bad-json",
  "answer-cut": "cut",
  "answer-error": "error-line",
  "answer-slow": "slow",
  "answer-500": "500",
};

function fail(message: string): never {
  console.error(`ollama-emulator: ${message}\nRun with --help for usage.`);
  process.exit(2);
}

let values: ReturnType<typeof parse>["values"];
function parse() {
  return parseArgs({
    options: {
      port: { type: "string" },
      index: { type: "string" },
      "line-delay": { type: "string" },
      fault: { type: "string", multiple: true },
      "vram-share": { type: "string" },
      thinking: { type: "string", multiple: true },
      version: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
}
try {
  values = parse().values;
} catch (error) {
  fail((error as Error).message);
}
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const whole = (name: string, value: string | undefined, fallback: number) => {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) fail(`--${name} takes a whole number, not "${value}"`);
  return Number(value);
};
const port = whole("port", values.port, 0);
if (port > 65535) fail(`--port takes a port number up to 65535, not "${values.port}"`);
const kinds = values.fault ?? [];
const faults: OllamaFault[] = [];
let slow = false;
for (const flag of kinds) {
  const [name = "", count] = flag.split(":");
  const times = count === undefined ? Number.POSITIVE_INFINITY : Number(count);
  if (!(times >= 1) || (count !== undefined && !/^\d+$/.test(count)))
    fail(`--fault ${name}:N takes a whole number of requests, not "${count}"`);
  if (name === "slow") slow = true;
  else if ((PULL_FAULTS as readonly string[]).includes(name))
    faults.push({ path: "/api/pull", times, kind: name as OllamaFault["kind"], afterLines: 3 });
  else if (ANSWER_FAULTS[name]) {
    // `answer`: both routes, one budget (`ask` and `chat` speak /api/chat, `run` /api/generate).
    faults.push({
      path: "answer",
      times,
      kind: ANSWER_FAULTS[name] as OllamaFault["kind"],
      afterLines: 2,
      delayMs: 3000,
    });
  } else
    fail(
      `--fault takes ${[...PULL_FAULTS, ...Object.keys(ANSWER_FAULTS)].join(", ")} (with :N for the next N), not "${name}"`,
    );
}

const file = values.index ?? new URL("../../data/v1/index.json", import.meta.url).pathname;
let registry: ReturnType<typeof ggufModel>[];
try {
  const { index } = readIndex(JSON.parse(readFileSync(file, "utf8")), file);
  registry = index.models.flatMap((m) => m.install.map((t) => ggufModel(t.ref, t.fileBytes)));
  for (const ref of values.thinking ?? [])
    registry.push(ggufModel(ref, 523_000_000, { thinking: true, quant: "Q4_K_M" }));
} catch (error) {
  fail(`cannot read the index ${file}: ${(error as Error).message}`);
}
try {
  const emulator = await startOllamaEmulator({
    registry,
    faults,
    lineDelayMs: slow ? 300 : whole("line-delay", values["line-delay"], 20),
    chunkBytes: slow ? 20_000_000 : undefined,
    ...(values.version ? { version: values.version } : {}),
    ...(values["vram-share"] !== undefined ? { vramShare: Number(values["vram-share"]) } : {}),
    ...(port ? { port } : {}),
  } as Parameters<typeof startOllamaEmulator>[0]);
  console.log(emulator.hostPort);
  console.error(
    `Ollama emulator on ${emulator.url} with ${registry.length} pullable refs from ${file}${kinds.length ? `, faults: ${kinds.join(", ")}` : ""}\n` +
      `Try: OLLAMA_HOST=${emulator.hostPort} npx small-llm status — Ctrl-C to stop`,
  );
} catch (error) {
  fail(`cannot listen on port ${port}: ${(error as Error).message}`);
}
