/**
 * What `setup` says: the summary of what it did, the plan of `--dry-run`, and the question it asks on
 * a terminal before pulling a model above 2 GB.
 */
import { createInterface } from "node:readline/promises";
import { LONG_FIRST_TOKEN_SECONDS, PROMPT_TOKENS } from "../core/estimate-speed.ts";
import { bytes } from "../core/format.ts";
import type { SetupResult } from "../provision/setup.ts";
import type { SetupDryRun } from "../provision/setup-decide.ts";
import type { EmbeddedDryRun, EmbeddedSetupResult } from "../provision/setup-embedded.ts";
import { describePlan, type ModelPlan, type SetupModelPlan } from "../provision/setup-plan.ts";
import { secondsText } from "../recommend/recommend.ts";
import type { Context } from "./context.ts";
import { clean } from "./render.ts";

export function setupSummary(r: SetupResult | EmbeddedSetupResult): string {
  if (r.runtime === "embedded") return embeddedSummary(r);
  const lines = [
    r.changed ? "Ollama is set up." : "Ollama is already set up: nothing to do.",
    `  runtime   ollama ${clean(r.version ?? "(version not reported)")}${r.server === "installed" ? " (installed now)" : r.server === "started" ? " (started now)" : ""}`,
    `  URL       ${r.url}`,
    `  PID       ${r.pid ? `${r.pid} (started by small-llm; \`small-llm server stop\` stops it)` : "– (not started by small-llm)"}`,
    `  log file  ${r.logFile ?? "– (the server logs wherever it was started)"}`,
  ];
  if (r.binary) lines.push(`  binary    ${r.binary}`);
  lines.push(
    `  model     ${r.model ? `${clean(r.model.ref)}${r.model.pulled ? " (pulled now)" : " (already installed)"}` : "– (none pulled)"}`,
  );
  if (r.plan?.downloadBytes !== undefined) lines.push(`            ${describePlan(r.plan)}`);
  lines.push(
    `  installed ${r.models.length ? r.models.map((m) => `${clean(m.name)} (${bytes(m.sizeBytes)})`).join(", ") : "no models"}`,
  );
  for (const note of r.notes) lines.push(`note: ${note}`);
  if (r.model) lines.push(`Try it: small-llm run ${clean(r.model.id ?? r.model.ref)} "Hello"`);
  return lines.join("\n");
}

/** `setup --runtime embedded`: llama.cpp in this process, and the model downloaded for it. */
function embeddedSummary(r: EmbeddedSetupResult): string {
  const lines = [
    r.changed ? "The embedded runtime is set up." : "The embedded runtime is already set up: nothing to do.",
    `  runtime   embedded llama.cpp (in this process, no server): ${clean(r.binary ?? "node-llama-cpp")}`,
    `  models in ${r.modelsDir}`,
    `  model     ${r.model ? `${clean(r.model.ref)}${r.model.pulled ? " (downloaded now)" : " (already installed)"}` : "– (none downloaded)"}`,
  ];
  if (r.plan?.downloadBytes !== undefined) lines.push(`            ${describePlan(r.plan)}`);
  for (const note of r.notes) lines.push(`note: ${note}`);
  if (r.model) lines.push(`Try it: small-llm run --runtime embedded ${clean(r.model.id ?? r.model.ref)} "Hello"`);
  return lines.join("\n");
}

const planLine = (p: ModelPlan) => `${clean(p.model)} ${p.quant ?? ""} — ${describePlan(p)}`.replace("  ", " ");

/** `setup --dry-run`: what would happen, nothing done. */
export function dryRunText(r: SetupDryRun | EmbeddedDryRun): string {
  const lines = ["setup would:"];
  if ("embedded" in r)
    lines.push(
      `  runtime   ${r.embedded.available ? `embedded llama.cpp in this process (${clean(r.embedded.binary ?? "node-llama-cpp")})` : "embedded llama.cpp — not available here (see the note)"}`,
      `  models in ${r.embedded.modelsDir}`,
    );
  else
    lines.push(
      `  Ollama    ${
        {
          reuse: `reuse the server at ${r.ollama.url}`,
          start: `start ${r.ollama.binary ?? "ollama"} at ${r.ollama.url}`,
          download: "download the latest Ollama release for this machine (no root needed) and start it",
        }[r.ollama.action]
      }`,
    );
  if (r.model && r.ref) {
    lines.push(`  model     ${planLine(r as ModelPlan)}`);
    if ((r.firstTokenSeconds ?? 0) >= LONG_FIRST_TOKEN_SECONDS)
      lines.push(
        `            first token after ~${secondsText(r.firstTokenSeconds ?? 0)} for a ${PROMPT_TOKENS.toLocaleString("en")}-token prompt`,
      );
    lines.push(
      `            ${r.pull ? `${"embedded" in r ? "download the GGUF of" : "pull"} ${clean(r.ref)}${r.ask ? ", after asking (a download above 2 GB; --yes skips the question)" : ""}` : "already installed: nothing to pull"}`,
    );
    if (r.ask && r.smaller) lines.push(`            where nobody can be asked: ${planLine(r.smaller)}`);
  } else lines.push("  model     – (none)");
  for (const note of r.notes) lines.push(`note: ${note}`);
  lines.push("Nothing was done (--dry-run).");
  return lines.join("\n");
}

/**
 * On a terminal, asks before a pick above 2 GB is pulled (the answer defaults to yes); elsewhere
 * there is nobody to ask, and setup pulls the best pick of at most 2 GB instead.
 */
export function terminalConfirm(ctx: Context): ((plan: SetupModelPlan) => Promise<boolean>) | undefined {
  if (!ctx.io.stdin.isTTY || !ctx.io.stderr.isTTY) return undefined;
  return async (plan) => {
    const rl = createInterface({ input: ctx.io.stdin, output: ctx.io.stderr, terminal: true });
    try {
      const smaller = plan.smaller ? ` (a smaller pick: ${planLine(plan.smaller)})` : "";
      const answer = await rl.question(
        `setup will pull ${planLine(plan)}${smaller}.\nPull ${clean(plan.model)} now? [Y/n] `,
        { signal: ctx.signal },
      );
      return !/^\s*n/i.test(answer);
    } finally {
      rl.close();
    }
  };
}
