/**
 * `import { getIndex } from "small-llm"` loads none of the HTTP server, the dashboard, the MCP SDK or
 * node-llama-cpp (the embedded runtime's engine, imported only when that runtime runs):
 * every module the import resolves is listed in a fresh Node process (the built package).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
// Off-thread resolve hooks (module.register, Node ≥ 20.6) post every resolved URL back over a port.
const hooks = `let port; export function initialize(data) { port = data.port; }
export async function resolve(s, c, next) { const r = await next(s, c); port.postMessage(r.url); return r; }`;
const probe = (specifier: string) => `
import { register } from "node:module";
import { MessageChannel } from "node:worker_threads";
const { port1, port2 } = new MessageChannel();
const urls = [];
port1.on("message", (url) => urls.push(url));
port1.unref();
register("data:text/javascript," + encodeURIComponent(${JSON.stringify(hooks)}), { data: { port: port2 }, transferList: [port2] });
const lib = await import(${JSON.stringify(specifier)});
await new Promise((r) => setTimeout(r, 100)); // the last messages from the hooks thread
console.log(JSON.stringify({ urls, exports: Object.keys(lib) }));
`;

function loaded(specifier: string): { urls: string[]; exports: string[] } {
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", probe(specifier)], {
    cwd: root,
    encoding: "utf8",
  });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout.trim().split("\n").pop() as string);
}

describe("the library's weight", () => {
  it("small-llm loads no server, dashboard, MCP or llama.cpp code", () => {
    const { urls, exports } = loaded("small-llm");
    expect(exports).toContain("getIndex");
    expect(exports).not.toContain("startApiServer");
    expect(
      urls.filter((u) => /modelcontextprotocol|node-llama-cpp|\/dist\/(server|mcp)\.js|^node:http$/.test(u)),
    ).toEqual([]);
  });

  it("small-llm/server and small-llm/mcp are entries of their own", () => {
    expect(loaded("small-llm/server").exports).toContain("startApiServer");
    const mcp = loaded("small-llm/mcp");
    expect(mcp.exports).toEqual(["createMcpServer"]);
    expect(mcp.urls.some((u) => u.includes("@modelcontextprotocol/server"))).toBe(true);
  });
});
