/**
 * One status, whoever asks (the CLI's `status --json`, `GET /api/status`, the MCP tool, the
 * dashboard): the managing runtime's own status at the top, then every runtime (the in-process
 * llama.cpp one included), the other servers that answer, the hardware and which index is in use.
 */
import { z } from "zod";
import { type LocalStatus, localStatus, type OthersOptions } from "../runtimes/local-status.ts";
import type { RuntimeStatus } from "../runtimes/runtime.ts";
import type { OperationContext } from "./context.ts";

export const StatusInput = z.strictObject({});
export type StatusInput = z.input<typeof StatusInput>;

export type StatusReport = RuntimeStatus & LocalStatus;

export async function status(
  ctx: OperationContext,
  options: { others?: OthersOptions | false; signal?: AbortSignal | undefined } = {},
): Promise<StatusReport> {
  // The embedded runtime is always reported: available or not, which binary, what GPU it found.
  const runtimes = ctx.runtime.kind === "embedded" ? [ctx.runtime] : [ctx.runtime, ctx.router.embedded()];
  const report = await localStatus(runtimes, () => ctx.router.loadIndex(false, options.signal), {
    signal: options.signal,
    hardware: () => ctx.router.hardware(),
    ...(options.others !== undefined ? { others: options.others } : {}),
  });
  const own = report.runtimes[0] as RuntimeStatus;
  return { ...own, ...report };
}
