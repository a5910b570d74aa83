/** `npm run ollama-emulator`: an emulated Ollama on 127.0.0.1 serving the data/ index's default refs. */
import { readFileSync } from "node:fs";
import type { Index } from "../../schema/index.ts";
import { ggufModel, startOllamaEmulator } from "./server.ts";

const index = JSON.parse(readFileSync(new URL("../../data/v1/index.json", import.meta.url), "utf8")) as Index;
const registry = index.models.flatMap((m) => m.install.map((t) => ggufModel(t.ref, t.fileBytes)));
const emulator = await startOllamaEmulator({ registry, lineDelayMs: 20 });
console.log(emulator.hostPort);
console.error(`Ollama emulator on ${emulator.url} (OLLAMA_HOST=${emulator.hostPort}) — Ctrl-C to stop`);
