// Copies the data directory's v1/ (index.json, schema, JSONL, tiers, changelog) into the built
// site, so https://<pages>/v1/index.json is the URL the client fetches first.
import { cpSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export function dataDir() {
  return resolve(process.env.SMALL_LLM_DATA_DIR ?? join(process.cwd(), "..", "data"));
}

export function publishData() {
  return {
    name: "small-llm-index:publish-data",
    hooks: {
      "astro:build:done": ({ dir, logger }) => {
        const target = join(fileURLToPath(dir), "v1");
        cpSync(join(dataDir(), "v1"), target, { recursive: true });
        logger.info(`published ${join(dataDir(), "v1")} to ${target}`);
      },
    },
  };
}
