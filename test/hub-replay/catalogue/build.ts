/**
 * Builders for the fixture Hub catalogue: repo answers in the shapes the real Hub sends (see
 * ../shared/reference/hub-samples), from specs. Files of specs are grouped by class beside this one.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

export interface FixtureFile {
  path: string;
  size: number;
  /** LFS sha256 for weight files. */
  sha256?: string;
  /** Served by /resolve/ (config.json). */
  content?: string;
}

export interface FixtureRepo {
  /** The model object as `/api/models/{id}` returns it with every field expanded. */
  info: Record<string, unknown> & { id: string; downloads: number };
  files: FixtureFile[];
  /** `/resolve/` answers 401 GatedRepo without an approved token. */
  gatedFiles?: boolean;
  /** `/api/models/{id}` itself answers 401 GatedRepo (seen on the real Hub for some gated repos). */
  gatedInfo?: boolean;
}

export const hex = (s: string, n = 64) => createHash("sha256").update(s).digest("hex").slice(0, n);
const configDir = new URL("../../../pipeline/test/fixtures/configs/", import.meta.url);
export const realConfig = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`${file}.json`, configDir), "utf8"));

/** Bits per weight of common llama.cpp quants, for realistic file sizes. */
export const BPW: Record<string, number> = {
  Q2_K: 2.96,
  Q3_K_M: 3.91,
  Q4_0: 4.55,
  IQ4_XS: 4.46,
  Q4_K_M: 4.85,
  Q5_K_M: 5.69,
  Q6_K: 6.59,
  Q8_0: 8.5,
  F16: 16,
  BF16: 16,
};

export interface BaseSpec {
  id: string;
  params: number;
  config: string | Record<string, unknown>;
  license: string;
  chat?: boolean;
  gated?: "manual" | "auto";
  pipeline?: string;
  downloads: number;
  created: string;
  /** Only a pytorch_model.bin: no safetensors metadata, discovered by search, sized from config. */
  noSafetensors?: boolean;
  languages?: string[];
  extraTags?: string[];
  base?: { id: string; relation: "finetune" | "merge" | "quantized" }[];
  /** Its chat template, when it is not the plain one (one that takes tools, say). */
  template?: string;
}

/** A GGUF repo of `base` by `owner`, with its quant files. */
export interface GgufSpec {
  owner: string;
  base: string;
  quants: string[];
  downloads: number;
  /** Split the F16 file into two shards, as uploaders do for big files. */
  shardF16?: boolean;
  mmproj?: boolean;
  gated?: boolean;
  /** File names in lower case (`model-q4_k_m.gguf`), as some uploaders write them. */
  lowerCase?: boolean;
}

export interface ConversionSpec {
  id: string;
  base: string;
  format: "mlx" | "onnx" | "awq" | "gptq" | "bnb" | "fp8";
  downloads: number;
}

export interface NonLlmSpec {
  id: string;
  pipeline?: string;
  library?: string;
  params?: number;
  tags?: string[];
  gguf?: string;
  base?: string;
  configExtra?: Record<string, unknown>;
  downloads: number;
}

let clock = 0;
/** Restart the synthetic creation dates, so every build gives the same catalogue. */
export const resetClock = () => {
  clock = 0;
};
const objectId = (id: string) => hex(`_id:${id}`, 24);

export function makeInfo(
  id: string,
  fields: {
    downloads: number;
    created?: string;
    pipeline?: string | undefined;
    library?: string | undefined;
    tags: string[];
    license?: string;
    baseModels?: { id: string; relation: string }[];
    gated?: false | "manual" | "auto";
    config?: Record<string, unknown>;
    safetensors?: number | undefined;
    gguf?: Record<string, unknown> | undefined;
    files: FixtureFile[];
  },
): FixtureRepo["info"] {
  const [author] = id.split("/");
  const created = fields.created ?? new Date(Date.UTC(2024, 0, 1) + (clock++ % 600) * 86_400_000).toISOString();
  const bases = fields.baseModels ?? [];
  const tags = [
    ...fields.tags,
    ...(fields.pipeline ? [fields.pipeline] : []),
    ...(fields.license ? [`license:${fields.license}`] : []),
    ...bases.flatMap((b) => [`base_model:${b.id}`, `base_model:${b.relation}:${b.id}`]),
    "region:us",
  ];
  const info: FixtureRepo["info"] = {
    _id: objectId(id),
    id,
    author,
    sha: hex(`sha:${id}`, 40),
    downloads: fields.downloads,
    downloadsAllTime: fields.downloads * 7,
    likes: Math.round(fields.downloads / 900),
    trendingScore: Math.round(fields.downloads / 20_000),
    createdAt: created,
    lastModified: new Date(Date.parse(created) + 5 * 86_400_000).toISOString(),
    private: false,
    disabled: false,
    gated: fields.gated ?? false,
    tags: [...new Set(tags)],
    cardData: {
      ...(fields.license ? { license: fields.license } : {}),
      ...(bases.length ? { base_model: bases.length === 1 ? bases[0]?.id : bases.map((b) => b.id) } : {}),
      ...(fields.gated ? { extra_gated_prompt: "You agree to the license terms before downloading." } : {}),
    },
    config: fields.config ?? {},
    siblings: fields.files.map((f) => ({ rfilename: f.path })),
    spaces: [],
  };
  if (fields.pipeline) info.pipeline_tag = fields.pipeline;
  if (fields.library) info.library_name = fields.library;
  if (fields.safetensors !== undefined)
    info.safetensors = { parameters: { BF16: fields.safetensors }, total: fields.safetensors };
  if (fields.gguf) info.gguf = fields.gguf;
  return info;
}

export const weight = (repo: string, path: string, size: number, sameAs?: string): FixtureFile => ({
  path,
  size,
  sha256: hex(`weights:${sameAs ?? repo}:${path}`),
});
export const configFile = (config: Record<string, unknown>): FixtureFile => {
  const content = `${JSON.stringify(config, null, 2)}\n`;
  return { path: "config.json", size: Buffer.byteLength(content), content };
};
export const readme = (id: string): FixtureFile => ({
  path: "README.md",
  size: 1000 + (id.length % 97),
  content: `# ${id}\n`,
});

/** A template in the shape of Qwen3's, which renders the tools a caller passes. */
export const TOOLS_TEMPLATE =
  "{%- if tools %}{{- '<tools>' }}{%- for tool in tools %}{{ tool | tojson }}{%- endfor %}{{- '</tools>' }}{%- endif %}{% for message in messages %}{{ message['content'] }}{% endfor %}";
export const CHAT_TEMPLATE =
  "{% for message in messages %}{{ message['role'] }}: {{ message['content'] }}\n{% endfor %}";
