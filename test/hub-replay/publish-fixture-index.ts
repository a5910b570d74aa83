/**
 * `npm run data:fixture [-- DIR]`: build the tests' own index with the real pipeline from the
 * fixture catalogue served by the Hub replay server, into test/fixtures/index/ (or DIR). Tests read
 * this, never data/: data/ is production output that the scheduled job rewrites. The index is
 * marked `fixture: true`.
 */

import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PIPELINE_DEFAULTS, runPipeline } from "../../pipeline/run.ts";
import { formatReport } from "../../pipeline/run-report.ts";
import { buildCatalogue } from "./catalogue.ts";
import { startHubReplay } from "./server.ts";

const FIXTURE_INDEX_DIR = fileURLToPath(new URL("../fixtures/index", import.meta.url));

const hub = await startHubReplay({ catalogue: buildCatalogue() });
try {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  const report = await runPipeline({
    outDir: process.argv[2] ?? FIXTURE_INDEX_DIR,
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
