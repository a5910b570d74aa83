/**
 * A code review by local models: a unified diff split per file, each file's changes numbered with
 * their line in the new file (small models are poor at counting hunk offsets), handed to the
 * `coding` chain a few files at a time, and answered in JSON that must match a findings schema —
 * so an answer that is not a list of findings falls back to the next model like any bad answer.
 */

import type { LlmResponse } from "./delegate.ts";
import type { DelegateManyOptions } from "./helpers.ts";
import { delegateMany } from "./helpers.ts";

export interface DiffFile {
  path: string;
  /** The file's hunks, each changed or kept line prefixed with its line number in the new file. */
  numbered: string;
  added: number;
  removed: number;
}

export interface Finding {
  path: string;
  line?: number;
  severity: "bug" | "risk" | "style" | "question";
  message: string;
}

export interface FileReview {
  path: string;
  findings: Finding[];
  /** Which model reviewed it. */
  model?: string;
  /** Why no model could review it. */
  error?: { code: string; message: string };
}

export const FINDINGS_SCHEMA = {
  type: "object",
  properties: {
    findings: {
      type: "array",
      items: {
        type: "object",
        properties: {
          line: { type: "integer" },
          severity: { type: "string", enum: ["bug", "risk", "style", "question"] },
          message: { type: "string" },
        },
        required: ["severity", "message"],
      },
    },
  },
  required: ["findings"],
} as const;

export const REVIEW_SYSTEM =
  "You review a code change. Report only real problems in the added lines (marked +): bugs, security risks, " +
  "unhandled errors, misleading names. For each: the line number shown at its start, a severity (bug, risk, " +
  'style or question) and one sentence. Answer {"findings": []} when nothing is worth saying.';

/** The files of a unified diff (`git diff`), binary files and pure renames left out. */
export function splitDiff(diff: string): DiffFile[] {
  const files: DiffFile[] = [];
  for (const chunk of diff.split(/^(?=diff --git )/m)) {
    if (!chunk.startsWith("diff --git ")) continue;
    const path = /^\+\+\+ b\/(.+)$/m.exec(chunk)?.[1] ?? /^diff --git a\/.+ b\/(.+)$/m.exec(chunk)?.[1];
    if (!path || /^Binary files /m.test(chunk) || path === "/dev/null") continue;
    const out: string[] = [];
    let line = 0;
    let added = 0;
    let removed = 0;
    for (const text of chunk.split("\n")) {
      const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@(.*)$/.exec(text);
      if (hunk) {
        line = Number(hunk[1]);
        out.push(`@@${hunk[2] ?? ""}`);
      } else if (line === 0) {
        // the file's header lines (index, ---, +++): left out
      } else if (text.startsWith("+")) {
        out.push(`${line++} + ${text.slice(1)}`);
        added++;
      } else if (text.startsWith("-")) {
        out.push(`    - ${text.slice(1)}`);
        removed++;
      } else if (text.startsWith(" ")) out.push(`${line++}   ${text.slice(1)}`);
    }
    if (added + removed > 0) files.push({ path, numbered: out.join("\n"), added, removed });
  }
  return files;
}

/** A model's answer as findings; anything that is not one is dropped (the schema check already ran). */
function findingsOf(path: string, response: LlmResponse): Finding[] {
  if (!response.success) return [];
  try {
    const parsed = JSON.parse(response.text) as { findings?: Partial<Finding>[] };
    return (parsed.findings ?? [])
      .filter((f) => typeof f.message === "string" && f.message.trim())
      .map((f) => ({
        path,
        ...(Number.isInteger(f.line) && (f.line as number) > 0 ? { line: f.line as number } : {}),
        severity: (["bug", "risk", "style", "question"] as const).includes(f.severity as never)
          ? (f.severity as Finding["severity"])
          : "question",
        message: (f.message as string).trim(),
      }));
  } catch {
    return [];
  }
}

export type ReviewOptions = Omit<DelegateManyOptions, "format" | "task" | "system" | "onResult"> & {
  /** Each file's review as it arrives (files run a few at a time: not in order), with its place in the diff. */
  onFile?: (review: FileReview, index: number) => void;
};

/** Review every file of a diff with the coding chain; one result per file, in the diff's order. */
export async function reviewDiff(diff: string, options: ReviewOptions = {}): Promise<FileReview[]> {
  const files = splitDiff(diff);
  const { onFile, ...call } = options;
  const prompts = files.map((f) => `File: ${f.path}\n\n${f.numbered}`);
  const reviews: FileReview[] = files.map((f) => ({ path: f.path, findings: [] }));
  await delegateMany(prompts, {
    ...call,
    task: "coding",
    system: REVIEW_SYSTEM,
    format: FINDINGS_SCHEMA as unknown as Record<string, unknown>,
    onResult: (i, response) => {
      const file = files[i] as DiffFile;
      const review: FileReview = response.success
        ? { path: file.path, findings: findingsOf(file.path, response), model: response.model }
        : { path: file.path, findings: [], error: response.error };
      reviews[i] = review;
      onFile?.(review, i);
    },
  });
  return reviews;
}
