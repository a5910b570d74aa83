/**
 * The snapshot shipped inside the package: a few well-known models per tier, cut from the
 * pipeline's output when the package is built (scripts/build.ts), never typed by hand. The last
 * resort when there is no cache and no network.
 */

import type { Index } from "../../../schema/index.ts";

export async function bundledIndex(): Promise<{ index: Index; generatedAt: string }> {
  // Loaded when needed: a warm cache never pays for the snapshot or the schema's reader.
  const [{ readIndex }, { default: bundled }] = await Promise.all([
    import("../../../schema/read-index.ts"),
    import("../../bundled/index.json", { with: { type: "json" } }),
  ]);
  const { index } = readIndex(bundled, "the bundled index");
  return { index, generatedAt: index.generatedAt };
}
