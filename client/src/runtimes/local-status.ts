/**
 * Everything a front end shows about this machine in one answer: the local runtimes (reachable or
 * not, version, models), the other runtimes that answer (llama.cpp, LM Studio, vLLM, Jan, LocalAI on
 * their default ports and SMALL_LLM_RUNTIMES), the hardware, and which copy of the index is in use
 * and how old it is.
 */
import type { IndexResult, IndexSource } from "../catalog/get-index.ts";
import { detectHardware, type Hardware } from "../hardware/detect-hardware.ts";
import {
  type DetectedRuntime,
  detectRuntimes,
  type RuntimeTarget,
  runtimeTargetsFromEnv,
  scanDefaultPorts,
} from "./detect.ts";
import { withIndexIds } from "./resolve-target.ts";
import type { CallOptions, Runtime, RuntimeStatus } from "./runtime.ts";

export type OtherRuntime = Omit<DetectedRuntime, "runtime">;

export interface OthersOptions {
  hosts?: (string | RuntimeTarget)[];
  defaults?: boolean;
}

export interface LocalStatus {
  runtimes: RuntimeStatus[];
  /** OpenAI-compatible servers that answer beside them; or why they could not be looked for. */
  others: OtherRuntime[] | { error: { code: string; message: string } };
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
        /** Set when the index is test data, not the catalogue of the real Hub. */
        fixture?: true;
        /** What to tell the user about it (test data, parts skipped, a copy standing in). */
        warnings: string[];
      }
    | { error: { code: string; message: string } };
}

export async function localStatus(
  runtimes: Runtime[],
  index: () => Promise<IndexResult>,
  options: CallOptions & {
    hardware?: () => Promise<Hardware>;
    /**
     * Where to look for other runtimes (default: SMALL_LLM_RUNTIMES, and the default ports unless
     * SMALL_LLM_SCAN_DEFAULT_PORTS=0); `false` skips the search.
     */
    others?: OthersOptions | false;
  } = {},
): Promise<LocalStatus> {
  const hosts = new Set(runtimes.map((r) => r.host));
  const others = async (): Promise<LocalStatus["others"]> => {
    if (options.others === false) return [];
    try {
      const found = await detectRuntimes({
        signal: options.signal,
        ollama: false,
        defaults: options.others?.defaults ?? scanDefaultPorts(),
        hosts: options.others?.hosts ?? runtimeTargetsFromEnv(),
      });
      return found.filter((r) => !hosts.has(r.baseUrl)).map(({ runtime: _runtime, ...shown }) => shown);
    } catch (error) {
      const e = error as Error & { code?: string };
      return { error: { code: e.code ?? "internal", message: e.message } };
    }
  };
  const [statuses, hardware, indexResult, otherRuntimes] = await Promise.all([
    Promise.all(runtimes.map((r) => r.status(options))),
    (options.hardware ?? detectHardware)(),
    index().then(
      (r) => r,
      (error: Error & { code?: string }) => error,
    ),
    others(),
  ]);
  const known = indexResult instanceof Error ? undefined : indexResult.index;
  return {
    runtimes: statuses.map((s) => ({ ...s, models: withIndexIds(known, s.models) })),
    others: otherRuntimes,
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
            ...(indexResult.index.fixture ? { fixture: true as const } : {}),
            warnings: indexResult.warnings,
          },
  };
}
