/** Commands that drive Ollama: install, update, run, list, rm, status. */
import { readFileSync } from "node:fs";
import type { OllamaDriver } from "../ollama/driver.ts";
import type { Out } from "./catalog-commands.ts";
import { pullReporter } from "./progress.ts";
import { bytes, clean, table } from "./render.ts";
import { UsageError } from "./usage-error.ts";

export async function installCommand(
  driver: OllamaDriver,
  target: string,
  options: { quant?: string },
  out: Out,
): Promise<void> {
  const progress = out.json ? undefined : pullReporter();
  try {
    const installed = await driver.install(target, {
      quant: options.quant,
      ...(progress ? { onProgress: progress.onProgress } : {}),
    });
    if (out.json) {
      out.print(JSON.stringify(installed, null, 2));
      return;
    }
    out.print(
      `installed ${clean(installed.name)} (${bytes(installed.sizeBytes)}, digest ${installed.digest.slice(0, 12)})`,
    );
  } finally {
    progress?.stop();
  }
}

export async function updateCommand(
  driver: OllamaDriver,
  target: string | undefined,
  options: { all?: boolean },
  out: Out,
): Promise<void> {
  if (!target && !options.all) throw new UsageError("say which model to update, or --all");
  const progress = out.json ? undefined : pullReporter();
  try {
    const results = await driver.update(
      options.all ? "all" : (target as string),
      progress ? { onProgress: progress.onProgress } : {},
    );
    if (out.json) {
      out.print(JSON.stringify(results, null, 2));
      return;
    }
    if (!results.length) out.print("no models installed");
    for (const r of results) {
      out.print(
        r.changed
          ? `updated ${clean(r.ref)}: ${r.from.slice(0, 12)} → ${r.to.slice(0, 12)}`
          : `${clean(r.ref)} is up to date (${r.to.slice(0, 12)})`,
      );
    }
  } finally {
    progress?.stop();
  }
}

/** `--option temperature=0.2` → `{ temperature: 0.2 }`; values parse as JSON when they can. */
export function parseOptions(pairs: string[]): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const pair of pairs) {
    const i = pair.indexOf("=");
    if (i <= 0) throw new UsageError(`--option takes key=value, not "${pair}"`);
    const value = pair.slice(i + 1);
    try {
      options[pair.slice(0, i)] = JSON.parse(value);
    } catch {
      options[pair.slice(0, i)] = value;
    }
  }
  return options;
}

export async function runCommand(
  driver: OllamaDriver,
  target: string,
  words: string[],
  options: { system?: string; option?: string[]; quant?: string; pull?: boolean },
  out: Out,
): Promise<void> {
  let prompt = words.join(" ");
  if (!prompt) {
    if (process.stdin.isTTY) throw new UsageError("give a prompt, or pipe one on stdin");
    prompt = readFileSync(0, "utf8").trim();
  }
  if (!prompt) throw new UsageError("the prompt is empty");
  const progress = pullReporter();
  try {
    const result = await driver.run(target, prompt, {
      ...(options.quant ? { quant: options.quant } : {}),
      ...(options.system ? { system: options.system } : {}),
      options: parseOptions(options.option ?? []),
      pull: options.pull !== false,
      onProgress: progress.onProgress,
      ...(out.json ? {} : { onToken: (t: string) => process.stdout.write(t) }),
    });
    if (out.json) {
      out.print(JSON.stringify(result, null, 2));
      return;
    }
    process.stdout.write("\n");
    const rate = result.tokensPerSecond ? `, ${result.tokensPerSecond.toFixed(1)} tokens/s` : "";
    out.info(
      `${result.outputTokens ?? "?"} tokens in ${(result.totalMs / 1000).toFixed(1)} s (first token after ${result.latencyMs} ms${rate})`,
    );
  } finally {
    progress.stop();
  }
}

export async function listCommand(driver: OllamaDriver, out: Out): Promise<void> {
  const models = await driver.list();
  if (out.json) {
    out.print(JSON.stringify(models, null, 2));
    return;
  }
  if (!models.length) {
    out.print("no models installed — try `small-llm recommend`");
    return;
  }
  out.print(
    table(
      ["NAME", "SIZE", "QUANT", "DIGEST", "INDEX ID"],
      models.map((m) => [m.name, bytes(m.sizeBytes), m.quant ?? "-", m.digest.slice(0, 12), m.indexId ?? "-"]),
    ),
  );
}

export async function removeCommand(driver: OllamaDriver, target: string, out: Out): Promise<void> {
  const ref = await driver.remove(target);
  if (out.json) {
    out.print(JSON.stringify({ removed: ref }));
    return;
  }
  out.print(`removed ${clean(ref)}`);
}

export async function statusCommand(driver: OllamaDriver, options: { start?: boolean }, out: Out): Promise<void> {
  let started = false;
  if (options.start) started = (await driver.ensureServer()).started;
  const status = await driver.status();
  if (out.json) {
    out.print(JSON.stringify({ ...status, started }, null, 2));
    return;
  }
  if (!status.reachable) {
    out.print(
      `Ollama at ${status.host}: not running${status.binary ? ` (installed at ${status.binary}; \`small-llm status --start\` starts it)` : " and not installed (https://ollama.com/download)"}`,
    );
    return;
  }
  out.print(
    `Ollama ${clean(status.version ?? "?")} at ${status.host}${started ? " (started now)" : ""}, ${status.models.length} models installed`,
  );
  for (const m of status.running) {
    const where =
      m.vramBytes === 0
        ? "CPU"
        : m.vramBytes >= m.sizeBytes
          ? "GPU"
          : `${Math.round((m.vramBytes / m.sizeBytes) * 100)} % GPU`;
    out.print(`  running: ${clean(m.name)} (${bytes(m.sizeBytes)}, ${where})`);
  }
}
