/**
 * Everything a front end shows about this machine in one answer: the local runtimes (reachable or
 * not, version, models), the hardware, and which copy of the index is in use and how old it is.
 */
import type { IndexResult, IndexSource } from "../catalog/get-index.ts";
import { detectHardware, type Hardware } from "../hardware/detect-hardware.ts";
import { withIndexIds } from "./resolve-target.ts";
import type { CallOptions, Runtime, RuntimeStatus } from "./runtime.ts";

export interface LocalStatus {
  runtimes: RuntimeStatus[];
  hardware: Hardware;
  index:
    | {
        version: string;
        generatedAt: string;
        source: IndexSource;
        fetchedAt: string;
        ageMs: number;
        models: number;
        url?: string;
        warnings: string[];
      }
    | { error: { code: string; message: string } };
}

export async function localStatus(
  runtimes: Runtime[],
  index: () => Promise<IndexResult>,
  options: CallOptions & { hardware?: () => Promise<Hardware> } = {},
): Promise<LocalStatus> {
  const [statuses, hardware, indexResult] = await Promise.all([
    Promise.all(runtimes.map((r) => r.status(options))),
    (options.hardware ?? detectHardware)(),
    index().then(
      (r) => r,
      (error: Error & { code?: string }) => error,
    ),
  ]);
  const known = indexResult instanceof Error ? undefined : indexResult.index;
  return {
    runtimes: statuses.map((s) => ({ ...s, models: withIndexIds(known, s.models) })),
    hardware,
    index:
      indexResult instanceof Error
        ? { error: { code: indexResult.code ?? "internal", message: indexResult.message } }
        : {
            version: indexResult.index.version,
            generatedAt: indexResult.index.generatedAt,
            source: indexResult.source,
            fetchedAt: indexResult.fetchedAt.toISOString(),
            ageMs: indexResult.ageMs,
            models: indexResult.index.models.length,
            ...(indexResult.url ? { url: indexResult.url } : {}),
            warnings: indexResult.warnings,
          },
  };
}
