/** The disk/memory pre-flight for commands that may pull (`install`, `run`), skipped by `--force`. */
import type { Index } from "../../../schema/index.ts";
import { detectHardware } from "../hardware/detect-hardware.ts";
import { isLocal } from "../runtimes/ollama/host.ts";
import { sameModel } from "../runtimes/ollama/refs.ts";
import { checkBeforePull } from "../runtimes/preflight.ts";
import { ownerOf } from "../runtimes/resolve-target.ts";
import type { Runtime } from "../runtimes/runtime.ts";

/** Throws PreflightError when `ref` is not installed yet and would not fit this machine. */
export async function preflightPull(
  env: { runtime: Runtime; index: Index | undefined },
  ref: string,
  force: boolean | undefined,
  signal: AbortSignal,
): Promise<void> {
  if (force || !isLocal(env.runtime.host)) return;
  const model = ownerOf(env.index, ref);
  const target = model?.install.find((t) => sameModel(t.ref, ref));
  if (!model || !target) return; // sizes unknown: nothing to check against
  if ((await env.runtime.list({ signal })).some((m) => sameModel(m.name, ref))) return;
  checkBeforePull({ model, target, hardware: await detectHardware(), index: env.index });
}
