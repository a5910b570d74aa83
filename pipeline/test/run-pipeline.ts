/** Running the real `npm run pipeline` against a Hub replay server, for the end-to-end tests. */
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Index, ModelEntry } from "../../schema/index.ts";
import { runCommand } from "../../test/helpers/run-command.ts";
import type { HubReplay } from "../../test/hub-replay/server.ts";

export const tmp = (name: string) => mkdtempSync(join(tmpdir(), `sli-${name}-`));
const EPOCH = "1795392000"; // 2026-11-23T00:00:00Z

/** `npm run pipeline -- --fixture …` against `hub`, with a fixed clock and no token unless given. */
export function pipelineAgainst(hub: () => HubReplay) {
  return (args: string[], env: Record<string, string | undefined> = {}) =>
    runCommand("npm", ["run", "--silent", "pipeline", "--", "--fixture", ...args], {
      env: { HF_ENDPOINT: hub().url, HF_TOKEN: undefined, SOURCE_DATE_EPOCH: EPOCH, ...env },
    });
}

export const readIndex = (out: string): Index => JSON.parse(readFileSync(join(out, "v1", "index.json"), "utf8"));
export const model = (index: Index, id: string) => index.models.find((m) => m.id === id) as ModelEntry;

/** Every file under `dir` with its content, to compare whole outputs. */
export function tree(dir: string, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) Object.assign(out, tree(path, `${prefix}${name}/`));
    else out[prefix + name] = readFileSync(path, "utf8");
  }
  return out;
}
