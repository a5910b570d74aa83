/**
 * A directory holding a stand-in `ollama` executable whose `serve` starts
 * test/ollama-emulator/serve-bin.ts on OLLAMA_HOST — to test starting the server from PATH.
 */
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function fakeOllamaBinDir(): string {
  const bin = mkdtempSync(join(tmpdir(), "sli-bin-"));
  const serve = new URL("../ollama-emulator/serve-bin.ts", import.meta.url).pathname;
  const tsx = new URL("../../node_modules/.bin/tsx", import.meta.url).pathname;
  writeFileSync(join(bin, "ollama"), `#!/bin/sh\n[ "$1" = serve ] && exec "${tsx}" "${serve}"\nexit 1\n`);
  chmodSync(join(bin, "ollama"), 0o755);
  return bin;
}

/** A free-looking port for a server the test starts through the fake binary. */
export const randomPort = () => 20000 + Math.floor(Math.random() * 20000);
