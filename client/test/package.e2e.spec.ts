/**
 * The client installs as people install CLIs. Until `small-llm` is on the npm registry the README
 * says to install it from a clone — `npm install -g ./client`, or `npm pack` and install the
 * tarball — and release.yml publishes it with provenance on a version tag. Here: what the package
 * would publish, and the clone install giving a working `small-llm` on PATH.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, "client", "package.json"), "utf8"));

describe("the small-llm package", () => {
  it("publishes the built CLI and library, its README and nothing of the sources or tests", () => {
    const [packed] = JSON.parse(
      execFileSync("npm", ["pack", "--dry-run", "--json", "--workspace", "small-llm"], {
        cwd: root,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }),
    ) as [{ name: string; version: string; files: { path: string }[] }];
    expect(packed).toMatchObject({ name: "small-llm", version: pkg.version });
    const files = packed.files.map((f) => f.path);
    for (const f of [
      "package.json",
      "README.md",
      "bin/small-llm.js",
      "dist/cli.js",
      "dist/index.js",
      "dist/index.d.ts",
    ])
      expect(files).toContain(f);
    expect(files.filter((f) => /^(src|test|scripts|bundled)\//.test(f))).toEqual([]);
  });

  it("says where it comes from, as npm's provenance check requires, and publishes publicly with provenance", () => {
    expect(pkg.repository).toEqual({
      type: "git",
      url: "git+https://github.com/small-llm-index/small-llm-index.git",
      directory: "client",
    });
    expect(pkg.publishConfig).toEqual({ access: "public", provenance: true });
    expect(pkg.bin).toEqual({ "small-llm": "bin/small-llm.js" });
  });

  it("`npm install -g ./client` from a clone puts a working small-llm on PATH", () => {
    const prefix = mkdtempSync(join(tmpdir(), "sli-global-"));
    // A folder installs as a link: no registry is asked.
    execFileSync("npm", ["install", "-g", "--prefix", prefix, "--no-audit", "--no-fund", "./client"], {
      cwd: root,
      stdio: "ignore",
    });
    const out = execFileSync(join(prefix, "bin", "small-llm"), ["--version"], { encoding: "utf8" });
    expect(out.trim()).toBe(pkg.version);
  });
});
