/** "Did you mean": close ids of the index for a mistyped one, and none for an id that is right. */
import { describe, expect, it } from "vitest";
import { sampleIndex, sampleModel } from "../../test/helpers/sample-index.ts";
import { didYouMean, similarIds } from "../src/catalog/similar-ids.ts";

const index = sampleIndex([
  sampleModel({ id: "Qwen/Qwen2.5-0.5B-Instruct", name: "Qwen2.5-0.5B-Instruct", author: "Qwen" }),
  sampleModel({ id: "Qwen/Qwen2.5-1.5B-Instruct", name: "Qwen2.5-1.5B-Instruct", author: "Qwen" }),
]);

describe("similar ids", () => {
  it("suggests the close ids for a typo", () => {
    expect(similarIds(index, "Qwen/Qwen2.5-0.5B-Instrcut")[0]).toBe("Qwen/Qwen2.5-0.5B-Instruct");
  });

  it("suggests nothing for an id the index has (whatever failed, the name was right)", () => {
    expect(similarIds(index, "Qwen/Qwen2.5-0.5B-Instruct")).toEqual([]);
    expect(didYouMean(index, "qwen/qwen2.5-0.5b-instruct")).toBe("");
  });
});
