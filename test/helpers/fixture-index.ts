/**
 * The tests' own committed index (`npm run data:fixture` rebuilds it from the Hub replay
 * catalogue). Tests read this, never data/, which the scheduled job rewrites every day.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Index, parseIndex } from "../../schema/index.ts";

export const FIXTURE_INDEX_DIR = fileURLToPath(new URL("../fixtures/index", import.meta.url));

export function fixtureIndex(): Index {
  return parseIndex(JSON.parse(readFileSync(`${FIXTURE_INDEX_DIR}/v1/index.json`, "utf8")), "the fixture index");
}
