/**
 * Faults the Hub replay server injects per request: 429 + Retry-After, 500, slow answers,
 * truncated bodies, dropped connections, or — `flaky` — a share of all of those, decided by a hash
 * of the path and how often it was asked, so a run meets the same failures every time whatever
 * order its requests arrive in.
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

export interface Fault {
  /** Which requests: a substring or pattern of the path + query. */
  match: string | RegExp;
  /** How many matching requests it hits; then it is spent. */
  times: number;
  kind: "429" | "500" | "slow" | "truncate" | "drop" | "flaky";
  retryAfterSeconds?: number;
  delayMs?: number;
  /** For `flaky`: the share of matching requests that fail (default 0.5). */
  rate?: number;
}

const FLAKY_KINDS = ["429", "500", "truncate", "drop"] as const;

/** The `n`th request for `path` under a flaky fault: which failure it meets, or none. */
function flakyKind(path: string, n: number, rate: number): (typeof FLAKY_KINDS)[number] | undefined {
  const h = createHash("sha256").update(`${path}#${n}`).digest();
  if (h.readUInt32BE(0) / 2 ** 32 >= rate) return undefined;
  return FLAKY_KINDS[(h[4] ?? 0) % FLAKY_KINDS.length];
}

/** Picks the faults for each request; `inject` answers it when the fault ends it (a status or a dropped socket). */
export function faultInjector(faults: Fault[]) {
  const asked = new Map<string, number>();
  return {
    /** The fault this request meets, if any, spending one of its `times`. */
    pick(path: string): { fault: Fault; kind: Exclude<Fault["kind"], "flaky"> } | undefined {
      const nth = asked.get(path) ?? 0;
      asked.set(path, nth + 1);
      const fault = faults.find(
        (f) => f.times > 0 && (typeof f.match === "string" ? path.includes(f.match) : f.match.test(path)),
      );
      const kind = fault?.kind === "flaky" ? flakyKind(path, nth, fault.rate ?? 0.5) : fault?.kind;
      if (!fault || !kind) return undefined;
      fault.times--;
      return { fault, kind };
    },
    /** Answers with the fault, or waits (`slow`); returns the status sent, or undefined when the request goes on. */
    async inject(
      req: IncomingMessage,
      res: ServerResponse,
      hit: { fault: Fault; kind: Exclude<Fault["kind"], "flaky"> },
    ): Promise<number | undefined> {
      const { fault, kind } = hit;
      if (kind === "429") {
        res.writeHead(429, {
          "Retry-After": String(fault.retryAfterSeconds ?? (fault.kind === "flaky" ? 0 : 1)),
          "Content-Type": "application/json",
        });
        res.end(JSON.stringify({ error: "You have exceeded our rate limit" }));
        return 429;
      }
      if (kind === "500") {
        res.writeHead(500, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ error: "Internal Error" }));
        return 500;
      }
      if (kind === "drop") {
        req.socket.destroy();
        return 0;
      }
      if (kind === "slow") await new Promise((r) => setTimeout(r, fault.delayMs ?? 5000));
      return undefined;
    },
  };
}
