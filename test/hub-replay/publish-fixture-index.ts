/**
 * `npm run data:fixture`: build data/ with the real pipeline from the fixture catalogue served by
 * the Hub replay server — the committed index until the scheduled job publishes a real one. The
 * index is marked `fixture: true`.
 */

import { tmpdir } from "node:os";
import { join } from "node:path";
import { PIPELINE_DEFAULTS, runPipeline } from "../../pipeline/run.ts";
import { formatReport } from "../../pipeline/run-report.ts";
import { buildCatalogue } from "./catalogue.ts";
import { startHubReplay } from "./server.ts";

const hub = await startHubReplay({ catalogue: buildCatalogue() });
try {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  const report = await runPipeline({
    outDir: process.argv[2] ?? "data",
    cacheDir: join(tmpdir(), "small-llm-index-fixture-cache"),
    hub: { endpoint: hub.url },
    ...PIPELINE_DEFAULTS,
    fixture: true,
    ...(epoch ? { now: new Date(Number(epoch) * 1000) } : {}),
  });
  console.error(formatReport(report));
} finally {
  await hub.close();
}
