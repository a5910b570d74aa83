/**
 * Run the Hub replay server by hand: `npm run hub-replay [-- --extra N --latency MS]`, then
 * `HF_ENDPOINT=<printed url> npm run pipeline`.
 */
import { parseArgs } from "node:util";
import { buildCatalogue } from "./catalogue.ts";
import { startHubReplay } from "./server.ts";

const { values } = parseArgs({ options: { extra: { type: "string" }, latency: { type: "string" } } });
const hub = await startHubReplay({
  catalogue: buildCatalogue(values.extra ? { extra: Number(values.extra) } : {}),
  latencyMs: Number(values.latency ?? 0),
});
console.log(hub.url);
console.error(`Hub replay server on ${hub.url} — Ctrl-C to stop`);
