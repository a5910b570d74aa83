/** A route table: a method, a path (exact, or a prefix whose rest is a `/`-containing id), and a handler. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { DelegateOptions } from "../agent/delegate.ts";
import type { Operations } from "../operations/index.ts";
import type { OthersOptions } from "../runtimes/local-status.ts";
import { ApiError } from "./api-error.ts";

/** What every handler gets: the operations, on this server's own Router and runtime. */
export interface ApiContext {
  ops: Operations;
  /** Where `/api/status` looks for other runtimes (default: as `small-llm status` does). */
  others?: OthersOptions | false;
  /** Merged into every delegation (tests inject runtimes and a config). */
  delegate?: Partial<DelegateOptions>;
  /** The gateway may pull an index id's model that is not installed (`serve --pull`). */
  pull?: boolean;
  /** One line per failed request or pull, for the terminal running `serve`. */
  log?: ((line: string) => void) | undefined;
}

export interface RouteRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** For prefix routes: the decoded rest of the path (`Qwen/Qwen2.5-0.5B-Instruct`). */
  param: string;
  ctx: ApiContext;
}

export interface Route {
  method: "GET" | "POST" | "DELETE";
  /** `/api/models` matches exactly; `/api/models/*` matches a prefix and passes the rest as `param`. */
  path: string;
  handle(r: RouteRequest): Promise<void>;
}

/**
 * The path as clients mean it: a trailing slash dropped (`/v1/chat/completions/`), and `/v1/v1/…`
 * — what a base URL ending in `/v1` gives in clients that add `/v1` themselves — read once.
 */
export function clientPath(pathname: string): string {
  const path = pathname.replace(/^\/v1\/v1(?=\/|$)/, "/v1");
  return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
}

export function matchRoute(
  routes: readonly Route[],
  requested: string,
  pathname: string,
): { route: Route; param: string } | undefined {
  // HEAD is GET without the body (Node's server leaves the body out by itself).
  const method = requested === "HEAD" ? "GET" : requested;
  let pathMatched = false;
  for (const route of routes) {
    const prefix = route.path.endsWith("/*") ? route.path.slice(0, -1) : undefined;
    const param = prefix ? (pathname.startsWith(prefix) ? pathname.slice(prefix.length) : undefined) : undefined;
    const hit = prefix ? param !== undefined && param !== "" : pathname === route.path;
    if (!hit) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(param ?? "");
    } catch {
      throw new ApiError("invalid-argument", `the path ${pathname} is not valid percent-encoding`);
    }
    return { route, param: decoded };
  }
  if (pathMatched) throw new ApiError("method-not-allowed", `${requested} is not allowed on ${pathname}`);
  return undefined;
}
