/** `npm run schema`: regenerate schema/index.schema.json from the zod source of truth. */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { indexJsonSchema, serializeJsonSchema } from "./json-schema.ts";

const target = fileURLToPath(new URL("./index.schema.json", import.meta.url));
writeFileSync(target, serializeJsonSchema(indexJsonSchema()));
console.error(`wrote ${target}`);
