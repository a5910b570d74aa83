/**
 * The index the browser tests build the site from: the committed fixture, plus a model whose name
 * is an XSS attempt and 30 copies of a 7B model, which take it past one page of 100 rows.
 */
import type { Index, ModelEntry } from "../../schema/index.ts";
import { fixtureIndex } from "../../test/helpers/fixture-index.ts";

export const XSS = `<script>alert("xss")</script><img src=x onerror=alert(2)>`;
export const PAGE = 100;

export function testIndex(): Index {
  const fixture = fixtureIndex();
  const hostile: ModelEntry = {
    ...(fixture.models.find((m) => m.id === "Qwen/Qwen2.5-0.5B-Instruct") as ModelEntry),
    id: "evil/xss-model",
    author: "evil",
    name: XSS,
    downloads: 1,
  };
  // 7B models fit no 4 GB GPU; with few downloads they sort last.
  const seven = fixture.models.find((m) => m.id === "Qwen/Qwen2.5-7B-Instruct") as ModelEntry;
  const fillers = Array.from({ length: 30 }, (_, i) => ({
    ...seven,
    id: `filler/model-${String(i).padStart(2, "0")}`,
    author: "filler",
    name: `model-${i}`,
    downloads: i,
  }));
  return { ...fixture, models: [...fixture.models, hostile, ...fillers].sort((a, b) => (a.id < b.id ? -1 : 1)) };
}
