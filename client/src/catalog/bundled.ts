/**
 * The snapshot shipped inside the package: a few well-known models per tier, cut from the
 * pipeline's output when the package is built (scripts/build.ts), never typed by hand. The last
 * resort when there is no cache and no network.
 */

import { type Index, readIndex } from "../../../schema/index.ts";
import bundled from "../../bundled/index.json" with { type: "json" };

export function bundledIndex(): { index: Index; generatedAt: string } {
  const { index } = readIndex(bundled, "the bundled index");
  return { index, generatedAt: index.generatedAt };
}
