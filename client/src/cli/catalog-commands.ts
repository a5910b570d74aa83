/** Commands about the catalogue: models, show, recommend, refresh. */
import type { ModelEntry } from "../../../schema/index.ts";
import { IndexRefreshError, UnknownModelError } from "../errors.ts";
import { detectHardware } from "../hardware/detect-hardware.ts";
import type { IndexResult } from "../index-source/get-index.ts";
import { findModel } from "../ollama/model-ref.ts";
import { bestFit, budgetFromFits, type MemoryBudget, memoryBudgets, recommend } from "../recommend.ts";
import { age, bytes, count, params, table, tokens } from "./render.ts";
import { UsageError } from "./usage-error.ts";

export interface Out {
  json: boolean;
  print: (text: string) => void;
  info: (text: string) => void;
}

export function describeSource(r: IndexResult): string {
  const note =
    r.source === "stale-cache" || r.source === "bundled" ? " — offline copy; `small-llm refresh` when online" : "";
  return `index ${r.index.version} (${r.index.models.length} models) from ${r.source}, ${age(r.ageMs)} old${note}`;
}

async function budgetsFor(result: IndexResult, fits: string | undefined): Promise<MemoryBudget[] | undefined> {
  if (fits === undefined) return undefined;
  if (fits === "auto") return memoryBudgets(await detectHardware());
  const budget = budgetFromFits(result.index, fits);
  if (!budget)
    throw new UsageError(
      `--fits takes "auto", a profile id (${result.index.profiles.map((p) => p.id).join(", ")}) or a size in GB, not "${fits}"`,
    );
  return [budget];
}

export async function modelsCommand(
  result: IndexResult,
  options: { tier?: string; fits?: string; task?: string; search?: string; sort?: string; limit?: string },
  out: Out,
): Promise<void> {
  const { index } = result;
  if (options.tier && !index.tiers.some((t) => t.id === options.tier)) {
    throw new UsageError(`--tier takes one of ${index.tiers.map((t) => t.id).join(", ")}, not "${options.tier}"`);
  }
  const budgets = await budgetsFor(result, options.fits);
  const needle = options.search?.toLowerCase();
  let rows = index.models
    .filter((m) => !options.tier || m.tier === options.tier)
    .filter((m) => !options.task || m.tasks.includes(options.task))
    .filter((m) => !needle || m.id.toLowerCase().includes(needle) || (m.baseModel ?? "").toLowerCase().includes(needle))
    .map((m) => ({ model: m, fit: budgets ? bestFit(m, budgets, 4096) : undefined }))
    .filter((r) => !budgets || r.fit);
  const sort = options.sort ?? "downloads";
  const by: Record<string, (a: ModelEntry, b: ModelEntry) => number> = {
    downloads: (a, b) => b.downloads - a.downloads,
    params: (a, b) => b.params.total - a.params.total,
    newest: (a, b) => b.createdAt.localeCompare(a.createdAt),
    name: (a, b) => a.id.localeCompare(b.id),
  };
  const compare = by[sort];
  if (!compare) throw new UsageError(`--sort takes one of ${Object.keys(by).join(", ")}, not "${sort}"`);
  rows.sort((a, b) => compare(a.model, b.model) || a.model.id.localeCompare(b.model.id));
  if (options.limit) rows = rows.slice(0, Number(options.limit));
  if (out.json) {
    out.print(
      JSON.stringify(
        rows.map((r) =>
          r.fit
            ? {
                ...r.model,
                bestFit: { quant: r.fit.install.quant, ref: r.fit.install.ref, memoryBytes: r.fit.memoryBytes },
              }
            : r.model,
        ),
      ),
    );
    return;
  }
  out.info(describeSource(result));
  out.print(
    table(
      ["MODEL", "PARAMS", "TIER", "CONTEXT", "LICENSE", "DOWNLOADS", budgets ? "BEST FIT" : "DEFAULT"],
      rows.map(({ model: m, fit }) => {
        const pick = fit ? fit.install : m.install.find((t) => t.default);
        const memory = fit
          ? fit.memoryBytes
          : pick
            ? m.fit.find((f) => f.quant === pick.quant && f.contextLength === 4096)?.memoryBytes
            : undefined;
        return [
          m.id,
          `${params(m.params.total)}${m.params.source === "name" ? "?" : ""}`,
          m.tier,
          m.contextLength ? tokens(m.contextLength) : "-",
          m.license ?? "-",
          count(m.downloads),
          pick ? `${pick.quant} ${bytes(memory)}` : "no GGUF yet",
        ];
      }),
    ),
  );
  out.info(`${rows.length} models`);
}

export function showCommand(result: IndexResult, id: string, out: Out): void {
  const m = findModel(result.index, id);
  if (!m) throw new UnknownModelError(id, "not in the index; try `small-llm models --search <words>`");
  if (out.json) {
    out.print(JSON.stringify(m, null, 2));
    return;
  }
  const lines = [
    `${m.id}  (https://huggingface.co/${m.id})`,
    `  params:     ${params(m.params.total)} (${m.params.source})${m.params.active ? `, ${params(m.params.active)} active` : ""}, tier ${m.tier}`,
    `  arch:       ${m.architecture ?? "-"}, context ${m.contextLength ?? "-"}`,
    `  license:    ${m.license ?? "-"}${m.gated ? " (gated on the Hub)" : ""}`,
    `  tasks:      ${m.tasks.join(", ")}`,
    `  downloads:  ${count(m.downloads)} in 30 days, ${count(m.likes)} likes; updated ${m.lastModified.slice(0, 10)}`,
  ];
  if (m.baseModel) lines.push(`  base:       ${m.baseModel}`);
  if (m.variants.length)
    lines.push(
      `  variants:   ${m.variants.map((v) => `${v.id} (${v.relation}, ${v.format})`).join("\n              ")}`,
    );
  out.print(lines.join("\n"));
  if (!m.install.length) {
    out.print("\nNo GGUF build for Ollama yet.");
    return;
  }
  out.print("");
  out.print(
    table(
      ["QUANT", "FILE", "MEMORY @4K", "FITS", "REF"],
      m.install.map((t) => {
        const f = m.fit.find((x) => x.quant === t.quant && x.contextLength === 4096);
        return [
          `${t.quant}${t.default ? "*" : ""}`,
          bytes(t.fileBytes),
          bytes(f?.memoryBytes),
          f?.fits.join(" ") || "-",
          t.ref,
        ];
      }),
    ),
  );
  out.print(`\nInstall: small-llm install ${m.id}    or: ollama run ${m.install.find((t) => t.default)?.ref}`);
}

export async function recommendCommand(
  result: IndexResult,
  options: { tier?: string; task?: string; context?: string; fits?: string; limit?: string },
  out: Out,
): Promise<void> {
  const hardware = await detectHardware();
  const budgets = await budgetsFor(result, options.fits);
  const contextLength = options.context ? Number(options.context) : 4096;
  if (!Number.isInteger(contextLength) || contextLength <= 0)
    throw new UsageError(`--context takes a number of tokens, not "${options.context}"`);
  const picks = recommend(result.index, hardware, {
    tier: options.tier,
    task: options.task,
    contextLength,
    budget: budgets?.[0],
    limit: Number(options.limit ?? 10),
  });
  if (out.json) {
    out.print(
      JSON.stringify(
        {
          hardware,
          recommendations: picks.map((p) => ({
            id: p.model.id,
            quant: p.install.quant,
            ref: p.install.ref,
            memoryBytes: p.memoryBytes,
            why: p.why,
          })),
        },
        null,
        2,
      ),
    );
    return;
  }
  const gpus = hardware.gpus.map((g) => `${g.name} ${bytes(g.vramBytes ?? undefined)}`).join(", ") || "no GPU found";
  out.info(
    `hardware: ${bytes(hardware.ram.totalBytes ?? undefined)} RAM, ${gpus}${budgets ? ` (using --fits ${options.fits})` : ""}`,
  );
  if (!picks.length) {
    out.print("Nothing in the index fits this machine at that context length.");
    return;
  }
  out.print(
    table(
      ["MODEL", "PARAMS", "QUANT", "WHY"],
      picks.map((p) => [p.model.id, params(p.model.params.total), p.install.quant, p.why]),
    ),
  );
}

export function refreshOutput(result: IndexResult, out: Out): void {
  if (result.source !== "network") {
    throw new IndexRefreshError(
      `the ${result.source} copy (${result.index.version})`,
      result.attempts.filter((a) => !a.source.startsWith("cache")),
    );
  }
  if (out.json) {
    out.print(
      JSON.stringify(
        {
          source: result.source,
          version: result.index.version,
          models: result.index.models.length,
          url: result.url,
          fetchedAt: result.fetchedAt,
          attempts: result.attempts,
        },
        null,
        2,
      ),
    );
    return;
  }
  out.print(describeSource(result));
  for (const a of result.attempts) out.info(`  ${a.source}: ${a.error}`);
}
