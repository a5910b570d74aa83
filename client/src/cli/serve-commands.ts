/**
 * `small-llm serve` (the local HTTP API and dashboard) and `small-llm mcp` (a stdio MCP server).
 * Both load their code — node:http routes, the dashboard, the MCP SDK — only when run, so the
 * library and the other commands never pay for them.
 */
import { spawn } from "node:child_process";
import { type Command, InvalidArgumentError } from "commander";
import type { Context } from "./context.ts";

/** Open a URL in the default browser; best effort (a headless box has none). */
function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === "darwin"
      ? ["open", [url]]
      : process.platform === "win32"
        ? ["cmd", ["/c", "start", "", url]]
        : ["xdg-open", [url]];
  try {
    spawn(cmd, args as string[], { stdio: "ignore", detached: true })
      .on("error", () => {})
      .unref();
  } catch {
    // No opener: the URL is printed anyway.
  }
}

/** What the help says: a port number, 0 for any free one — the message for a bad value says the same. */
export const port = (value: string) => {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n > 65535)
    throw new InvalidArgumentError(`--port takes a port number from 0 to 65535 (0: any free port), not "${value}".`);
  return n;
};

export function registerServeCommands(program: Command, ctx: Context): void {
  program
    .command("serve")
    .description("the local HTTP API, the dashboard and the OpenAI/Anthropic gateway (http://127.0.0.1:11435/)")
    .option("--port <port>", "port to listen on (0: any free port)", port, 11435)
    .option("--host <address>", "address to bind; beyond loopback needs SMALL_LLM_API_TOKEN", "127.0.0.1")
    .option("--open", "open the dashboard in the browser")
    .option("--pull", "let gateway requests (/v1/…) that name an index id pull its model when none is installed")
    .action(async (options: { port: number; host: string; open?: boolean; pull?: boolean }) => {
      const { startApiServer } = await import("../server/api-server.ts");
      const { runtime } = (await ctx.operations({ start: false })).context;
      const server = await startApiServer({
        host: options.host,
        port: options.port,
        runtime,
        router: ctx.router,
        ...(options.pull ? { pull: true } : {}),
        log: (line) => ctx.info(line),
      });
      ctx.info(
        `small-llm: dashboard and API at ${server.url}/, OpenAI and Anthropic APIs at ${server.url}/v1 (Ctrl-C stops)`,
      );
      // Said at once, so a client's first 503 is no surprise.
      const ollama = await runtime.status({ signal: ctx.signal }).catch(() => undefined);
      if (ollama && !ollama.reachable)
        ctx.info(
          `warning: Ollama does not answer at ${ollama.host}: requests for its models fail until it runs (\`small-llm server start\`, or set OLLAMA_HOST)`,
        );
      if (ctx.json) ctx.print(JSON.stringify({ url: server.url, host: server.host, port: server.port }));
      if (options.open) openBrowser(`${server.url}/`);
      await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve(), { once: true }));
      await server.close();
    });

  program
    .command("mcp")
    .description("a Model Context Protocol server on stdio, for agents (Claude Desktop, Cursor, VS Code, …)")
    .action(async () => {
      const { serveMcpStdio } = await import("../mcp/stdio.ts");
      const { runtime } = (await ctx.operations({ start: false })).context;
      await serveMcpStdio({ runtime, router: ctx.router, signal: ctx.signal });
    });
}
