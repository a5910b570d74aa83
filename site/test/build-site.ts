/**
 * Build the site into a temporary directory from a given index (tests and the bench use it). A
 * test run builds each index once (`sharedSiteBuild`): the spec files that ask for the same index
 * share one build, kept under the run's temporary root (a lock makes a second asker wait).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import type { Changelog, Index } from "../../schema/index.ts";
import { indexJsonSchema, serializeJsonSchema } from "../../schema/json-schema.ts";
import { runCommand } from "../../test/helpers/run-command.ts";

export const BASE = "/small-llm-index/";

/** The build of this index for this test run: the first spec file to ask builds it, the others reuse it. */
export async function sharedSiteBuild(
  index: Index,
  changelog?: Changelog,
): Promise<{ outDir: string; dataDir: string; ms: number }> {
  const key = createHash("sha256")
    .update(JSON.stringify([index, changelog ?? null]))
    .digest("hex")
    .slice(0, 16);
  const shared = join(tmpdir(), `sli-site-${key}`);
  const lock = `${shared}.lock`;
  for (;;) {
    if (existsSync(join(shared, "dist", "index.html")))
      return { outDir: join(shared, "dist"), dataDir: join(shared, "data"), ms: 0 };
    try {
      mkdirSync(lock); // atomic: one builder per index
      break;
    } catch {
      await delay(250); // another spec file is building this index
    }
  }
  try {
    const built = await buildSite(index, changelog);
    mkdirSync(shared, { recursive: true });
    renameSync(built.outDir, join(shared, "dist"));
    renameSync(built.dataDir, join(shared, "data"));
    return { outDir: join(shared, "dist"), dataDir: join(shared, "data"), ms: built.ms };
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** A fresh build (the bench times it; the screenshots want the current code). */
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
