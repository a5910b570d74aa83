/**
 * Part of stage 6, install targets: which GGUF repos an entry installs from. Each GGUF repo folded
 * into the entry is checked against it first — GGUF architecture, parameter count within a
 * tolerance, name stem, instruct vs base — because a wrong `base_model` tag must never make another
 * model the default install; what does not match is left out and reported. The rest are ranked
 * (the entry author's own first, then by downloads; gated repos and namespaces Ollama cannot pull
 * are skipped) and the quants of the best few are offered together (install-targets.ts).
 */
import { hfOllamaRef, type InstallTarget, OLLAMA_REF } from "../schema/index.ts";
import { compareText } from "./canonical-json.ts";
import { nameTokens, ownerOf, sameName } from "./classify/names.ts";
import { type StageContext, skip } from "./context.ts";
import { installTargets, mergeTargets } from "./install-targets.ts";
import { family, type Group } from "./lineage.ts";
import type { Resolved } from "./resolve-params.ts";

/** How many ranked GGUF repos' files are read per entry: enough for the author's Q8-only repo plus a full community one. */
const REPOS_READ = 3;

export interface GgufCandidate {
  id: string;
  author: string;
  downloads: number;
  gated: boolean;
}

/** Ollama cannot pull from a namespace with a `.` (its name rules), nor a gated repo anonymously. */
export function pullable(repo: GgufCandidate): boolean {
  const namespace = repo.id.split("/")[0] ?? "";
  return !namespace.includes(".") && !repo.gated && OLLAMA_REF.test(hfOllamaRef(repo.id, "Q4_K_M"));
}

/** GGUF repos in the order to try: the entry author's own first, then by downloads. */
export function rankGgufRepos(entryAuthor: string, repos: GgufCandidate[]): GgufCandidate[] {
  return repos
    .filter(pullable)
    .sort(
      (a, b) =>
        Number(b.author === entryAuthor) - Number(a.author === entryAuthor) ||
        b.downloads - a.downloads ||
        compareText(a.id, b.id),
    );
}

const INSTRUCT = /^(instruct|chat|it|sft|dpo|rlhf|assistant)$|^(instruct|chat)/;
const instructNamed = (id: string) => nameTokens(id).some((t) => INSTRUCT.test(t));

/** Why a GGUF repo is not a copy of the entry's weights, or undefined when it is. */
export function ggufMismatch(group: Group<Resolved>, gguf: Resolved): string | undefined {
  const entry = group.entry;
  const full = [entry, ...group.variants.map((v) => v.repo)].filter((r) => r.format !== "gguf");
  const [fe, fg] = [full.map(family).find(Boolean), family(gguf)];
  if (fe && fg && fe !== fg) return `GGUF architecture ${gguf.model.gguf?.architecture} is not ${fe}`;
  const total = entry.params?.total;
  const ggufTotal = gguf.model.gguf?.total;
  // Multimodal entries count their vision/audio towers; the GGUF holds the language model only.
  const tolerance = entry.tasks.includes("vision") || entry.tasks.includes("audio") ? 0.45 : 0.12;
  if (total && ggufTotal && Math.abs(total - ggufTotal) > tolerance * total)
    return `${ggufTotal} parameters, the entry has ${total}`;
  const names = [entry, ...full].map((r) => r.model.id);
  if (names.some((id) => sameName(gguf.model.id, id))) return undefined;
  const declared = gguf.bases.some((b) => names.some((id) => id.toLowerCase() === b.id.toLowerCase()));
  if (!declared) return "named after another model";
  if (instructNamed(gguf.model.id) !== instructNamed(entry.model.id))
    return instructNamed(gguf.model.id) ? "an instruct GGUF of a base model" : "a base GGUF of an instruct model";
  return undefined;
}

/** The install targets of an entry, and the GGUF repos left out because they hold another model. */
export async function chooseInstall(
  ctx: StageContext,
  group: Group<Resolved>,
): Promise<{ install: InstallTarget[]; mismatched: { id: string; why: string }[] }> {
  const c = group.entry;
  const ggufs = [c, ...group.variants.map((v) => v.repo)].filter((r) => r.format === "gguf");
  const mismatched: { id: string; why: string }[] = [];
  const usable = ggufs.filter((g) => {
    const why = g === c ? undefined : ggufMismatch(group, g);
    if (why) mismatched.push({ id: g.model.id, why });
    return !why;
  });
  const authorOf = (m: Resolved["model"]) => m.author ?? ownerOf(m.id);
  const ranked = rankGgufRepos(
    authorOf(c.model),
    usable.map((g) => ({
      id: g.model.id,
      author: authorOf(g.model),
      downloads: g.model.downloads ?? 0,
      gated: Boolean(g.model.gated),
    })),
  );
  const perRepo: InstallTarget[][] = [];
  for (const repo of ranked) {
    if (perRepo.length >= REPOS_READ) break;
    const g = usable.find((x) => x.model.id === repo.id);
    const files = await ctx.repos.files({ id: repo.id, sha: g?.model.sha });
    if (!files.ok) {
      skip(ctx, repo.id, "file listing", files.reason);
      continue;
    }
    const targets = installTargets(repo.id, files.value);
    if (targets.length) perRepo.push(targets);
  }
  return { install: mergeTargets(perRepo), mismatched };
}
