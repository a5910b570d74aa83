/**
 * What the stand-in `bin/ollama serve` inside the test release archives runs: the repo's Ollama
 * emulator on OLLAMA_HOST (as the real binary listens there), reporting the release's version and
 * serving the models in SLI_STANDIN_REGISTRY (`[[ref, bytes], …]`) so that `setup` can pull one.
 * SLI_STANDIN_FAIL=1 makes it die during start, the way a broken build does; SLI_STANDIN_DELAY_MS
 * makes it slow to listen.
 */
import { ggufModel, startOllamaEmulator } from "../ollama-emulator/server.ts";

const [host = "127.0.0.1", port = "11434"] = (process.env.OLLAMA_HOST ?? "").split(":");
const version = process.argv[2] ?? "0.0.0";
console.error(`time=stand-in level=INFO msg="starting ollama ${version}" host=${host}:${port}`);
if (process.env.SLI_STANDIN_FAIL === "1") {
  console.error(
    "Error: unable to load the ollama runtime libraries: lib/ollama/libggml-base.so: cannot open shared object file",
  );
  process.exit(1);
}
await new Promise((r) => setTimeout(r, Number(process.env.SLI_STANDIN_DELAY_MS ?? 0)));
const refs = JSON.parse(process.env.SLI_STANDIN_REGISTRY ?? "[]") as [string, number][];
try {
  await startOllamaEmulator({
    registry: refs.map(([ref, size]) => ggufModel(ref, size)),
    version,
    chunkBytes: 50_000_000,
    lineDelayMs: Number(process.env.SLI_STANDIN_LINE_DELAY_MS ?? 0),
    port: Number(port),
  });
} catch (error) {
  console.error(`Error: listen tcp ${host}:${port}: ${(error as Error).message}`);
  process.exit(1);
}
console.error(`time=stand-in level=INFO msg="Listening on ${host}:${port} (version ${version})"`);
