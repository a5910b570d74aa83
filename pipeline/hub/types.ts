/**
 * The parts of Hub answers the pipeline reads, validated leniently: unknown fields pass; an item
 * without a valid id is skipped; any other field of a wrong type (a `null` the uploader's YAML gave,
 * a number where text belongs) reads as absent, so one odd field never costs a whole model.
 */
import { z } from "zod";
import { HUB_REPO_ID } from "../../schema/index.ts";

const loose = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape);
const optionalNumber = z.number().nonnegative().optional().catch(undefined);
const optionalString = z.string().optional().catch(undefined);
const optionalBoolean = z.boolean().optional().catch(undefined);
const stringOrStrings = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .catch(undefined);
/** A list of text whose other items are left out. */
const strings = z
  .array(z.unknown())
  .transform((a) => a.filter((x): x is string => typeof x === "string"))
  .optional()
  .catch(undefined);

export const HubModelSchema = loose({
  id: z.string().regex(HUB_REPO_ID),
  author: optionalString,
  sha: z
    .string()
    .regex(/^[0-9a-f]{40}$/)
    .optional()
    .catch(undefined),
  downloads: optionalNumber,
  likes: optionalNumber,
  createdAt: optionalString,
  lastModified: optionalString,
  private: optionalBoolean,
  disabled: optionalBoolean,
  gated: z.union([z.boolean(), z.string()]).optional().catch(undefined),
  pipeline_tag: optionalString,
  library_name: optionalString,
  tags: strings,
  cardData: z
    .looseObject({
      license: stringOrStrings,
      base_model: stringOrStrings,
      base_model_relation: optionalString,
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
      architecture: optionalString,
      context_length: optionalNumber,
      chat_template: optionalString,
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
