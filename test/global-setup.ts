/**
 * Once per `vitest run`: every temporary folder the tests (and the processes they start) make goes
 * under one root — TMPDIR is what `os.tmpdir()` and child processes read — and the root is removed
 * at the end, so a run leaves nothing behind in /tmp.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), "sli-test-run-"));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
