/**
 * Numbers for people: the client's format module, so the site and the CLI print the same figures
 * (decimal GB/MB, as the Hub and Ollama print them), plus the site's own wording.
 */
export { bytes, count, params, tokens } from "small-llm/core";

export const PARAM_SOURCE: Record<string, string> = {
  safetensors: "from the Hub's safetensors metadata",
  gguf: "from the GGUF metadata",
  config: "estimated from config.json",
  name: "guessed from the repo name",
};
