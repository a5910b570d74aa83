/**
 * Where the embedded runtime keeps the GGUF files it downloads: `<data>/models/{owner}/{repo}/{file}`
 * (`SMALL_LLM_MODELS_DIR` overrides; e.g. ~/.local/share/small-llm/models on Linux), one folder per
 * Hub repo so a file keeps its repo and path and lists under the ref that installed it. A
 * download in progress is `{file}.part` beside it. Local files given by path stay where they are.
 */
import { existsSync, readdirSync, rmdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { UnknownModelError, UnsupportedError } from "../../errors/index.ts";
import { paths } from "../../paths.ts";
import type { InstalledModel } from "../runtime.ts";
import { type EmbeddedRef, isLaterShard, parseRef, quantOf, shardsOf } from "./refs.ts";

export function defaultModelsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.SMALL_LLM_MODELS_DIR || join(paths(env).data, "models");
}

/** One installed GGUF: its first file and the ref it lists under. */
export interface StoredModel extends InstalledModel {
  /** The file to load (the first shard of a split model). */
  path: string;
  /** Every file of it (shards included). */
  files: string[];
  repo: string;
  file: string;
}

function walk(dir: string, base = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return walk(full, base);
    return entry.isFile() && /\.gguf$/i.test(entry.name) ? [relative(base, full).split(sep).join("/")] : [];
  });
}

export class ModelStore {
  constructor(readonly dir: string = defaultModelsDir()) {}

  /** Where `file` of `repo` lives (it may not exist yet). */
  pathOf(repo: string, file: string): string {
    return join(this.dir, ...repo.split("/"), ...file.split("/"));
  }

  /**
   * Every complete GGUF in the store. A model is named `hf.co/{repo}:{QUANT}` when its file name
   * says its quant and no other file of the repo has the same one, else `hf.co/{repo}:{file}`.
   */
  list(): StoredModel[] {
    const byRepo = new Map<string, string[]>();
    for (const rel of walk(this.dir)) {
      const [owner, name, ...rest] = rel.split("/");
      if (!owner || !name || rest.length === 0) continue;
      const file = rest.join("/");
      if (isLaterShard(file)) continue;
      byRepo.set(`${owner}/${name}`, [...(byRepo.get(`${owner}/${name}`) ?? []), file]);
    }
    const models: StoredModel[] = [];
    for (const [repo, files] of [...byRepo].sort(([a], [b]) => a.localeCompare(b))) {
      const quants = files.map((f) => quantOf(f));
      for (const file of files.sort()) {
        const quant = quantOf(file);
        const unique = quant !== undefined && quants.filter((q) => q === quant).length === 1;
        const all = shardsOf(file).map((f) => this.pathOf(repo, f));
        if (!all.every((f) => existsSync(f))) continue; // a split model still downloading
        const stats = all.map((f) => statSync(f));
        models.push({
          name: `hf.co/${repo}:${unique ? quant : file}`,
          // Files carry no digest of their own until verified; the name and size identify one.
          digest: "",
          sizeBytes: stats.reduce((sum, s) => sum + s.size, 0),
          modifiedAt: new Date(Math.max(...stats.map((s) => s.mtimeMs))).toISOString(),
          ...(quant ? { quant } : {}),
          path: all[0] as string,
          files: all,
          repo,
          file,
        });
      }
    }
    return models;
  }

  /** The installed model a Hub ref or bare file name means, if it is in the store. */
  find(ref: EmbeddedRef): StoredModel | undefined {
    const models = this.list();
    if (ref.kind === "name")
      return models.find((m) => m.file.split("/").pop()?.toLowerCase() === ref.name.toLowerCase());
    if (ref.kind !== "hub") return undefined;
    const same = models.filter((m) => m.repo.toLowerCase() === ref.repo.toLowerCase());
    if (ref.file) return same.find((m) => m.file === ref.file);
    return same.find((m) => m.quant === ref.quant);
  }

  /** Delete an installed model (all its shards and any partial download); returns its name. */
  remove(refText: string): string {
    const ref = parseRef(refText);
    if (ref.kind === "path")
      throw new UnsupportedError(
        `${ref.path} is a file you gave by path; small-llm only removes models it downloaded into ${this.dir}. Delete the file yourself if you mean to.`,
      );
    const model = this.find(ref);
    if (!model)
      throw new UnknownModelError(refText, `it is not installed for the embedded runtime (models live in ${this.dir})`);
    for (const file of model.files) {
      rmSync(file, { force: true });
      rmSync(`${file}.part`, { force: true });
    }
    this.prune(dirname(model.path));
    return model.name;
  }

  /** Drop the folders above a removed file, up to the store itself, once they hold nothing. */
  private prune(dir: string): void {
    for (let d = dir; d.startsWith(this.dir + sep); d = dirname(d)) {
      try {
        if (readdirSync(d).length > 0) return;
        rmdirSync(d);
      } catch {
        return; // already gone, or not ours to remove
      }
    }
  }
}

/** The first four bytes say GGUF. */
