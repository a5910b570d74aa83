import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.spec.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    // Real HTTP servers and child processes on a 2-core machine: generous, never racy.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
