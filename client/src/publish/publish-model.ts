/**
 * `publishModel()`: put a PEFT adapter, GGUF files or a transformers model in a Hub model repo.
 * Everything that can be refused is refused before anything is created or sent: the repo id, the
 * folder, the license, the token and whether it may write to that namespace. Then the repo is
 * created when missing, compared with what it holds, and only files that differ are committed, in
 * one commit, large ones through the Hub's LFS path. A dry run does none of the writing and works
 * offline, saying when it could not compare.
 */

import { readFileSync } from "node:fs";
import { HUB_REPO_ID, REPO_FILE_PATH } from "../../../schema/patterns.ts";
import { bytes } from "../core/format.ts";
import {
  HubError,
  HubPermissionError,
  HubTokenError,
  InvalidRepoIdError,
  ModelfileError,
  NotAModelError,
  UnsupportedError,
} from "../errors/index.ts";
import { HUB_RETRIES, type RetryInfo, type RetryPolicy, retryingFetch } from "../http/index.ts";
import { addParameter } from "../runtimes/ollama/modelfile.ts";
import { type PublishFile, type RemoteFile, splitByRemote } from "./compare-remote.ts";
import { detectModel, type ModelKind, quantOf } from "./detect-model.ts";
import { checkTokenShape, checkWriteAccess } from "./hub-account.ts";
import {
  commitFiles,
  ensureRepo,
  type HubTarget,
  listRemote,
  networkReason,
  readRemoteText,
  type UploadEvent,
} from "./hub-repo.ts";
import { GENERATED_MARK, modelCard } from "./model-card.ts";
import { checkRepoId } from "./repo-id.ts";

export const DEFAULT_HUB_URL = "https://huggingface.co";

export interface PublishOptions {
  /** A model folder or a single `.gguf` file. */
  path: string;
  /** `owner/name` of the model repo. */
  repo: string;
  private?: boolean | undefined;
  /** The base model's Hub id (overrides what adapter_config.json names). */
  base?: string | undefined;
  /** A Hub license id, e.g. `apache-2.0`, `mit`, `llama3.2`, `other`. */
  license?: string | undefined;
  dryRun?: boolean | undefined;
  /** Default: `HF_TOKEN`. Sent to the Hub only; never printed. */
  token?: string | undefined;
  /** Default: `HF_ENDPOINT`, else https://huggingface.co. */
  hubUrl?: string | undefined;
  /** GGUF only: Ollama's `template` (Go template), `system` and `params` repo files for `ollama run hf.co/…`. */
  ollama?: { template?: string | undefined; system?: string | undefined; params?: string[] | undefined } | undefined;
  /** The retry policy of Hub calls (default: 4 retries from 500 ms, at most 30 s a wait). */
  retry?: (Partial<RetryPolicy> & { onRetry?: (info: RetryInfo & { url: string }) => void }) | undefined;
  fetch?: typeof fetch | undefined;
  signal?: AbortSignal | undefined;
  /** Hashing and upload progress per file (`progress` 0–1), and the phases of the commit. */
  onProgress?: ((e: UploadEvent & { size?: number }) => void) | undefined;
}

export interface PublishResult {
  repo: string;
  url: string;
  kind: ModelKind;
  dryRun: boolean;
  /** The repo was created by this call. */
  created: boolean;
  /** False when the remote could not be read (offline dry run): then every file counts as to upload. */
  compared: boolean;
  upload: { path: string; size: number }[];
  unchanged: string[];
  card: { source: "yours" | "generated" | "kept-remote"; text?: string };
  base?: string;
  quants: string[];
  commit?: { oid: string; url: string };
  /** What the user should know: a missing license, a base that is a local path, why nothing was compared. */
  notes: string[];
}

const LICENSE = /^[a-z0-9][a-z0-9.+-]{0,63}$/;

/** The Ollama repo files a GGUF repo may carry, built from the options. */
function ollamaFiles(options: NonNullable<PublishOptions["ollama"]>): PublishFile[] {
  const files: PublishFile[] = [];
  const add = (path: string, text: string) =>
    files.push({ path, size: Buffer.byteLength(text), content: Buffer.from(text) });
  if (options.template !== undefined) add("template", options.template);
  if (options.system !== undefined) add("system", options.system);
  if (options.params?.length) {
    const params: Record<string, unknown> = {};
    for (const pair of options.params) {
      const i = pair.indexOf("=");
      if (i <= 0) throw new ModelfileError(`an Ollama parameter is key=value (e.g. temperature=0.7), not "${pair}"`);
      addParameter(params, pair.slice(0, i), pair.slice(i + 1));
    }
    add("params", `${JSON.stringify(params, null, 2)}\n`);
  }
  return files;
}

/** A GGUF folder's own `params` file: Ollama reads it as a JSON object of its parameters, so it must be one. */
function checkParamsFile(path: string): void {
  let ok = false;
  try {
    const value = JSON.parse(readFileSync(path, "utf8"));
    ok = value !== null && typeof value === "object" && !Array.isArray(value);
  } catch {
    ok = false;
  }
  if (!ok)
    throw new NotAModelError(
      `${path} is not a JSON object of Ollama parameters (e.g. {"temperature": 0.7}); fix it, or pass --param key=value instead.`,
    );
}

/** Why the real run would be refused (token, permissions) — for a dry run's notes; being offline is not a refusal. */
async function refusalOf(check: () => Promise<void>): Promise<string | undefined> {
  try {
    await check();
    return undefined;
  } catch (error) {
    return error instanceof HubTokenError || error instanceof HubPermissionError ? error.message : undefined;
  }
}

export async function publishModel(options: PublishOptions): Promise<PublishResult> {
  const { repo } = options;
  const { owner } = checkRepoId(repo);
  if (options.license !== undefined && !LICENSE.test(options.license))
    throw new InvalidRepoIdError(
      `"${options.license}" is not a Hub license id; use one like apache-2.0, mit, llama3.2 or other (https://huggingface.co/docs/hub/repositories-licenses).`,
    );
  if (options.base !== undefined && !HUB_REPO_ID.test(options.base))
    throw new InvalidRepoIdError(`--base "${options.base}" is not a Hub model id like owner/name.`);
  const model = detectModel(options.path);
  const notes: string[] = [];
  const base = options.base ?? model.base;
  if (!options.base && model.unusableBase)
    notes.push(
      `adapter_config.json names a local base ("${model.unusableBase}"); pass --base <owner/name> to link it on the Hub`,
    );
  if (!options.license) notes.push("no --license given: the Hub will show the license as unknown");

  const ownParams = model.kind === "gguf" ? model.files.find((f) => f.path === "params") : undefined;
  if (ownParams) checkParamsFile(ownParams.local);
  const extra = options.ollama ? ollamaFiles(options.ollama) : [];
  if (extra.length && model.kind !== "gguf")
    throw new UnsupportedError(
      `Ollama template/system/params files only make sense in a GGUF repo; ${options.path} is a ${model.kind === "adapter" ? "PEFT adapter" : "transformers model"}.`,
    );
  const files: PublishFile[] = [...model.files.filter((f) => !extra.some((e) => e.path === f.path)), ...extra];

  const dryRun = Boolean(options.dryRun);
  // Trimmed: a token pasted or read from a file often carries a newline.
  const token = (options.token ?? process.env.HF_TOKEN)?.trim() || undefined;
  const hubUrl = (options.hubUrl ?? (process.env.HF_ENDPOINT || DEFAULT_HUB_URL)).replace(/\/+$/, "");
  const { onRetry, ...policy } = options.retry ?? {};
  const doFetch = retryingFetch(
    { ...HUB_RETRIES, ...(dryRun ? { retries: 1 } : {}), ...policy },
    { ...(options.fetch ? { fetch: options.fetch } : {}), ...(onRetry ? { onRetry } : {}) },
  );
  const target: HubTarget = { hubUrl, repo, token, fetch: doFetch, signal: options.signal };

  let created = false;
  if (!dryRun) {
    checkTokenShape(token);
    await checkWriteAccess({ hubUrl, token, owner, fetch: doFetch, signal: options.signal });
    created = await ensureRepo(target, options.private ? "private" : "public");
  } else {
    // A dry run changes nothing, but says whether the real run would be refused, and why.
    const refusal = token
      ? await refusalOf(async () => {
          checkTokenShape(token);
          await checkWriteAccess({ hubUrl, token, owner, fetch: doFetch, signal: options.signal });
        })
      : "HF_TOKEN is not set; publishing needs a token with write access (https://huggingface.co/settings/tokens)";
    if (refusal) notes.push(`publishing for real would be refused: ${refusal}`);
  }

  let remote: Map<string, RemoteFile> | undefined;
  let compared = true;
  try {
    remote = await listRemote(target);
    if (!remote && dryRun)
      notes.push(`${repo} does not exist yet (or is private): it would be created and every file sent`);
  } catch (error) {
    if (!dryRun || !(error instanceof HubError)) throw error;
    compared = false;
    const why = error.statusCode ? `HTTP ${error.statusCode}` : networkReason(error.cause);
    notes.push(`could not compare with the remote ${repo} at ${hubUrl} (${why}); every file would be sent`);
  }

  const card = await chooseCard(model.hasReadme, remote, target);
  // Only names that are safe in Markdown go in the card's table (a file name is the user's, not checked).
  const ggufFiles = model.files
    .filter((f) => f.path.toLowerCase().endsWith(".gguf") && REPO_FILE_PATH.test(f.path))
    .map((f) => ({ path: f.path, size: bytes(f.size), quant: quantOf(f.path.split("/").pop() ?? "") }));
  let cardText: string | undefined;
  if (card === "generated") {
    cardText = modelCard({
      repo,
      kind: model.kind,
      base,
      license: options.license,
      quants: model.quants,
      ggufFiles,
      peft: model.peft,
      ollamaFiles: ["template", "system", "params"].filter((p) => files.some((f) => f.path === p)),
    });
    files.push({ path: "README.md", size: Buffer.byteLength(cardText), content: Buffer.from(cardText) });
  }
  // Reading a large file to compare it takes a while: say so (small ones are instant).
  const { upload, unchanged } = await splitByRemote(files, remote ?? new Map(), options.signal, (file) => {
    if (file.size >= 10_000_000) options.onProgress?.({ event: "comparing", path: file.path });
  });
  const result: PublishResult = {
    repo,
    url: `${hubUrl}/${repo}`,
    kind: model.kind,
    dryRun,
    created,
    compared,
    upload: upload.map((f) => ({ path: f.path, size: f.size })),
    unchanged: unchanged.map((f) => f.path),
    card: { source: card, ...(cardText ? { text: cardText } : {}) },
    ...(base ? { base } : {}),
    quants: model.quants,
    notes,
  };
  if (dryRun || upload.length === 0) return result;

  const sizes = new Map(upload.map((f) => [f.path, f.size]));
  result.commit = await commitFiles(
    target,
    upload,
    {
      title: `${created ? "Publish" : "Update"} ${model.kind === "adapter" ? "adapter" : model.kind === "gguf" ? "GGUF" : "model"} with small-llm`,
      description: `${upload.length} file(s) changed, ${unchanged.length} unchanged.`,
    },
    options.onProgress &&
      ((e) => options.onProgress?.(e.event === "file" ? { ...e, size: sizes.get(e.path) ?? 0 } : e)),
  );
  return result;
}

/**
 * The folder's README.md is the card when it has one. Otherwise a card is generated — unless the
 * repo already has a README that a person wrote (no generated mark), which is kept as it is.
 */
async function chooseCard(
  hasReadme: boolean,
  remote: Map<string, RemoteFile> | undefined,
  target: HubTarget,
): Promise<"yours" | "generated" | "kept-remote"> {
  if (hasReadme) return "yours";
  if (!remote?.has("README.md")) return "generated";
  const text = await readRemoteText(target, "README.md").catch(() => undefined);
  return text === undefined || text.includes(GENERATED_MARK) ? "generated" : "kept-remote";
}
