import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { estimateParams } from "./estimate-params.ts";

/**
 * Real config.json files with published parameter counts; each row of counts.json cites its source
 * (Hub safetensors totals, model cards, keras-hub presets). See test/fixtures/configs/README.md.
 */
interface Row {
  id: string;
  model_type: string;
  is_moe: boolean;
  params_total: number | null;
  params_active: number | null;
  exact: boolean;
  params_learnable?: number;
  params_unique_if_tied?: number;
  params_computed: number;
  config_file: string;
}

const dir = new URL("../test/fixtures/configs/", import.meta.url);
const rows: Row[] = JSON.parse(readFileSync(new URL("counts.json", dir), "utf8"));
const config = (row: Row) => JSON.parse(readFileSync(new URL(row.config_file.replace("configs/", ""), dir), "utf8"));

/**
 * What memory holds: the Hub total except where the reference documents that it also counts
 * causal-mask buffers (gpt2) or a second copy of a tied lm_head (Qwen3-0.6B/1.7B).
 */
const truth = (row: Row) => row.params_learnable ?? row.params_unique_if_tied ?? row.params_total;

describe("estimateParams against published counts", () => {
  const published = rows.filter((r) => r.exact && r.params_total !== null);

  it("covers the families the issue names", () => {
    const families = new Set(published.map((r) => r.model_type));
    for (const f of ["llama", "mistral", "qwen2", "qwen3", "gemma", "gemma2", "gemma3_text", "phi", "phi3"]) {
      expect(families).toContain(f);
    }
    expect(published.length).toBeGreaterThanOrEqual(28);
  });

  it.each(published.map((r) => [r.id, r] as const))("%s", (_id, row) => {
    const estimate = estimateParams(config(row));
    expect(estimate?.method).toBe("family");
    expect(estimate?.total).toBe(truth(row));
  });

  it.each(
    rows.filter((r) => r.is_moe).map((r) => [r.id, r] as const),
  )("%s reports active parameters for mixture-of-experts", (_id, row) => {
    const estimate = estimateParams(config(row));
    expect(estimate?.active).toBeGreaterThan(0);
    expect(estimate?.active).toBeLessThan(estimate?.total ?? 0);
    if (row.params_active) {
      // Published active figures are rounded ("2.7B", "400M"): within 12 %.
      expect(Math.abs((estimate?.active ?? 0) - row.params_active) / row.params_active).toBeLessThan(0.12);
    }
  });

  it("estimates configs without a published count close to the computed figure", () => {
    for (const row of rows.filter((r) => r.params_total === null)) {
      const estimate = estimateParams(config(row));
      expect(estimate, row.id).toBeDefined();
      expect(Math.abs((estimate?.total ?? 0) - row.params_computed) / row.params_computed, row.id).toBeLessThan(0.2);
    }
  });
});

describe("estimateParams on unknown or broken configs", () => {
  it("gives a generic, flagged estimate for an unknown family instead of failing", () => {
    const estimate = estimateParams({
      model_type: "brand_new_arch",
      hidden_size: 2048,
      num_hidden_layers: 16,
      num_attention_heads: 32,
      num_key_value_heads: 8,
      intermediate_size: 8192,
      vocab_size: 128256,
      tie_word_embeddings: true,
    });
    expect(estimate?.method).toBe("generic");
    // Llama-3.2-1B has these dims and 1,235,814,400 parameters.
    expect(Math.abs((estimate?.total ?? 0) - 1_235_814_400) / 1_235_814_400).toBeLessThan(0.01);
  });

  it.each([
    {},
    { model_type: "llama" },
    { hidden_size: "big" },
    { hidden_size: -1, num_hidden_layers: 2 },
  ])("returns undefined for %j", (bad) => {
    expect(estimateParams(bad)).toBeUndefined();
  });

  it("reads the language model of a multimodal config", () => {
    const row = rows.find((r) => r.id === "google/gemma-3-1b-it") as Row;
    const estimate = estimateParams({ model_type: "gemma3", text_config: config(row) });
    expect(estimate?.total).toBe(999_885_952);
  });
});
