/** Repo answers in the shape of the Hub's list items, for the classifier's tests. */
import { classify, isDrop } from "../classify.ts";
import type { HubModel } from "../hub/types.ts";

export const files = (...names: string[]) => names.map((rfilename) => ({ rfilename }));
const llmFiles = files(".gitattributes", "README.md", "config.json", "model.safetensors", "tokenizer.json");
export const m = (id: string, patch: Partial<HubModel> = {}): HubModel =>
  ({ id, author: id.split("/")[0], tags: ["transformers", "safetensors"], siblings: llmFiles, ...patch }) as HubModel;
export const chatConfig = (architectures: string[], model_type: string, template = "{{ messages }}") => ({
  architectures,
  model_type,
  tokenizer_config: { chat_template: template },
});
export const decision = (model: HubModel) => {
  const c = classify(model);
  return isDrop(c) ? c.reason : "kept";
};
