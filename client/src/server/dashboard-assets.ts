/**
 * The dashboard's files (built by client/scripts/build.ts into dist/dashboard/), read from disk when
 * asked for, so nothing of the dashboard loads unless `serve` runs. A strict Content-Security-Policy
 * keeps the page from fetching anything but this server, and from running anything but its own script.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { fileURLToPath } from "node:url";
import { ApiError } from "./api-error.ts";

const FILES: Record<string, { file: string; type: string }> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/index.html": { file: "index.html", type: "text/html; charset=utf-8" },
  "/app.js": { file: "app.js", type: "text/javascript; charset=utf-8" },
  "/style.css": { file: "style.css", type: "text/css; charset=utf-8" },
};

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The built dashboard (dist/dashboard/). */
function dashboardDir(): string | undefined {
  // Beside the library's chunk, above the CLI's (dist/cli/), or the build when running from source.
  for (const candidate of ["./dashboard/", "../dashboard/", "../../dist/dashboard/"]) {
    const dir = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(`${dir}app.js`)) return dir; // built: the sources have app.ts
  }
  return undefined;
}

export const isDashboardPath = (path: string) => path in FILES;

export async function sendDashboardFile(res: ServerResponse, path: string, head = false): Promise<void> {
  const entry = FILES[path];
  const dir = dashboardDir();
  if (!entry) throw new ApiError("not-found", `nothing at ${path}; the API is under /api/`);
  if (!dir) throw new ApiError("not-found", "the dashboard is not built: run `npm run build:client`");
  const body = await readFile(`${dir}${entry.file}`);
  res.writeHead(200, {
    "content-type": entry.type,
    "content-length": String(body.length),
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-cache",
  });
  res.end(head ? undefined : body);
}
