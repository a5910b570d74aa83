/**
 * The fixture Hub catalogue: repos in the shapes the real Hub answers with (see
 * ../shared/reference/hub-samples), built from real config.json files and published parameter
 * counts. It holds the cases discovery must get right: base models of both tiers, quantized /
 * converted / re-uploaded / fine-tuned / merged lineages, gated repos, non-LLMs to drop, adapters,
 * test stubs, and repos with no parameter metadata. `scale` adds synthetic fine-tunes for the bench.
 */
import { BASES_MAJOR } from "./catalogue/bases.ts";
import { BASES_MORE, FINE_TUNES } from "./catalogue/bases-more.ts";
import { type BaseSpec, type FixtureRepo, makeInfo, readme, resetClock, weight } from "./catalogue/build.ts";
import { CONVERSIONS, GGUFS, REUPLOADS } from "./catalogue/copies.ts";
import { NON_LLMS } from "./catalogue/non-llms.ts";
import { realHubRepos } from "./catalogue/real-hub.ts";
import { baseRepo, conversionRepo, ggufRepo, nonLlmRepo, synthetic } from "./catalogue/repos.ts";

export type { FixtureFile, FixtureRepo } from "./catalogue/build.ts";

const BASES: BaseSpec[] = [...BASES_MAJOR, ...BASES_MORE, ...FINE_TUNES];

export interface Catalogue {
  repos: FixtureRepo[];
}

/** Build the catalogue; `extra` synthetic community fine-tunes (40 by default; the bench asks for more). */
export function buildCatalogue(options: { extra?: number } = {}): Catalogue {
  const extra = options.extra ?? 40;
  resetClock();
  const specs = new Map(BASES.map((b) => [b.id, b]));
  const repos: FixtureRepo[] = BASES.map((b) => baseRepo(b));
  for (const g of GGUFS) repos.push(ggufRepo(g, specs.get(g.base)));
  for (const c of CONVERSIONS) repos.push(conversionRepo(c, specs.get(c.base) as BaseSpec));
  for (const r of REUPLOADS) {
    const of = specs.get(r.of) as BaseSpec;
    const spec: BaseSpec = {
      ...of,
      id: r.id,
      gated: undefined,
      downloads: r.downloads,
      created: "2024-12-01T00:00:00.000Z",
      base: r.declaresBase ? [{ id: r.of, relation: "finetune" }] : undefined,
    };
    repos.push(baseRepo(spec, r.of));
  }
  for (const n of NON_LLMS) repos.push(nonLlmRepo(n));
  repos.push(...realHubRepos());
  // A repo with neither metadata nor config.json: only its name says how big it is.
  const mystery = makeInfo("oldschool/mystery-chat-360M", {
    downloads: 1_200,
    pipeline: "text-generation",
    library: "transformers",
    tags: ["transformers", "pytorch", "conversational"],
    license: "mit",
    files: [
      readme("oldschool/mystery-chat-360M"),
      weight("oldschool/mystery-chat-360M", "pytorch_model.bin", 720_000_000),
    ],
  });
  repos.push({ info: mystery, files: [weight(mystery.id, "pytorch_model.bin", 720_000_000)] });
  const fineTunable = BASES.filter((b) => b.params <= 8.6e9 && !b.noSafetensors && !b.base);
  for (let i = 0; i < extra; i++) repos.push(...synthetic(i, fineTunable));
  const ids = new Set<string>();
  for (const r of repos) {
    if (ids.has(r.info.id)) throw new Error(`fixture catalogue has ${r.info.id} twice`);
    ids.add(r.info.id);
  }
  return { repos };
}
