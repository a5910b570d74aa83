/**
 * The classes the real Hub has that our own shapes did not (issues 10 and 22), several public
 * examples each, in files by class. `REAL_HUB_EXPECTED` is the decision each must get; the
 * end-to-end test checks them all through `--report`.
 */
import type { FixtureRepo } from "./build.ts";
import { realRepo } from "./real-hub-build.ts";
import { COPIES, COPIES_EXPECTED } from "./real-hub-copies.ts";
import { NOT_LLMS, NOT_LLMS_EXPECTED } from "./real-hub-drops.ts";
import { DUPLICATES, DUPLICATES_EXPECTED } from "./real-hub-duplicates.ts";
import { GUARDS, GUARDS_EXPECTED } from "./real-hub-guards.ts";
import { MISSED_LLMS, MISSED_LLMS_EXPECTED } from "./real-hub-keeps.ts";
import { MULTIMODAL, MULTIMODAL_EXPECTED } from "./real-hub-multimodal.ts";

export const realHubRepos = (): FixtureRepo[] =>
  [...NOT_LLMS, ...MISSED_LLMS, ...COPIES, ...MULTIMODAL, ...GUARDS, ...DUPLICATES].map(realRepo);

export const REAL_HUB_EXPECTED: Record<string, string> = {
  ...NOT_LLMS_EXPECTED,
  ...MISSED_LLMS_EXPECTED,
  ...COPIES_EXPECTED,
  ...MULTIMODAL_EXPECTED,
  ...GUARDS_EXPECTED,
  ...DUPLICATES_EXPECTED,
};
