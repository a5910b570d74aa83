import { defaultClientConditions, defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // Workspace packages resolve to their TypeScript sources (the `small-llm-source` export condition), so
  // tests never run against a stale build of the client.
  resolve: { conditions: ["small-llm-source", ...defaultClientConditions] },
  ssr: { resolve: { conditions: ["small-llm-source", ...defaultServerConditions] } },
  test: {
    include: ["**/*.spec.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    // Real HTTP servers and child processes on a 2-core machine: generous, never racy.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    globalSetup: ["test/global-setup.ts"],
  },
});
