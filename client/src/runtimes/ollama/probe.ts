/**
 * Is an Ollama server answering at an address, and which version? One `GET /api/version`: any HTTP
 * answer at all means something is up there (the request that follows says more if it is not
 * Ollama); its JSON gives the version when the server reports one. Never throws.
 */
import { readJson, request } from "../../http/index.ts";

export interface Probe {
  answered: boolean;
  version?: string;
}

export async function probeOllama(
  baseUrl: string,
  options: { signal?: AbortSignal | undefined; timeoutMs?: number; fetch?: typeof fetch } = {},
): Promise<Probe> {
  const url = `${baseUrl.replace(/\/+$/, "")}/api/version`;
  let response: Response;
  try {
    response = await request(url, {
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? 3000,
      accept: () => true,
      fetch: options.fetch,
    });
  } catch {
    return { answered: false };
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    return { answered: true };
  }
  const body = await readJson<{ version?: unknown }>(response, { url, maxBytes: 64 * 1024 }).catch(() => undefined);
  return typeof body?.version === "string" ? { answered: true, version: body.version } : { answered: true };
}
