/**
 * Builder for the real-Hub classes of issue 10 (real-hub-*.ts): list answers in the shapes the Hub
 * gives for them — pipeline tags (or none), tags, libraries, config digests, file layouts, lineage.
 */
import {
  BPW,
  CHAT_TEMPLATE,
  configFile,
  type FixtureFile,
  type FixtureRepo,
  makeInfo,
  readme,
  weight,
} from "./build.ts";

export interface RealSpec {
  id: string;
  downloads: number;
  created?: string;
  pipeline?: string;
  library?: string;
  tags?: string[];
  /** The list's config digest; also served as config.json unless `configJson` is given. */
  config?: Record<string, unknown>;
  configJson?: Record<string, unknown>;
  safetensors?: number;
  /** Stored parameters by dtype, when not all BF16 (quantized copies: U8, F8_E4M3, I32). */
  dtypes?: Record<string, number>;
  gguf?: Record<string, unknown>;
  /** File names; weight files get sizes and LFS hashes. */
  files: string[];
  bases?: { id: string; relation: string }[];
  license?: string;
  gated?: "manual" | "auto";
  /** Extra card metadata (datasets, tags). */
  card?: Record<string, unknown>;
  /** Whose weights the files hold (a byte-identical copy shares the hashes). */
  weightsOf?: string;
}

const WEIGHTS = /\.(safetensors|bin|gguf|pth|onnx|npz)$/;

export function realRepo(s: RealSpec): FixtureRepo {
  const stored = s.dtypes ? Object.values(s.dtypes).reduce((a, b) => a + b, 0) : s.safetensors;
  const params = stored ?? (s.gguf?.total as number | undefined) ?? 100_000_000;
  const weights = s.files.filter((f) => WEIGHTS.test(f));
  const files: FixtureFile[] = [readme(s.id)];
  for (const path of s.files) {
    if (path === "config.json") files.push(configFile(s.configJson ?? s.config ?? {}));
    else if (WEIGHTS.test(path)) {
      const quant = /(Q\d_K_[MSL]|Q\d_K|Q\d_0|F16|BF16)/i.exec(path)?.[1]?.toUpperCase();
      const size = quant ? Math.round((params * (BPW[quant] ?? 5)) / 8) : Math.round((params * 2) / weights.length);
      files.push(weight(s.weightsOf ?? s.id, path, size));
    } else files.push({ path, size: 2_000, content: "{}\n" });
  }
  const info = makeInfo(s.id, {
    downloads: s.downloads,
    ...(s.created ? { created: s.created } : {}),
    pipeline: s.pipeline,
    library: s.library,
    tags: s.tags ?? [],
    license: s.license ?? "apache-2.0",
    baseModels: s.bases ?? [],
    gated: s.gated ?? false,
    config: s.config ?? {},
    safetensors: stored,
    gguf: s.gguf,
    files,
  });
  if (s.dtypes) info.safetensors = { parameters: s.dtypes, total: stored };
  if (s.card) info.cardData = { ...(info.cardData as object), ...s.card };
  return { info, files, ...(s.gated ? { gatedFiles: true } : {}) };
}

export const ST = ["transformers", "safetensors"];
export const chat = (architectures: string[], model_type: string, template = CHAT_TEMPLATE) => ({
  architectures,
  model_type,
  tokenizer_config: { chat_template: template },
});
export const one = ["config.json", "model.safetensors", "tokenizer.json"];
export const shards = (n: number) => Array.from({ length: n }, (_, i) => `model-0000${i + 1}-of-0000${n}.safetensors`);
export const gguf = (name: string, quants: string[]) => quants.map((q) => `${name}-${q}.gguf`);
