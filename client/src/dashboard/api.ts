/**
 * The dashboard's only channel: fetch to the server that served it (the page's CSP allows nothing
 * else). JSON calls throw `ApiFailure` with the server's `{ code, message }`; streamed calls yield
 * NDJSON events and stop when the AbortSignal fires (the server then cancels the pull).
 */

export class ApiFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

// A server bound beyond loopback needs a token: open the dashboard as `/#token=…` (a fragment never leaves the browser).
const fromHash = /(?:^#|&)token=([^&]+)/.exec(location.hash)?.[1];
if (fromHash) {
  sessionStorage.setItem("small-llm-token", decodeURIComponent(fromHash));
  history.replaceState(null, "", location.pathname);
}
const token = sessionStorage.getItem("small-llm-token");

function headers(json: boolean): HeadersInit {
  return {
    accept: "application/json",
    ...(json ? { "content-type": "application/json" } : {}),
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  };
}

async function failure(res: Response): Promise<ApiFailure> {
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    return new ApiFailure(body.error?.code ?? "internal", body.error?.message ?? res.statusText, res.status);
  } catch {
    return new ApiFailure("internal", `${res.status} ${res.statusText}`, res.status);
  }
}

export async function getJson<T>(path: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { headers: headers(false) });
  } catch {
    throw new ApiFailure("server-gone", "the small-llm server does not answer: is `small-llm serve` still running?", 0);
  }
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

export async function send<T>(method: "POST" | "DELETE", path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: headers(body !== undefined),
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

export type StreamEvent = { type: string } & Record<string, unknown>;

/** POST and read the NDJSON answer event by event; an `error` event throws. */
export async function* stream(path: string, body: unknown, signal: AbortSignal): AsyncGenerator<StreamEvent> {
  const res = await fetch(path, { method: "POST", headers: headers(true), body: JSON.stringify(body), signal });
  if (!res.ok) throw await failure(res);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let nl = buffer.indexOf("\n");
    while (nl >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (line) {
        const event = JSON.parse(line) as StreamEvent;
        if (event.type === "error") {
          const e = event.error as { code: string; message: string };
          throw new ApiFailure(e.code, e.message, 200);
        }
        yield event;
      }
      nl = buffer.indexOf("\n");
    }
  }
}
