/**
 * What a newcomer tripped on in round three, each as what it must now say or show: search that
 * finds what people mean (`qwen 7b`), "did you mean" for an id the index lacks, tables that fit the
 * terminal (whole lines when piped), progress with one decimal and no placeholder for an unknown
 * wait, and `--port` messages that agree with its help.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliInProcess } from "../../test/helpers/cli-in-process.ts";
import { FIXTURE_INDEX_DIR } from "../../test/helpers/fixture-index.ts";
import { ggufModel, type OllamaEmulator, startOllamaEmulator } from "../../test/ollama-emulator/server.ts";
import { progressBytes, pullReporter, timeLeft } from "../src/cli/progress.ts";

const CLI = new URL("../dist/cli.js", import.meta.url).pathname;
const SCRIPT = ["/usr/bin/script", "/bin/script"].find((p) => existsSync(p));
const fresh = () => mkdtempSync(join(tmpdir(), "sli-r3-"));
/** A model the index does not know, with a ref longer than a narrow terminal. */
const LONG = "hf.co/someone/A-Very-Long-Model-Name-For-Narrow-Terminals-GGUF:Q4_K_M";
let emulator: OllamaEmulator;

beforeAll(async () => {
  emulator = await startOllamaEmulator({
    registry: [ggufModel("hf.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M", 457_000_000), ggufModel(LONG, 457_000_000)],
    chunkBytes: 45_700_000,
    lineDelayMs: 60,
  });
});
afterAll(async () => {
  await emulator.close();
});

const cli = (args: string[], options: { tty?: boolean; columns?: number; env?: Record<string, string> } = {}) =>
  cliInProcess(args, {
    env: {
      SMALL_LLM_INDEX_URL: FIXTURE_INDEX_DIR,
      SMALL_LLM_CACHE_DIR: fresh(),
      SMALL_LLM_STATE_DIR: fresh(),
      OLLAMA_HOST: emulator.hostPort,
      PATH: fresh(),
      ...options.env,
    },
    ...(options.tty ? { tty: true, columns: options.columns } : {}),
  });

describe("search finds what people mean", () => {
  it("`qwen 7b` compares 7b with the parameter count (±15 %): Qwen2.5-7B, not Qwen3-1.7B or Qwen3-8B", async () => {
    const ids = JSON.parse((await cli(["models", "--search", "qwen 7b", "--json"])).stdout).map(
      (m: { id: string }) => m.id,
    );
    expect(ids).toEqual(expect.arrayContaining(["Qwen/Qwen2.5-7B-Instruct", "blend/Qwen2.5-7B-Merge"]));
    expect(ids).not.toContain("Qwen/Qwen3-1.7B");
    expect(ids).not.toContain("Qwen/Qwen3-8B");
    // Within ±15 % of 0.5B, or named 0.5B (a vision model that says 0.5b on the label counts 0.9B).
    const small = JSON.parse((await cli(["models", "--search", "qwen 0.5b", "--json"])).stdout);
    for (const m of small)
      expect(Math.abs(m.params.total - 0.5e9) <= 0.15 * 0.5e9 || /(^|[^\d.])0\.5b/i.test(m.id), m.id).toBe(true);
    expect(small.map((m: { id: string }) => m.id)).not.toContain("Qwen/Qwen3-0.6B");
  });

  it("an id the index lacks gets 'did you mean' from the index (show, install)", async () => {
    const show = await cli(["show", "Qwen/Qwen2.5-7B"]);
    expect(show.code).toBe(4);
    expect(show.stderr).toContain('unknown model "Qwen/Qwen2.5-7B": not in the index');
    expect(show.stderr).toContain("Did you mean Qwen/Qwen2.5-7B-Instruct or");
    const install = await cli(["install", "Qwen/Qwen2.5-0.5B-Instrcut"]);
    expect(install.code).toBe(4);
    expect(install.stderr).toContain("Did you mean Qwen/Qwen2.5-0.5B-Instruct or");
  });
});

describe("tables fit the terminal, names whole", () => {
  const widest = (text: string) => Math.max(...text.split("\n").map((l) => l.length));
  /** The lines of every table: from a header row to the blank line after it. */
  const tables = (text: string) => {
    const out: string[] = [];
    let inside = false;
    for (const line of text.split("\n")) {
      if (/^(MODEL|QUANT|NAME)\s/.test(line)) inside = true;
      else if (!line.trim()) inside = false;
      if (inside) out.push(line);
    }
    return out.join("\n");
  };

  it.each([
    [["models"], 80],
    [["models"], 70],
    [["show", "Qwen/Qwen2.5-0.5B-Instruct"], 70],
    [["recommend", "--fits", "gpu-8gb"], 90],
  ])("%j on a %i-column terminal: names whole, the other columns cut with … to fit", async (args, columns) => {
    const r = await cli(args as string[], { tty: true, columns });
    expect(r.code, r.stderr).toBe(0);
    const table = tables(r.stdout).split("\n");
    expect(table.length).toBeGreaterThan(1);
    // The first column is never cut: each row starts with a whole name.
    const names = table.map((l) => l.split(/\s{2,}/)[0] ?? "");
    for (const name of names) expect(name).not.toContain("…");
    // Lines are as wide as the names need and no wider: the rest shrinks first.
    const nameWidth = Math.max(...names.map((n) => n.length));
    const columnsLeft = (table[0]?.split(/\s{2,}/).length ?? 1) - 1;
    expect(widest(table.join("\n"))).toBeLessThanOrEqual(Math.max(columns as number, nameWidth + columnsLeft * 10));
  });

  it("piped (not a terminal, not --json): whole lines, for grep and scripts", async () => {
    const r = await cli(["models"]);
    expect(r.stdout).not.toContain("…");
    expect(widest(r.stdout)).toBeGreaterThan(100); // the fixture's long ids, whole
    const narrow = await cli(["models"], { tty: true, columns: 100 });
    expect(narrow.stdout).toContain("…"); // a description or a license, never an id
    const wide = await cli(["models"], { tty: true, columns: 250 });
    expect(wide.stdout).not.toContain("…");
    expect(widest(wide.stdout)).toBeGreaterThan(100);
  });

  it("list on a 60-column terminal keeps the long ref whole: it is what `run` and `rm` take", async () => {
    const env = { SMALL_LLM_STATE_DIR: fresh() };
    await fetch(`${emulator.url}/api/pull`, {
      method: "POST",
      body: JSON.stringify({ model: LONG }),
    }).then((r) => r.text());
    const r = await cli(["list"], { tty: true, columns: 60, env });
    expect(r.code, r.stderr).toBe(0);
    expect(tables(r.stdout).split("\n")).toHaveLength(2);
    expect(r.stdout).toContain(`${LONG}  457 MB`);
  });

  it("show says what each quant fits in short: the smallest machine of each kind", async () => {
    const r = await cli(["show", "Qwen/Qwen2.5-0.5B-Instruct"]);
    expect(r.stdout).toMatch(/Q4_K_M\*\s+\S+ MB\s+\S+ MB\s+GPU ≥ 4 GB · Mac ≥ 8 GB · CPU ≥ 8 GB/);
  });
});

describe("progress", () => {
  it("sizes carry one decimal, and the time left appears only once a speed is known", () => {
    expect(progressBytes(134_200_000)).toBe("134.2 MB");
    expect(progressBytes(457_000_000)).toBe("457.0 MB");
    expect(timeLeft(0, 100, undefined)).toBe("");
    expect(timeLeft(0, 100, 0)).toBe("");
    expect(timeLeft(0, 100, Number.NaN)).toBe("");
    expect(timeLeft(50e6, 200e6, 1e6)).toBe(", 2m 30s left");
    const out = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
    let text = "";
    out.on("data", (d) => {
      text += d;
    });
    const reporter = pullReporter(out);
    reporter.onProgress({ ref: "x", status: "pulling abc", digest: "sha256:abc", total: 457e6 });
    reporter.onProgress({ ref: "x", status: "pulling abc", digest: "sha256:abc", total: 457e6, completed: 134.2e6 });
    reporter.stop();
    expect(text).toContain("134.2 MB / 457.0 MB");
    expect(text).not.toMatch(/ETA|NaN|Inf|NF/);
  });

  it.runIf(SCRIPT)("on a real terminal the bar shows one decimal and never an ETA placeholder", async () => {
    const child = spawn(
      SCRIPT as string,
      ["-qec", `${process.execPath} ${CLI} install Qwen/Qwen2.5-0.5B-Instruct`, "/dev/null"],
      {
        env: {
          ...process.env,
          SMALL_LLM_INDEX_URL: FIXTURE_INDEX_DIR,
          SMALL_LLM_CACHE_DIR: fresh(),
          SMALL_LLM_STATE_DIR: fresh(),
          OLLAMA_HOST: emulator.hostPort,
          PATH: fresh(),
          TERM: "dumb",
        },
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    const code = await new Promise((r) => child.on("close", r));
    expect(code, out).toBe(0);
    expect(out).toMatch(/\d+\.\d MB \/ 457\.0 MB/);
    expect(out).not.toMatch(/ETA|NaN|Inf|NFs/);
  });
});

describe("usage errors", () => {
  it("an Ollama option written as a flag is pointed at --option, in one hint line, not the whole help", async () => {
    const r = await cli(["run", "Qwen/Qwen3-0.6B", "--temperature", "0.2", "hi"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: unknown option '--temperature'");
    expect(r.stderr).toContain("--option temperature=VALUE");
    expect(r.stderr).not.toContain("Usage:");
  });
});

describe("--port", () => {
  it.each([["abc"], ["-1"], ["70000"]])("--port %s says what the help says it takes", async (value) => {
    const r = await cli(["serve", "--port", value]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--port takes a port number from 0 to 65535 (0: any free port), not "${value}"`);
  });

  it("--port 0 is any free port, as the help says", async () => {
    const help = await cli(["serve", "--help"]);
    expect(help.stdout).toContain("port to listen on (0: any free port)");
    const child = spawn(process.execPath, [CLI, "--json", "serve", "--port", "0"], {
      env: {
        ...process.env,
        SMALL_LLM_INDEX_URL: FIXTURE_INDEX_DIR,
        SMALL_LLM_CACHE_DIR: fresh(),
        OLLAMA_HOST: emulator.hostPort,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const line = await new Promise<string>((resolve) => {
      let out = "";
      child.stdout.on("data", (d) => {
        out += d;
        if (out.includes("\n")) resolve(out.split("\n")[0] as string);
      });
    });
    child.kill("SIGINT");
    expect(JSON.parse(line).port).toBeGreaterThan(0);
  });

  it("says at start when Ollama does not answer, before a client meets a 503", async () => {
    const child = spawn(process.execPath, [CLI, "--json", "serve", "--port", "0"], {
      env: {
        ...process.env,
        SMALL_LLM_INDEX_URL: FIXTURE_INDEX_DIR,
        SMALL_LLM_CACHE_DIR: fresh(),
        OLLAMA_HOST: "127.0.0.1:9",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (d) => {
      err += d;
    });
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    child.kill("SIGINT");
    await new Promise((r) => child.on("close", r));
    expect(err).toContain("warning: Ollama does not answer at http://127.0.0.1:9");
  });
});
