/**
 * Who may talk to the local API. A browser page on any site can send requests to 127.0.0.1, so:
 * the Host header must name the loopback address the server is bound to (a DNS-rebinding page sends
 * its own host name); writes from another origin are refused (no CORS is ever granted); and a server
 * bound beyond loopback must be given a token, which then every API request must carry.
 */
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";
import { ApiError } from "./api-error.ts";
import { isDashboardPath } from "./dashboard-assets.ts";

/** 127.0.0.0/8, ::1 and `localhost`: addresses no other machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h === "::1") return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  return /^::ffff:127\./.test(h);
}

/** Binding this address needs a token: anything that is not loopback (0.0.0.0, a LAN address, a host name). */
export const requiresToken = (bindHost: string) => !isLoopback(bindHost);

export interface AccessPolicy {
  /** `Host` header values accepted; undefined accepts any (only when a token guards the server). */
  hosts: ReadonlySet<string> | undefined;
  /** When set, every /api request must send `Authorization: Bearer <token>`. */
  token: string | undefined;
}

/** The Host values a browser sends for a server bound to this loopback address and port. */
export function loopbackHosts(bindHost: string, port: number): Set<string> {
  const h = bindHost.replace(/^\[|\]$/g, "").toLowerCase();
  const name = isIP(h) === 6 ? `[${h}]` : h;
  const hosts = new Set([`${name}:${port}`]);
  // `localhost` resolves to the default loopback addresses, so it names them too.
  if (h === "127.0.0.1" || h === "::1" || h === "localhost") hosts.add(`localhost:${port}`);
  if (h === "localhost") hosts.add(`127.0.0.1:${port}`).add(`[::1]:${port}`);
  return hosts;
}

export function accessPolicy(bindHost: string, port: number, token: string | undefined): AccessPolicy {
  return { hosts: token && requiresToken(bindHost) ? undefined : loopbackHosts(bindHost, port), token };
}

const SAFE_METHODS = new Set(["GET", "HEAD"]);

function same(given: string, token: string): boolean {
  const a = Buffer.from(given.trim());
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `Authorization: Bearer <token>`, or `x-api-key: <token>` (how Anthropic clients send a key). */
function tokenMatches(req: IncomingMessage, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "");
  if (m && same(m[1] as string, token)) return true;
  const key = req.headers["x-api-key"];
  return typeof key === "string" && same(key, token);
}

/** Throws the ApiError that refuses this request, or returns when it may proceed. */
export function checkAccess(req: IncomingMessage, policy: AccessPolicy, path: string): void {
  const host = (req.headers.host ?? "").toLowerCase();
  if (policy.hosts && !policy.hosts.has(host))
    throw new ApiError(
      "forbidden-host",
      `this server answers only to ${[...policy.hosts].join(" or ")}, not Host "${host.slice(0, 100)}"`,
    );
  if (!SAFE_METHODS.has(req.method ?? "GET")) {
    const origin = req.headers.origin;
    const site = req.headers["sec-fetch-site"];
    if ((origin !== undefined && origin !== `http://${host}`) || site === "cross-site" || site === "same-site")
      throw new ApiError("forbidden-origin", "cross-origin writes are refused: use the dashboard this server serves");
  }
  // The dashboard's files hold no data and no actions; what they fetch from /api carries the token,
  // as every gateway call (/v1/…) must.
  if (policy.token && !isDashboardPath(path) && !tokenMatches(req, policy.token))
    throw new ApiError(
      "unauthorized",
      "this server needs `Authorization: Bearer <SMALL_LLM_API_TOKEN>` (or `x-api-key: <SMALL_LLM_API_TOKEN>`)",
    );
}
