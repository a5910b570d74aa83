/**
 * Once per `vitest run`: every temporary folder the tests (and the processes they start) make goes
 * under one root — TMPDIR is what `os.tmpdir()` and child processes read — and the root is removed
 * at the end, so a run leaves nothing behind in /tmp. The memory bandwidth that speed estimates
 * (and so recommendations and chains) follow is stated, not measured: a measurement on a busy 2-core
 * machine would make the same test pick a different model from one run to the next. A test of the
 * measurement itself passes its own environment.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), "sli-test-run-"));
  process.env.TMPDIR = root;
  process.env.SMALL_LLM_MEMORY_BANDWIDTH ??= "51.2"; // dual-channel DDR4-3200, as the recommend tests state it
  return () => rmSync(root, { recursive: true, force: true });
}
