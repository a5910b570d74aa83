/**
 * `small-llm serve`: the JSON API and the dashboard on one loopback port, over node:http. A thin
 * adapter: every answer comes from a library function; this file routes, guards (security.ts) and
 * turns errors into `{ error: { code, message } }` with a fitting status (api-error.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { DelegateOptions } from "../agent/delegate.ts";
import { Router } from "../agent/router.ts";
import type { GetIndexOptions, IndexResult } from "../catalog/get-index.ts";
import { ApiTokenRequiredError } from "../errors/index.ts";
import { gatewayRoutes, gatewayStyle, sendGatewayError } from "../gateway/routes.ts";
import type { Hardware } from "../hardware/detect-hardware.ts";
import { createOperations } from "../operations/index.ts";
import type { OthersOptions } from "../runtimes/local-status.ts";
import { OllamaDriver } from "../runtimes/ollama/driver.ts";
import type { Runtime } from "../runtimes/runtime.ts";
import { agentRoutes } from "./agent-routes.ts";
import { ApiError, sendError } from "./api-error.ts";
import { catalogRoutes } from "./catalog-routes.ts";
import { isDashboardPath, sendDashboardFile } from "./dashboard-assets.ts";
import { everydayRoutes } from "./everyday-routes.ts";
import { publishRoutes } from "./publish-routes.ts";
import { type ApiContext, clientPath, matchRoute, type Route } from "./router.ts";
import { runtimeRoutes } from "./runtime-routes.ts";
import { accessPolicy, checkAccess, requiresToken } from "./security.ts";

export const DEFAULT_API_PORT = 11435;

export interface ApiServerOptions {
  /** Address to bind (default 127.0.0.1). Anything beyond loopback needs `token`. */
  host?: string;
  /** Port (default 11435; 0 picks a free one). */
  port?: number;
  /** Bearer token every /api request must carry (default: SMALL_LLM_API_TOKEN). */
  token?: string | undefined;
  runtime?: Runtime;
  /** How the index is loaded (mirrors, offline, cache dir)… */
  index?: Omit<GetIndexOptions, "refresh" | "signal">;
  /** …or the loader itself (the CLI passes its own, which honours --index-url and --offline). */
  loadIndex?: (refresh?: boolean) => Promise<IndexResult>;
  /** Hardware detection (default: detect once, on first use). */
  hardware?: () => Promise<Hardware>;
  /** The Router to use instead of one of its own (an app that shares one between servers). */
  router?: Router;
  /** Where `/api/status` looks for other runtimes (default: SMALL_LLM_RUNTIMES and the default ports). */
  others?: OthersOptions | false;
  /** Merged into every delegate() call of `POST /api/ask` and the gateway (tests inject runtimes and a config). */
  delegate?: Partial<DelegateOptions>;
  /** Let the gateway pull an index id's model when none is installed (`serve --pull`; default false). */
  pull?: boolean;
  /** Extra routes, tried after the built-in ones. */
  routes?: Route[];
  /** One line per failed request, for the terminal running `serve`. */
  log?: (line: string) => void;
}

export interface ApiServer {
  /** `http://127.0.0.1:11435` */
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

export async function startApiServer(options: ApiServerOptions = {}): Promise<ApiServer> {
  const host = options.host ?? "127.0.0.1";
  const token = options.token ?? (process.env.SMALL_LLM_API_TOKEN || undefined);
  if (requiresToken(host) && !token) throw new ApiTokenRequiredError(host);
  // This server's own Router: its index handle, detected runtimes and cooldowns are nobody else's.
  const router =
    options.router ??
    new Router({
      ...(options.loadIndex ? { loadIndex: options.loadIndex } : options.index ? { index: options.index } : {}),
      ...(options.hardware ? { hardware: options.hardware } : {}),
    });
  const ctx: ApiContext = {
    ops: createOperations({ router, runtime: options.runtime ?? new OllamaDriver() }),
    ...(options.others !== undefined ? { others: options.others } : {}),
    ...(options.delegate ? { delegate: options.delegate } : {}),
    ...(options.pull ? { pull: true } : {}),
    ...(options.log ? { log: options.log } : {}),
  };
  const routes = [
    ...catalogRoutes,
    ...runtimeRoutes,
    ...everydayRoutes,
    ...agentRoutes,
    ...publishRoutes,
    ...gatewayRoutes,
    ...(options.routes ?? []),
  ];
  let policy = accessPolicy(host, options.port ?? DEFAULT_API_PORT, token);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    url.pathname = clientPath(url.pathname);
    checkAccess(req, policy, url.pathname);
    const method = req.method ?? "GET";
    const match = matchRoute(routes, method, url.pathname);
    if (match) return match.route.handle({ req, res, url, param: match.param, ctx });
    if (isDashboardPath(url.pathname)) {
      if (method !== "GET" && method !== "HEAD")
        throw new ApiError("method-not-allowed", `${method} is not allowed on ${url.pathname}`);
      return sendDashboardFile(res, url.pathname, method === "HEAD");
    }
    throw new ApiError("not-found", `no route ${method} ${url.pathname}; see the README's "Local API" section`);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      options.log?.(`${req.method} ${req.url}: ${(error as Error).message}`);
      // The gateway's clients (OpenAI and Anthropic SDKs) read errors only in their API's own shape.
      const style = gatewayStyle(clientPath(new URL(req.url ?? "/", "http://localhost").pathname), req.headers);
      if (style) sendGatewayError(res, style, error, ctx);
      else sendError(res, error);
    });
  });
  // Long pulls stream for many minutes; a streamed response must not be cut by the default timeouts.
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new ApiError(
              "port-in-use",
              `${host}:${options.port ?? DEFAULT_API_PORT} is already in use (another \`small-llm serve\`?); pick another with --port`,
            )
          : error,
      );
    server.once("error", failed);
    server.listen(options.port ?? DEFAULT_API_PORT, host, () => {
      server.off("error", failed);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  policy = accessPolicy(host, port, token);
  const shown = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}`,
    host,
    port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
