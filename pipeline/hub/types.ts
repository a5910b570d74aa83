/**
 * The parts of Hub answers the pipeline reads, validated leniently: unknown fields pass, wrong
 * types on fields we use are rejected so a bad item is skipped instead of poisoning the index.
 */
import { z } from "zod";
import { HUB_REPO_ID } from "../../schema/index.ts";

const loose = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape);
const optionalNumber = z.number().nonnegative().optional().catch(undefined);

export const HubModelSchema = loose({
  id: z.string().regex(HUB_REPO_ID),
  author: z.string().optional(),
  sha: z
    .string()
    .regex(/^[0-9a-f]{40}$/)
    .optional(),
  downloads: optionalNumber,
  likes: optionalNumber,
  createdAt: z.string().optional(),
  lastModified: z.string().optional(),
  private: z.boolean().optional(),
  disabled: z.boolean().optional(),
  gated: z.union([z.boolean(), z.string()]).optional(),
  pipeline_tag: z.string().optional(),
  library_name: z.string().optional(),
  tags: z.array(z.string()).optional().catch([]),
  cardData: z
    .looseObject({
      license: z.union([z.string(), z.array(z.string())]).optional(),
      base_model: z.union([z.string(), z.array(z.string())]).optional(),
      base_model_relation: z.string().optional(),
      tags: z.array(z.unknown()).optional().catch(undefined),
      datasets: z.unknown().optional(),
    })
    .optional()
    .catch(undefined),
  config: z.record(z.string(), z.unknown()).optional().catch(undefined),
  /** The repo's file names: the layout says what a repo is (weights, adapters, a bundle, nothing). */
  siblings: z
    .array(z.looseObject({ rfilename: z.string() }))
    .optional()
    .catch(undefined),
  safetensors: z.looseObject({ total: optionalNumber }).optional().catch(undefined),
  gguf: z
    .looseObject({
      total: optionalNumber,
      architecture: z.string().optional(),
      context_length: optionalNumber,
      chat_template: z.string().optional(),
    })
    .optional()
    .catch(undefined),
});
export type HubModel = z.infer<typeof HubModelSchema>;

export const TreeEntrySchema = loose({
  type: z.string(),
  path: z.string(),
  size: z.number().nonnegative(),
  lfs: z
    .looseObject({ oid: z.string().regex(/^[0-9a-f]{64}$/), size: z.number().nonnegative() })
    .optional()
    .catch(undefined),
});
export type TreeEntry = z.infer<typeof TreeEntrySchema>;

/** What we need of a file listing; the tree answer trimmed for the cache. */
export interface RepoFile {
  path: string;
  size: number;
  sha256?: string | undefined;
}

/** The fields every list call expands: everything discovery and lineage read, in one call. */
export const LIST_EXPAND = [
  "author",
  "cardData",
  "config",
  "createdAt",
  "disabled",
  "downloads",
  "gated",
  "gguf",
  "lastModified",
  "library_name",
  "likes",
  "pipeline_tag",
  "private",
  "safetensors",
  "sha",
  "siblings",
  "tags",
] as const;
