import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { sampleIndex, sampleModel } from "../../test/helpers/sample-index.ts";
import { indexJsonSchema, serializeJsonSchema } from "../json-schema.ts";

const committed = readFileSync(new URL("../index.schema.json", import.meta.url), "utf8");

function validator() {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv.compile(JSON.parse(committed));
}

describe("index.schema.json", () => {
  it("is up to date with the zod schema (run `npm run schema` if this fails)", () => {
    expect(committed).toBe(serializeJsonSchema(indexJsonSchema()));
  });

  it("accepts a valid index with ajv, as a non-TypeScript consumer would", () => {
    const validate = validator();
    expect(validate(JSON.parse(JSON.stringify(sampleIndex()))), JSON.stringify(validate.errors)).toBe(true);
  });

  it("rejects bad fields with ajv", () => {
    const validate = validator();
    const bad = sampleIndex([sampleModel({ id: "bad id", downloads: -1 })]);
    expect(validate(JSON.parse(JSON.stringify(bad)))).toBe(false);
    const paths = (validate.errors ?? []).map((e) => e.instancePath);
    expect(paths).toContain("/models/0/id");
    expect(paths).toContain("/models/0/downloads");
  });
});
