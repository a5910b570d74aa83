/**
 * `OLLAMA_HOST` read the way Ollama reads it (envconfig.Host): quotes and spaces trimmed; no scheme
 * → http and port 11434; an explicit http:// or https:// → port 80 or 443; a bad port → the
 * default; a path kept; `ollama.com` → https. Wildcard addresses become their loopback to connect to.
 */
export const DEFAULT_OLLAMA_HOST = "http://127.0.0.1:11434";

export function ollamaBaseUrl(value: string | undefined = process.env.OLLAMA_HOST): string {
  const raw = (value ?? "")
    .trim()
    .replace(/^["']|["']$/g, "")
    .trim();
  if (!raw) return DEFAULT_OLLAMA_HOST;
  let scheme = "http";
  let defaultPort = "11434";
  let rest = raw;
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(raw);
  if (m) {
    scheme = (m[1] as string).toLowerCase();
    rest = m[2] as string;
    defaultPort = scheme === "https" ? "443" : "80";
  } else if (raw === "ollama.com") {
    scheme = "https";
    defaultPort = "443";
  }
  const slash = rest.indexOf("/");
  const hostPort = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? "" : rest.slice(slash).replace(/\/+$/, "");
  let host = hostPort;
  let port = defaultPort;
  const bracketed = /^\[([^\]]+)\](?::(\d*))?$/.exec(hostPort);
  if (bracketed) {
    host = `[${bracketed[1]}]`;
    if (bracketed[2]) port = bracketed[2];
  } else if ((hostPort.match(/:/g) ?? []).length > 1) {
    host = `[${hostPort}]`; // a bare IPv6 address such as ::1
  } else if (hostPort.includes(":")) {
    const i = hostPort.lastIndexOf(":");
    host = hostPort.slice(0, i);
    port = hostPort.slice(i + 1) || defaultPort;
  }
  const n = Number(port);
  if (!/^\d+$/.test(port) || n < 0 || n > 65535) port = defaultPort;
  if (host === "" || host === "0.0.0.0") host = "127.0.0.1";
  if (host === "[::]") host = "[::1]";
  return `${scheme}://${host}:${port}${path}`;
}

/** Whether the server is on this machine, so that starting `ollama serve` here makes sense. */
export function isLocal(baseUrl: string): boolean {
  const host = new URL(baseUrl).hostname;
  return host === "localhost" || host === "[::1]" || host === "::1" || /^127\./.test(host);
}
