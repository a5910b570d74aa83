/**
 * `npm run hub-replay -- [options]`: serve the fixture catalogue as a Hub on 127.0.0.1, then
 * `HF_ENDPOINT=<printed url> npm run pipeline`.
 */
import { parseArgs } from "node:util";
import { buildCatalogue } from "./catalogue.ts";
import { type Fault, startHubReplay } from "./server.ts";

const HELP = `Usage: npm run hub-replay -- [options]

Serve the fixture Hub catalogue on 127.0.0.1 with the real Hub's API shapes, so the pipeline runs
offline: HF_ENDPOINT=<the printed URL> npm run pipeline -- --out /tmp/out --cache-dir /tmp/cache

Options:
  --port N              listen on this port (default: a free one; the URL is printed on stdout)
  --extra N             synthetic community fine-tunes to add (default: 40; the bench uses 1270)
  --latency MS          delay added to every answer (default: 0)
  --fault KIND:MATCH[:TIMES[:ARG]]
                        inject a fault into requests whose path + query contains MATCH, TIMES
                        times (default: 1). KIND is 429 (ARG = Retry-After seconds, default 1), 500,
                        slow (ARG = delay in ms, default 5000), truncate (half the body), drop
                        (close the connection) or flaky (ARG = the share of requests that meet one
                        of the others, default 0.5, the same ones every run). Repeatable, e.g.
                        --fault 429:/api/models?:3:2 or --fault flaky:/:100000:0.5
  -h, --help            this help`;

const KINDS = new Set<Fault["kind"]>(["429", "500", "slow", "truncate", "drop", "flaky"]);

function fail(message: string): never {
  console.error(`hub-replay: ${message}\nRun with --help for usage.`);
  process.exit(2);
}

function wholeNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) fail(`${name} needs a whole number, got "${value}"`);
  return n;
}

function parseFault(spec: string): Fault {
  const [kind, match, times, arg] = spec.split(":");
  if (!kind || !KINDS.has(kind as Fault["kind"])) fail(`--fault ${spec}: KIND must be one of ${[...KINDS].join(", ")}`);
  if (!match) fail(`--fault ${spec}: say which requests it hits (KIND:MATCH)`);
  const fault: Fault = { kind: kind as Fault["kind"], match, times: wholeNumber("--fault TIMES", times, 1) };
  if (kind === "429") fault.retryAfterSeconds = wholeNumber("--fault Retry-After", arg, 1);
  if (kind === "slow") fault.delayMs = wholeNumber("--fault delay", arg, 5000);
  if (kind === "flaky") {
    const rate = arg === undefined || arg === "" ? 0.5 : Number(arg);
    if (!(rate >= 0 && rate <= 1)) fail(`--fault ${spec}: the flaky share is a number from 0 to 1, got "${arg}"`);
    fault.rate = rate;
  }
  return fault;
}

let values: ReturnType<typeof parse>["values"];
function parse() {
  return parseArgs({
    options: {
      port: { type: "string" },
      extra: { type: "string" },
      latency: { type: "string" },
      fault: { type: "string", multiple: true },
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
const port = wholeNumber("--port", values.port, 0);
if (port > 65_535) fail(`--port needs a port number up to 65535, got "${values.port}"`);
try {
  const hub = await startHubReplay({
    catalogue: buildCatalogue(values.extra ? { extra: wholeNumber("--extra", values.extra, 40) } : {}),
    latencyMs: wholeNumber("--latency", values.latency, 0),
    faults: (values.fault ?? []).map(parseFault),
    ...(port ? { port } : {}),
  });
  console.log(hub.url);
  console.error(`hub-replay: serving the fixture Hub on ${hub.url} — Ctrl-C to stop`);
} catch (error) {
  const code = (error as { code?: string }).code;
  fail(code === "EADDRINUSE" ? `port ${port} is in use; pick another with --port or leave it out` : String(error));
}
