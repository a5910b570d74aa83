// The release workflow's guard: the pushed tag (`v0.2.0`) must be `v` + the version in
// client/package.json, so a tag never publishes a package that says it is something else.
// Usage: node scripts/check-release-tag.mjs <tag>. Exit 0 when they agree, 1 (saying what to do) when not.
import { readFileSync } from "node:fs";

const tag = process.argv[2] ?? "";
const { version } = JSON.parse(readFileSync(new URL("../client/package.json", import.meta.url), "utf8"));
if (tag !== `v${version}`) {
  console.error(
    `release: the tag "${tag}" is not v${version}, the version in client/package.json. ` +
      `Set "version" there (npm version <x.y.z> --workspace small-llm), commit, and tag that commit v<x.y.z>.`,
  );
  process.exit(1);
}
console.log(`release: tag ${tag} matches small-llm@${version}`);
