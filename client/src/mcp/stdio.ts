/**
 * `small-llm mcp`: the tools on stdio. stdout carries only the protocol; anything else goes to
 * stderr. Ends when the client closes stdin, or on Ctrl-C.
 */
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import { createMcpServer, type McpDeps } from "./mcp-tools.ts";

export async function serveMcpStdio(deps: McpDeps & { signal?: AbortSignal }): Promise<void> {
  const handle = serveStdio(() => createMcpServer(deps), {
    onerror: (error) => process.stderr.write(`small-llm mcp: ${error.message}\n`),
  });
  process.stderr.write("small-llm mcp: serving on stdio\n");
  await new Promise<void>((resolve) => {
    deps.signal?.addEventListener("abort", () => resolve(), { once: true });
    process.stdin.once("end", () => resolve());
    process.stdin.once("close", () => resolve());
  });
  await handle.close();
}
