/**
 * The dataset card (README.md) of the Hugging Face dataset, generated from the index: YAML metadata
 * the Hub reads (license, pretty_name, tags, size category, `configs` whose `data_files` point at
 * the JSONL files, so `load_dataset` and the dataset viewer work), then prose whose field table
 * comes from the schema's own descriptions.
 */
import { stringify } from "yaml";
import type { Index } from "../../schema/index.ts";
import { indexJsonSchema } from "../../schema/json-schema.ts";

function sizeCategory(n: number): string {
  if (n < 1_000) return "n<1K";
  if (n < 10_000) return "1K<n<10K";
  if (n < 100_000) return "10K<n<100K";
  return "100K<n<1M";
}

/** Top-level model-entry fields with their descriptions, from the generated JSON Schema. */
function fieldRows(): string[] {
  const schema = indexJsonSchema() as {
    properties: { models: { items: { properties: Record<string, { description?: string }>; required?: string[] } } };
  };
  const entry = schema.properties.models.items;
  return Object.entries(entry.properties).map(
    ([name, s]) =>
      `| \`${name}\` | ${entry.required?.includes(name) ? "yes" : "no"} | ${(s.description ?? "").replace(/\|/g, "\\|")} |`,
  );
}

export function datasetCard(index: Index, repo: string, siteUrl?: string): string {
  const tiers = index.tiers.map((t) => ({ ...t, count: index.models.filter((m) => m.tier === t.id).length }));
  const meta = {
    license: "apache-2.0",
    pretty_name: "Small LLM Index",
    tags: ["llm", "small-language-models", "gguf", "ollama", "model-catalog", "hardware-requirements"],
    size_categories: [sizeCategory(index.models.length)],
    configs: [
      { config_name: "all", data_files: [{ split: "train", path: "v1/models.jsonl" }], default: true },
      ...tiers.map((t) => ({ config_name: t.id, data_files: [{ split: "train", path: `v1/tiers/${t.id}.jsonl` }] })),
    ],
  };
  const lines = [
    "---",
    stringify(meta).trimEnd(),
    "---",
    "",
    "# Small LLM Index",
    "",
    "An automatically updated catalogue of small open LLMs — below 1B parameters, and 1B to 8B — discovered on the",
    "Hugging Face Hub by a scheduled pipeline. One entry per set of weights (quantized, converted and re-uploaded",
    "copies folded in), with the parameter count and its source, license, tasks, lineage, Ollama install refs",
    "(`hf.co/{repo}:{QUANT}`) per quant with file sizes, and the memory each quant needs with the hardware it fits.",
    "Nobody maintains this list by hand.",
    "",
    index.fixture ? "> **This version was built from test fixture data**, not the live Hub.\n" : "",
    `Version \`${index.version}\`, generated ${index.generatedAt}: ${index.models.length} models (${tiers.map((t) => `${t.count} ${t.id}`).join(", ")}).`,
    "",
    "## Files and configs",
    "",
    "| config | file | rows |",
    "| --- | --- | --- |",
    `| \`all\` (default) | \`v1/models.jsonl\` | ${index.models.length} |`,
    ...tiers.map((t) => `| \`${t.id}\` | \`v1/tiers/${t.id}.jsonl\` | ${t.count} |`),
    "",
    "Also: `v1/index.json` (the whole index with tier and hardware-profile definitions), `v1/index.schema.json`",
    "(its JSON Schema, 2020-12), `v1/changelog.json` (added / removed / changed per version), and",
    "`v1/tiers/{tier}.json`.",
    "",
    "## How to get it",
    "",
    "```sh",
    `hf download ${repo} --repo-type dataset --local-dir small-llm-index`,
    "```",
    "",
    "```python",
    "from datasets import load_dataset",
    `models = load_dataset("${repo}", "all", split="train")      # or "sub-1b", "1b-8b"`,
    "```",
    "",
    "Or from JavaScript with the `small-llm` npm package (cache, mirrors, offline fallback, Ollama install/run).",
    "",
    "## Fields (one JSON object per line)",
    "",
    "| field | always present | meaning |",
    "| --- | --- | --- |",
    ...fieldRows(),
    "",
    "Hardware profiles referred to by `fit[].fits`, `fit[].tokensPerSecond` and `fit[].offload`:",
    "",
    ...index.profiles.map(
      (p) =>
        `- \`${p.id}\`: ${p.label}, ${(p.usableBytes / 1024 ** 3).toFixed(1)} GiB usable, ${p.contextLength} tokens of context by default${p.description ? `. ${p.description}` : ""}`,
    ),
    "",
    "## How it is made",
    "",
    "A daily job lists text-generation models on the Hub through several routes (parameter-count buckets, GGUF",
    "repos, search terms, fine-tunes of popular bases), resolves parameter counts (safetensors → GGUF metadata →",
    "an estimate from config.json → the repo name, recorded per entry), drops non-LLMs, folds variants by lineage",
    "and identical weight hashes, picks GGUF files for Ollama, and estimates memory as GGUF bytes + KV cache from",
    "config.json + Ollama's compute-graph estimate. A run that fails validation or loses more than 30 % of the",
    "entries publishes nothing.",
    ...(siteUrl ? ["", `Browse it at ${siteUrl}.`] : []),
    "",
  ];
  return lines.filter((l, i, all) => !(l === "" && all[i - 1] === "")).join("\n");
}
