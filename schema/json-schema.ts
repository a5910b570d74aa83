import { z } from "zod";
import { ReaderSchemas } from "./read-index.ts";

export const INDEX_SCHEMA_ID = "https://small-llm-index.github.io/small-llm-index/v1/index.schema.json";

/**
 * The JSON Schema (2020-12) of the index, derived from the reader side of the zod schema: objects
 * leave `additionalProperties` open and vocabularies (runtime, params.source, …) are open strings
 * with their known values described, so a consumer holding this schema still accepts a newer index
 * (the versioning policy: additions keep the major version; skip what you do not know).
 */
export function indexJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ReaderSchemas.Index, { target: "draft-2020-12", io: "input" });
  return {
    $schema: schema.$schema,
    $id: INDEX_SCHEMA_ID,
    title: "small-llm-index index",
    ...schema,
  };
}

/** The serialized form committed in schema/ and published beside the data. */
export function serializeJsonSchema(schema: Record<string, unknown>): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
