/**
 * Stands in for `ollama serve` in tests of starting the server: listens on OLLAMA_HOST (as the real
 * binary does) with an empty emulated registry, until killed.
 */
import { createServer } from "node:http";

const [host, port] = (process.env.OLLAMA_HOST ?? "127.0.0.1:11434").split(":");
const server = createServer((req, res) => {
  if (req.url === "/" || req.url === "/api/version" || req.url === "/api/tags") {
    res.writeHead(200, { "Content-Type": req.url === "/" ? "text/plain" : "application/json" });
    res.end(
      req.url === "/" ? "Ollama is running" : req.url === "/api/version" ? '{"version":"0.33.0"}' : '{"models":[]}',
    );
    return;
  }
  res.writeHead(404);
  res.end("404 page not found");
});
server.listen(Number(port), host, () => console.log(`Listening on ${host}:${port} (version 0.33.0)`));
