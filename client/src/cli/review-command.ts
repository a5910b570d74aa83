/**
 * `small-llm review`: a diff on stdin (`git diff | small-llm review`) or `--git REF` (the working
 * tree against REF), reviewed file by file by the coding chain; findings as `path:line: severity:
 * message`, so editors and terminals can jump to them.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Command } from "commander";
import { parseOptionPairs } from "../agent/options.ts";
import { type FileReview, reviewDiff, splitDiff } from "../agent/review.ts";
import { exitCodeFor } from "../errors/index.ts";
import type { Context } from "./context.ts";
import { collect, positiveInt } from "./parse.ts";
import { clean } from "./render.ts";
import { UsageError } from "./usage-error.ts";

interface ReviewCliOptions {
  git?: string;
  model?: string;
  chain?: string;
  option?: string[];
  concurrency: number;
  pull?: boolean;
}

/** `git diff REF` in the working directory; a REF that could be read as an option is refused. */
async function gitDiff(ref: string, signal: AbortSignal): Promise<string> {
  if (ref.startsWith("-")) throw new UsageError(`--git takes a commit, branch or tag, not "${ref}"`);
  try {
    const { stdout } = await promisify(execFile)("git", ["diff", "--no-color", "--no-ext-diff", ref, "--"], {
      maxBuffer: 64 * 1024 * 1024,
      signal,
    });
    return stdout;
  } catch (error) {
    const e = error as Error & { code?: string; stderr?: string };
    if (signal.aborted) throw error;
    const why =
      e.code === "ENOENT" ? "git is not installed (or not on PATH)" : (e.stderr ?? e.message).trim().split("\n")[0];
    throw new UsageError(`cannot run \`git diff ${ref}\`: ${why}`);
  }
}

function render(review: FileReview): string[] {
  if (review.error) return [`${clean(review.path)}: not reviewed — ${clean(review.error.message)}`];
  return review.findings.map(
    (f) => `${clean(f.path)}${f.line ? `:${f.line}` : ""}: ${f.severity}: ${clean(f.message.replace(/\s+/g, " "))}`,
  );
}

async function reviewCommand(options: ReviewCliOptions, ctx: Context): Promise<number> {
  const modelOptions = parseOptionPairs(options.option ?? []);
  let diff: string;
  if (options.git) diff = await gitDiff(options.git, ctx.signal);
  else if (ctx.io.stdin.isTTY) throw new UsageError("pipe a diff in (`git diff | small-llm review`) or give --git REF");
  else diff = await ctx.stdinText();
  const files = splitDiff(diff);
  // Text that is no diff at all (a file piped by mistake) is not "a diff with no changes".
  if (!files.length && !options.git && diff.trim())
    throw new UsageError(
      "stdin is not a unified diff (no `diff --git` or `---`/`+++` headers): pipe `git diff` in, or give --git REF",
    );
  if (!files.length) {
    ctx.info(options.git ? `no changes against ${options.git}` : "no changes in the diff on stdin");
    return 0;
  }
  const chain = options.chain
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  ctx.info(`reviewing ${files.length} file${files.length === 1 ? "" : "s"} with the coding chain…`);
  const done: (FileReview | undefined)[] = [];
  let printed = 0;
  const reviews = await reviewDiff(diff, {
    router: ctx.router,
    concurrency: options.concurrency,
    options: modelOptions,
    pull: options.pull !== false,
    signal: ctx.signal,
    ...(options.model ? { model: options.model } : {}),
    ...(chain ? { chain } : {}),
    // Printed in the diff's order, each file as soon as those before it are done.
    onFile: (review, i) => {
      done[i] = review;
      while (!ctx.json && done[printed]) for (const line of render(done[printed++] as FileReview)) ctx.print(line);
    },
  });
  const findings = reviews.reduce((n, r) => n + r.findings.length, 0);
  const failed = reviews.filter((r) => r.error);
  if (ctx.json) ctx.print(JSON.stringify({ files: reviews, findings }, null, 2));
  const models = [...new Set(reviews.map((r) => r.model).filter(Boolean))].map((m) => clean(m as string));
  ctx.info(
    `${findings} finding${findings === 1 ? "" : "s"} in ${reviews.length - failed.length} of ${reviews.length} files` +
      `${models.length ? ` (reviewed by ${models.join(", ")})` : ""}. Small models miss things and invent some: read each before acting on it.`,
  );
  return failed.length ? exitCodeFor(Object.assign(new Error(), { code: failed[0]?.error?.code })) : 0;
}

export function registerReviewCommand(program: Command, ctx: Context, setExit: (code: number) => void): void {
  program
    .command("review")
    .description("review a diff (stdin, or --git REF) with the coding chain of local models; prints findings")
    .option("--git <ref>", "review `git diff <ref>` (the working tree against a commit, branch or tag)")
    .option("--model <id|ref>", "exactly this model")
    .option("--chain <list>", "exactly these models, comma-separated, in order")
    .option("--option <key=value>", "an Ollama option, e.g. temperature=0.2 (repeat for more)", collect)
    .option("--concurrency <n>", "files reviewed at once", positiveInt("--concurrency"), 2)
    .option("--no-pull", "do not install the chain's first model when none is installed")
    .action(async (options: ReviewCliOptions) => {
      setExit(await reviewCommand(options, ctx));
    });
}
