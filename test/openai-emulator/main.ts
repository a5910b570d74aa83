/** `npm run openai-emulator -- --flavour llamacpp --port 8080`: an emulated OpenAI-compatible runtime on 127.0.0.1. */
import { parseArgs } from "node:util";
import { FLAVOURS, type Flavour } from "./flavours.ts";
import { type OpenAIFault, startOpenAIEmulator } from "./server.ts";

const HELP = `Usage: npm run openai-emulator -- [--flavour <name>] [--port <n>] [--model <id>…] [--api-key <key>] [--loading]

An OpenAI-compatible runtime emulator on 127.0.0.1, answering as the real server would.
  --flavour   ${FLAVOURS.join(" | ")} (default llamacpp)
  --port      port to listen on (default: a free one; the real defaults are llama.cpp 8080/9931,
              LM Studio 1234, vLLM 8000, Jan 1337, LocalAI 8080)
  --model     a model id it serves (repeatable; default qwen2.5-0.5b-instruct)
  --api-key   the key it accepts (jan and openai always want one; default sk-emulator)
  --loading   still starting: llama.cpp answers 503 Loading model, LocalAI /readyz 503
  --fault KIND[:N]  an answer fault on every chat or the next N (repeatable): busy (503), rate-limit
              (429), empty, refusal, cut (the stream drops after 2 tokens), error (an error event
              after 2 tokens), slow (3 s before the answer), oom
Prints its base URL on stdout; Ctrl-C stops it.`;

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      flavour: { type: "string", default: "llamacpp" },
      port: { type: "string" },
      model: { type: "string", multiple: true },
      "api-key": { type: "string" },
      loading: { type: "boolean", default: false },
      fault: { type: "string", multiple: true },
      help: { type: "boolean", short: "h", default: false },
    },
  });
}
try {
  args = parse();
} catch (error) {
  console.error(`${(error as Error).message}\n\n${HELP}`);
  process.exit(2);
}
const { values } = args;
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const flavour = values.flavour as Flavour;
if (!FLAVOURS.includes(flavour)) {
  console.error(`unknown flavour "${values.flavour}": pick one of ${FLAVOURS.join(", ")}`);
  process.exit(2);
}
/** Each command-line fault as the emulator's own. */
const FAULTS: Record<string, Omit<OpenAIFault, "times">> = {
  busy: { kind: "busy" },
  "rate-limit": { kind: "busy", status: 429 },
  empty: { kind: "empty" },
  refusal: { kind: "refusal" },
  cut: { kind: "cut" },
  error: { kind: "error-mid-stream" },
  slow: { kind: "slow", delayMs: 3000 },
  oom: { kind: "oom" },
};
const faults: OpenAIFault[] = [];
for (const flag of values.fault ?? []) {
  const [name = "", count] = flag.split(":");
  const fault = FAULTS[name];
  if (!fault || (count !== undefined && !/^[1-9]\d*$/.test(count))) {
    console.error(`--fault takes ${Object.keys(FAULTS).join(", ")} (with :N for the next N), not "${flag}"`);
    process.exit(2);
  }
  faults.push({ ...fault, times: count === undefined ? Number.POSITIVE_INFINITY : Number(count) });
}
const port = values.port === undefined ? 0 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port takes a number from 0 to 65535, not "${values.port}"`);
  process.exit(2);
}
try {
  const emulator = await startOpenAIEmulator({
    flavour,
    port,
    loading: values.loading,
    faults,
    tokenDelayMs: 20,
    ...(values.model?.length ? { models: values.model } : {}),
    ...(values["api-key"] ? { apiKey: values["api-key"] } : {}),
  });
  console.log(emulator.url);
  console.error(
    `${flavour} emulator on ${emulator.url}${emulator.apiKey ? " (needs Authorization: Bearer <the key>)" : ""} — Ctrl-C to stop`,
  );
} catch (error) {
  const code = (error as { code?: string }).code;
  console.error(code === "EADDRINUSE" ? `port ${port} is already in use: pick another with --port` : String(error));
  process.exit(1);
}
