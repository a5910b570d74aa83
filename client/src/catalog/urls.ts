/** Where the published index lives. Mirrors are tried in order. */
export const DEFAULT_INDEX_URLS = [
  "https://small-llm-index.github.io/small-llm-index/v1/index.json",
  "https://huggingface.co/datasets/small-llm-index/small-llm-index/resolve/main/v1/index.json",
];

/** `SMALL_LLM_INDEX_URL` (one URL, or several separated by commas or spaces) overrides the defaults. */
export function indexUrls(env: NodeJS.ProcessEnv = process.env): string[] {
  const value = env.SMALL_LLM_INDEX_URL?.trim();
  return value ? value.split(/[\s,]+/).filter(Boolean) : DEFAULT_INDEX_URLS;
}
