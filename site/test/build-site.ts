/** Build the site into a temporary directory from a given index (tests and the bench use it). */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Changelog, Index } from "../../schema/index.ts";
import { indexJsonSchema, serializeJsonSchema } from "../../schema/json-schema.ts";
import { runCommand } from "../../test/helpers/run-command.ts";

export const BASE = "/small-llm-index/";

export async function buildSite(
  index: Index,
  changelog?: Changelog,
): Promise<{ outDir: string; dataDir: string; ms: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), "sli-site-data-"));
  mkdirSync(join(dataDir, "v1"), { recursive: true });
  writeFileSync(join(dataDir, "v1", "index.json"), JSON.stringify(index));
  const log: Changelog = changelog ?? {
    schemaVersion: 1,
    entries: [
      {
        version: index.version,
        generatedAt: index.generatedAt,
        added: index.models.map((m) => m.id),
        removed: [],
        changed: [],
      },
    ],
  };
  writeFileSync(join(dataDir, "v1", "changelog.json"), JSON.stringify(log));
  writeFileSync(join(dataDir, "v1", "index.schema.json"), serializeJsonSchema(indexJsonSchema()));
  const outDir = mkdtempSync(join(tmpdir(), "sli-site-dist-"));
  const t = performance.now();
  const result = await runCommand(
    "npm",
    ["run", "--silent", "build", "-w", "small-llm-index-site", "--", "--outDir", outDir],
    {
      // Vitest exports Vite's BASE_URL, MODE and NODE_ENV; a child Astro build must not inherit them.
      env: {
        SMALL_LLM_DATA_DIR: dataDir,
        SITE_BASE: BASE,
        ASTRO_TELEMETRY_DISABLED: "1",
        BASE_URL: undefined,
        MODE: undefined,
        NODE_ENV: undefined,
        DEV: undefined,
        PROD: undefined,
        SSR: undefined,
      },
      timeoutMs: 600_000,
    },
  );
  if (result.code !== 0) throw new Error(`site build failed:\n${result.stdout}\n${result.stderr}`);
  return { outDir, dataDir, ms: performance.now() - t };
}
