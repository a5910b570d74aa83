#!/usr/bin/env node
// The installed command. A stable file in the repository (the built CLI is not), so `npm ci` in a
// clone links `npx small-llm` even before the first build; `npm ci` then builds dist/ (prepare).
import("../dist/cli.js").catch((error) => {
  if (error?.code !== "ERR_MODULE_NOT_FOUND" || !String(error.message).includes("dist/cli.js")) throw error;
  console.error("small-llm: the CLI is not built yet. In a clone of small-llm-index run `npm run build:client` first.");
  process.exit(1);
});
