/** Repo answers built from specs: full-weights repos, GGUF repos, conversions, non-LLMs, synthetic fine-tunes. */
import {
  type BaseSpec,
  BPW,
  CHAT_TEMPLATE,
  type ConversionSpec,
  configFile,
  type FixtureFile,
  type FixtureRepo,
  type GgufSpec,
  makeInfo,
  type NonLlmSpec,
  readme,
  realConfig,
  weight,
} from "./build.ts";

export function baseRepo(spec: BaseSpec, weightsOf = spec.id): FixtureRepo {
  const config = typeof spec.config === "string" ? realConfig(spec.config) : spec.config;
  const files = [
    readme(spec.id),
    configFile(config),
    { path: "generation_config.json", size: 242, content: "{}\n" },
    spec.noSafetensors
      ? weight(weightsOf, "pytorch_model.bin", spec.params * 2)
      : weight(weightsOf, "model.safetensors", spec.params * 2),
  ];
  const library = "transformers";
  const modelType = String((config as { model_type?: string }).model_type ?? "");
  const info = makeInfo(spec.id, {
    downloads: spec.downloads,
    created: spec.created,
    pipeline: spec.pipeline ?? "text-generation",
    library,
    tags: [
      library,
      ...(spec.noSafetensors ? ["pytorch"] : ["safetensors"]),
      modelType,
      ...(spec.chat ? ["conversational"] : []),
      ...(spec.languages ?? ["en"]),
      ...(spec.extraTags ?? []),
      "text-generation-inference",
      "endpoints_compatible",
    ],
    license: spec.license,
    baseModels: spec.base ?? [],
    gated: spec.gated ?? false,
    config: {
      architectures: (config as { architectures?: string[] }).architectures ?? [],
      model_type: modelType,
      ...(spec.chat ? { tokenizer_config: { chat_template: spec.template ?? CHAT_TEMPLATE } } : {}),
    },
    safetensors: spec.noSafetensors ? undefined : spec.params,
    files,
  });
  return { info, files, ...(spec.gated ? { gatedFiles: true } : {}) };
}

export function ggufRepo(spec: GgufSpec, baseSpec: BaseSpec | undefined): FixtureRepo {
  const name = spec.base.split("/")[1] ?? spec.base;
  const id = `${spec.owner}/${name}-GGUF`;
  const params = baseSpec?.params ?? 330_000_000;
  const config = baseSpec && (typeof baseSpec.config === "string" ? realConfig(baseSpec.config) : baseSpec.config);
  const arch = String(config?.model_type ?? "llama");
  const files: FixtureFile[] = [readme(id)];
  for (const quant of spec.quants) {
    const size = Math.round((params * (BPW[quant] ?? 5)) / 8) + 2_000_000;
    const label = spec.lowerCase ? quant.toLowerCase() : quant;
    if (quant === "F16" && spec.shardF16) {
      files.push(weight(id, `${name}-${label}-00001-of-00002.gguf`, Math.ceil(size / 2)));
      files.push(weight(id, `${name}-${label}-00002-of-00002.gguf`, Math.floor(size / 2)));
    } else {
      files.push(weight(id, `${name}-${label}.gguf`, size));
    }
  }
  if (spec.mmproj) files.push(weight(id, `mmproj-${name}-f16.gguf`, 851_000_000));
  const f16 = files.find((f) => /f16|bf16/i.test(f.path));
  const info = makeInfo(id, {
    downloads: spec.downloads,
    tags: ["gguf", ...(baseSpec?.chat ? ["conversational"] : []), "endpoints_compatible"],
    license: baseSpec?.license ?? "apache-2.0",
    baseModels: [{ id: spec.base, relation: "quantized" }],
    gated: spec.gated ? "auto" : false,
    gguf: {
      total: params,
      architecture: arch === "gemma3_text" ? "gemma3" : arch,
      context_length: 32768,
      chat_template: CHAT_TEMPLATE,
      bos_token: "<s>",
      eos_token: "</s>",
      totalFileSize: f16?.size ?? files[1]?.size,
    },
    files,
  });
  return { info, files, ...(spec.gated ? { gatedFiles: true } : {}) };
}

export function conversionRepo(c: ConversionSpec, baseSpec: BaseSpec): FixtureRepo {
  const config = typeof baseSpec.config === "string" ? realConfig(baseSpec.config) : baseSpec.config;
  const quantized = ["awq", "gptq", "bnb", "fp8"].includes(c.format);
  const library = c.format === "mlx" ? "mlx" : c.format === "onnx" ? "transformers.js" : "transformers";
  const files = [
    readme(c.id),
    configFile(config),
    weight(c.id, c.format === "onnx" ? "onnx/model_q4.onnx" : "model.safetensors", baseSpec.params),
  ];
  const info = makeInfo(c.id, {
    downloads: c.downloads,
    pipeline: "text-generation",
    library,
    tags: [
      library,
      c.format === "onnx" ? "onnx" : "safetensors",
      ...(c.format === "mlx" ? ["mlx", "4-bit"] : []),
      ...(c.format === "bnb" ? ["4-bit", "bitsandbytes"] : []),
      ...(c.format === "awq" ? ["4-bit", "awq"] : []),
      ...(c.format === "gptq" ? ["4-bit", "gptq"] : []),
      ...(c.format === "fp8" ? ["fp8", "compressed-tensors"] : []),
      "conversational",
    ],
    license: baseSpec.license,
    baseModels: [{ id: c.base, relation: "quantized" }],
    config: {
      architectures: (config as { architectures?: string[] }).architectures ?? [],
      model_type: (config as { model_type?: string }).model_type,
      ...(quantized
        ? {
            quantization_config: {
              quant_method: c.format === "bnb" ? "bitsandbytes" : c.format === "fp8" ? "compressed-tensors" : c.format,
            },
          }
        : {}),
    },
    // Packed 4-bit weights make the Hub's count look smaller than the model: one reason to fold.
    safetensors:
      c.format === "onnx" ? undefined : Math.round(baseSpec.params / (quantized || c.format === "mlx" ? 3.2 : 1)),
    files,
  });
  return { info, files };
}

export function nonLlmRepo(n: NonLlmSpec): FixtureRepo {
  const files: FixtureFile[] = [readme(n.id)];
  if (n.gguf) files.push(weight(n.id, `${n.id.split("/")[1]}.f16.gguf`, (n.params ?? 1e8) * 2));
  else if (n.library === "peft")
    files.push(
      { path: "adapter_config.json", size: 700, content: "{}\n" },
      weight(n.id, "adapter_model.safetensors", 45_000_000),
    );
  else
    files.push(
      configFile({ model_type: "bert", ...n.configExtra }),
      weight(n.id, "model.safetensors", (n.params ?? 1e8) * 2),
    );
  const info = makeInfo(n.id, {
    downloads: n.downloads,
    pipeline: n.pipeline,
    library: n.library ?? (n.gguf ? undefined : "transformers"),
    tags: [...(n.gguf ? ["gguf"] : n.library ? [n.library] : []), ...(n.tags ?? [])],
    license: "apache-2.0",
    baseModels: n.base ? [{ id: n.base, relation: "adapter" }] : [],
    config:
      n.library === "peft"
        ? { peft: { base_model_name_or_path: n.base, task_type: "CAUSAL_LM" } }
        : (n.configExtra ?? {}),
    safetensors: n.gguf || n.library === "peft" ? undefined : n.params,
    gguf: n.gguf
      ? { total: n.params, architecture: n.gguf, context_length: 2048, totalFileSize: (n.params ?? 0) * 2 }
      : undefined,
    files,
  });
  return { info, files };
}

/** Synthetic community fine-tunes with a GGUF each, to reach bench scale. */
export function synthetic(index: number, bases: BaseSpec[]): FixtureRepo[] {
  const base = bases[index % bases.length] as BaseSpec;
  const name = `${base.id.split("/")[1]}-ft${index}`;
  const spec: BaseSpec = {
    ...base,
    id: `community-${index % 97}/${name}`,
    chat: true,
    gated: undefined,
    downloads: 200 + ((index * 7919) % 50_000),
    created: new Date(Date.UTC(2025, 0, 1) + (index % 300) * 86_400_000).toISOString(),
    base: [{ id: base.id, relation: "finetune" }],
    noSafetensors: false,
  };
  const repos = [baseRepo(spec)];
  if (index % 2 === 0) {
    repos.push(
      ggufRepo(
        { owner: "mradermacher", base: spec.id, quants: ["Q4_K_M", "Q8_0"], downloads: 100 + (index % 900) },
        spec,
      ),
    );
  }
  return repos;
}
