/**
 * `npm run tiny-gguf -- [path]`: writes the tests' tiny chat model (llama architecture, byte-level
 * vocabulary, a ChatML template, deterministic random weights; a few hundred KB), so anyone can try
 * the embedded runtime without a download: `small-llm run ./tiny.gguf "hello"`. It answers gibberish.
 */
import { resolve } from "node:path";
import { writeTinyModel } from "./tiny-model.ts";

const path = resolve(process.argv[2] ?? "tiny.gguf");
const bytes = writeTinyModel(path);
console.log(
  `wrote ${path} (${Math.round(bytes / 1000)} kB): try \`npx small-llm run ${path} "hello"\` (from this clone)`,
);
