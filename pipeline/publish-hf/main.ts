/**
 * `npm run publish:hf -- [--data-dir data] [--repo owner/name] [--dry-run]`: publish the index as a
 * Hugging Face dataset. HF_TOKEN (write access; never printed), HF_DATASET_REPO, HF_ENDPOINT.
 * Exit codes: 0 published or already up to date; 1 failed; 2 bad usage or configuration.
 */
import { parseArgs } from "node:util";
import { DEFAULT_HUB } from "../hub/client.ts";
import { PublishConfigError, publishDataset } from "./publish-dataset.ts";

/** The project's own dataset (the site links it; the README downloads it). */
const DEFAULT_DATASET = "small-llm-index/small-llm-index";

const HELP = `Usage: npm run publish:hf -- [options]

Upload data/v1 and a generated dataset card to a Hugging Face dataset repo (created when missing),
committing only the files that changed.

Options:
  --data-dir DIR   the published data (default: data)
  --repo ID        dataset repo owner/name (default: $HF_DATASET_REPO; a dry run without
                   either compares with ${DEFAULT_DATASET})
  --hub URL        Hub endpoint (default: $HF_ENDPOINT or ${DEFAULT_HUB})
  --site URL       the website, linked from the card (default: $SITE_URL)
  --dry-run        list what would be uploaded and print the dataset card; change nothing (no
                   token needed for a public repo; offline, every file is listed)
  --json           print the result as JSON on stdout
  -h, --help       this help

Environment: HF_TOKEN (a write token; never printed), HF_DATASET_REPO, HF_ENDPOINT, SITE_URL.`;

let values: ReturnType<typeof parse>["values"];
function parse() {
  return parseArgs({
    options: {
      "data-dir": { type: "string" },
      repo: { type: "string" },
      hub: { type: "string" },
      site: { type: "string" },
      "dry-run": { type: "boolean" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}
try {
  values = parse().values;
} catch (error) {
  console.error(`publish:hf: ${(error as Error).message}\nRun with --help for usage.`);
  process.exit(2);
}
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
// A dry run sends nothing, so it may look at the project's own dataset; a real run must be told where.
const repo = values.repo ?? process.env.HF_DATASET_REPO ?? (values["dry-run"] ? DEFAULT_DATASET : undefined);
if (!values.repo && !process.env.HF_DATASET_REPO && repo)
  console.error(`publish:hf: comparing with datasets/${repo} (the default; --repo or HF_DATASET_REPO picks another)`);
if (!repo) {
  console.error("publish:hf: say which dataset repo to publish to: --repo owner/name or HF_DATASET_REPO.");
  process.exit(2);
}
try {
  const result = await publishDataset({
    dataDir: values["data-dir"] ?? "data",
    repo,
    token: process.env.HF_TOKEN || undefined,
    hubUrl: (values.hub ?? process.env.HF_ENDPOINT ?? DEFAULT_HUB).replace(/\/+$/, ""),
    dryRun: Boolean(values["dry-run"]),
    siteUrl: values.site ?? process.env.SITE_URL,
  });
  if (values.json) console.log(JSON.stringify(result, null, 2));
  else if (result.card) console.log(`--- README.md (generated dataset card) ---\n${result.card}`);
  if (result.notCompared) console.error(`publish:hf: ${result.notCompared}`);
  if (result.wouldRefuse) console.error(`publish:hf: ${result.wouldRefuse}`);
  const verb = values["dry-run"] ? "would upload" : "uploaded";
  for (const path of result.upload) console.error(`${verb} ${path}`);
  console.error(
    result.upload.length === 0
      ? `publish:hf: datasets/${repo} is up to date (${result.unchanged.length} files)`
      : `publish:hf: ${values["dry-run"] ? "dry run: " : ""}${result.upload.length} file(s) ${verb}, ${result.unchanged.length} unchanged` +
          `${result.created ? " (repo created)" : ""}${result.commit ? ` — ${result.commit.url}` : ""}`,
  );
} catch (error) {
  console.error(`publish:hf: ${(error as Error).message}`);
  process.exit(error instanceof PublishConfigError ? 2 : 1);
}
