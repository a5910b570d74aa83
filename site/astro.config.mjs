// @ts-check
import { defineConfig } from "astro/config";
import { defaultClientConditions, defaultServerConditions } from "vite";
import { publishData } from "./integrations/publish-data.mjs";

/**
 * Static site for GitHub Pages. SITE_URL and SITE_BASE set where it is served
 * (https://<owner>.github.io/<repo>/); the data files are published beside the pages under v1/.
 */
export default defineConfig({
  site: process.env.SITE_URL ?? "https://small-llm-index.github.io",
  base: process.env.SITE_BASE ?? "/small-llm-index",
  trailingSlash: "ignore",
  build: { format: "directory" },
  integrations: [publishData()],
  devToolbar: { enabled: false },
  // `small-llm/core` resolves to the client's TypeScript sources, not to a build that may be stale.
  vite: {
    resolve: { conditions: ["small-llm-source", ...defaultClientConditions] },
    ssr: { resolve: { conditions: ["small-llm-source", ...defaultServerConditions] } },
  },
});
