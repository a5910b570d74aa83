/** Commands about the catalogue: models, show, recommend, refresh. */
import type { IndexResult } from "../catalog/get-index.ts";
import type { TASK_TAGS } from "../catalog/model-filters.ts";
import { memoryAt } from "../core/best-fit.ts";
import { LONG_FIRST_TOKEN_SECONDS } from "../core/estimate-speed.ts";
import { bytes, count, params, tokens } from "../core/format.ts";
import type { Sort } from "../core/query-models.ts";
import { IndexRefreshError } from "../errors/index.ts";
import type { Operations } from "../operations/index.ts";
import { secondsText } from "../recommend/recommend.ts";
import type { RecommendationRow, RecommendReport } from "../recommend/recommend-report.ts";
import { type Context, describeSource } from "./context.ts";
import { table } from "./render.ts";

/** The catalogue commands need no runtime: their operations run on the Router alone. */
const catalogue = (ctx: Context): Promise<Operations> => ctx.operations({ start: false });

type TaskTag = (typeof TASK_TAGS)[number];

export interface ModelsOptions {
  tier?: string;
  fits?: string;
  task?: TaskTag;
  search?: string;
  sort?: Sort;
  limit?: number;
  installable?: boolean;
}

export async function modelsCommand(options: ModelsOptions, ctx: Context): Promise<void> {
  const { models: rows, budgets } = await (await catalogue(ctx)).listModels(options, ctx.signal);
  if (ctx.json) {
    ctx.print(JSON.stringify(rows));
    return;
  }
  ctx.info(describeSource(await ctx.loadIndex()));
  ctx.print(
    table(
      [
        "MODEL",
        "PARAMS",
        "TIER",
        "CONTEXT",
        "LICENSE",
        "DOWNLOADS",
        budgets ? "BEST FIT (MEMORY @4K)" : "DEFAULT (DOWNLOAD)",
      ],
      rows.map((m) => {
        const pick = m.bestFit ?? m.install.find((t) => t.default);
        const size = m.bestFit ? bytes(m.bestFit.memoryBytes) : bytes(m.install.find((t) => t.default)?.fileBytes);
        return [
          m.id,
          `${params(m.params.total)}${m.params.source === "name" ? "?" : ""}`,
          m.tier,
          tokens(m.contextLength),
          m.license ?? "–",
          count(m.downloads),
          pick ? `${pick.quant} ${size}` : "no GGUF yet",
        ];
      }),
      { width: ctx.columns },
    ),
  );
  const noGguf = rows.filter((r) => r.install.length === 0).length;
  ctx.info(
    `${rows.length} models${noGguf ? ` (${noGguf} without a GGUF build for Ollama yet; --installable hides them)` : ""}`,
  );
}

export async function showCommand(id: string, ctx: Context): Promise<void> {
  const { model: m } = await (await catalogue(ctx)).showModel({ id }, ctx.signal);
  const profiles = (await ctx.loadIndex()).index.profiles;
  if (ctx.json) {
    ctx.print(JSON.stringify(m, null, 2));
    return;
  }
  ctx.info(describeSource(await ctx.loadIndex()));
  const lines = [
    `${m.id}  (https://huggingface.co/${m.id})`,
    `  params:     ${params(m.params.total)} (${m.params.source})${m.params.active ? `, ${params(m.params.active)} active` : ""}, tier ${m.tier}`,
    `  arch:       ${m.architecture ?? "–"}, context ${m.contextLength ? `${m.contextLength} tokens` : "–"}`,
    `  license:    ${m.license ?? "–"}${m.gated ? " (gated on the Hub)" : ""}`,
    `  tasks:      ${m.tasks.join(", ")}`,
    `  downloads:  ${count(m.downloads)} in 30 days, ${count(m.likes)} likes; updated ${m.lastModified.slice(0, 10)}`,
  ];
  if (m.baseModel) lines.push(`  base:       ${m.baseModel}`);
  if (m.variants.length)
    lines.push(
      `  variants:   ${m.variants.map((v) => `${v.id} (${v.relation}, ${v.format})`).join("\n              ")}`,
    );
  ctx.print(lines.join("\n"));
  if (!m.install.length) {
    ctx.print("\nNo GGUF build for Ollama yet.");
    return;
  }
  // One table per GGUF repo, under the ref it is pulled as: the refs stay whole, the rows fit the terminal.
  const repos = new Map<string, typeof m.install>();
  for (const t of m.install) {
    const base = t.ref.replace(/:[^:/]*$/, "");
    repos.set(base, [...(repos.get(base) ?? []), t]);
  }
  for (const [base, targets] of repos) {
    ctx.print(`\n${base}:<QUANT>`);
    ctx.print(
      table(
        ["QUANT", "DOWNLOAD", "MEMORY @4K", "FITS (SMALLEST OF EACH KIND)"],
        targets.map((t) => {
          const f = m.fit.find((x) => x.quant === t.quant && x.contextLength === 4096);
          return [
            `${t.quant}${t.default ? "*" : ""}`,
            bytes(t.fileBytes),
            bytes(memoryAt(m, t.quant, 4096)),
            fitsShort(f?.fits ?? [], profiles),
          ];
        }),
        { width: ctx.columns },
      ),
    );
  }
  ctx.print(
    `\n* default.  Install: small-llm install ${m.id}    or: ollama run ${m.install.find((t) => t.default)?.ref}`,
  );
}

const KIND_LABEL: Record<string, string> = { gpu: "GPU", unified: "Mac", cpu: "CPU" };

/** The profiles a quant fits, short: the smallest machine of each kind, `GPU ≥ 4 GB · Mac ≥ 8 GB · CPU ≥ 8 GB`. */
export function fitsShort(
  fits: readonly string[],
  profiles: readonly { id: string; kind: string; memoryBytes: number }[],
): string {
  const parts: string[] = [];
  for (const kind of ["gpu", "unified", "cpu"]) {
    const smallest = profiles
      .filter((p) => p.kind === kind && fits.includes(p.id))
      .sort((a, b) => a.memoryBytes - b.memoryBytes)[0];
    if (smallest) parts.push(`${KIND_LABEL[kind]} ≥ ${Math.round(smallest.memoryBytes / 2 ** 30)} GB`);
  }
  return parts.join(" · ") || "none of the profiles";
}

export interface RecommendCliOptions {
  tier?: string;
  task?: TaskTag;
  context: number;
  fits?: string;
  limit: number;
  minSpeed?: number;
}

/** What a row's speed means beyond its number: measured, split, a long wait, too slow. */
function speedNote(row: RecommendationRow, report: RecommendReport): string {
  const minSpeed = report.speed.minSpeed;
  const notes: string[] = [];
  if (row.source === "measured") notes.push("measured here");
  if (row.offload) notes.push(`${row.offload.gpuLayers}/${row.offload.totalLayers} layers on the GPU`);
  else if (row.budget.kind === "cpu" && report.speed.devices.length > 1) notes.push("on the CPU");
  if (row.firstTokenSeconds !== undefined && row.firstTokenSeconds >= LONG_FIRST_TOKEN_SECONDS)
    notes.push(`first token ~${secondsText(row.firstTokenSeconds)}`);
  if (!row.usable) notes.push(`below ${minSpeed} tokens/s`);
  return notes.join(", ");
}

export async function recommendCommand(options: RecommendCliOptions, ctx: Context): Promise<void> {
  const report = await (await catalogue(ctx)).recommend(options, ctx.signal);
  if (ctx.json) {
    ctx.print(JSON.stringify(report, null, 2));
    return;
  }
  ctx.info(describeSource(await ctx.loadIndex()));
  const { hardware, speed } = report;
  const gpus = hardware.gpus.map((g) => `${g.name} ${bytes(g.vramBytes)}`).join(", ") || "no GPU found";
  ctx.info(
    `hardware: ${bytes(hardware.ram.totalBytes)} RAM, ${gpus}${options.fits ? ` (using --fits ${options.fits})` : ""}`,
  );
  for (const d of speed.devices) ctx.info(`  ${d.budget}: read at ${d.bandwidthGBs} GB/s (${d.source}: ${d.basis})`);
  for (const c of speed.calibrations) ctx.info(`  ${c.budget}: speeds re-fitted from ${c.runs} models measured here`);
  if (!report.recommendations.length) {
    // Say which filter left nothing: no model of that task or tier at all is not a matter of fit.
    const { index } = await ctx.loadIndex();
    const task = options.task;
    const tier = options.tier;
    const candidates = index.models.filter(
      (m) => (!task || m.tasks.includes(task)) && (!tier || m.tier === tier),
    ).length;
    ctx.print(
      candidates
        ? "Nothing in the index fits this machine at that context length."
        : `No model of the index has ${[task ? `the task ${task}` : "", tier ? `the tier ${tier}` : ""].filter(Boolean).join(" and ")} (\`small-llm models\` lists what it has).`,
    );
    return;
  }
  ctx.print(
    table(
      ["MODEL", "PARAMS", "QUANT", "TOKENS/S", "MEMORY", "DOWNLOAD", "NOTE"],
      report.recommendations.map((p) => [
        p.id,
        params(p.params.total),
        p.quant,
        p.tokensPerSecond === undefined ? "–" : `${p.source === "measured" ? "" : "~"}${p.tokensPerSecond}`,
        bytes(p.memoryBytes),
        bytes(p.fileBytes),
        speedNote(p, report),
      ]),
      { width: ctx.columns },
    ),
  );
  ctx.info(
    `tokens/s at ${report.contextLength} tokens of context; ~ estimated (typically within ±25 %), ` +
      `the rest measured here. \`small-llm bench\` measures what is installed; --min-speed sets the floor (${speed.minSpeed}).`,
  );
}

export function refreshOutput(result: IndexResult, ctx: Context): void {
  if (result.source !== "network" && result.source !== "file") {
    throw new IndexRefreshError(
      `the ${result.source} copy (${result.index.version})`,
      result.attempts.filter((a) => !a.source.startsWith("cache")),
    );
  }
  if (ctx.json) {
    ctx.print(
      JSON.stringify(
        {
          source: result.source,
          version: result.index.version,
          models: result.index.models.length,
          url: result.url,
          fetchedAt: result.fetchedAt,
          attempts: result.attempts,
          warnings: result.warnings,
        },
        null,
        2,
      ),
    );
    return;
  }
  ctx.print(describeSource(result));
  for (const a of result.attempts) ctx.info(`  ${a.source}: ${a.error}`);
}
