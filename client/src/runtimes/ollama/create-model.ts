import { createReadStream, existsSync, readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { basename, isAbsolute, join, relative, resolve } from "node:path";
import { Readable } from "node:stream";
import { OLLAMA_REF } from "../../../../schema/patterns.ts";
import {
  CancelledError,
  ModelfileError,
  OllamaError,
  OllamaServerDownError,
  OllamaVersionError,
  UnknownModelError,
} from "../../errors/index.ts";
import { NoAnswerError } from "../../http/index.ts";
import { sha256File } from "../../sha256-file.ts";
import type { InstalledModel, ProgressOptions, PullProgress } from "../runtime.ts";
import { classifyOllamaError } from "./classify-error.ts";
import type { OllamaDriver } from "./driver.ts";
import { addParameter, DEPRECATED_PARAMETERS, type ModelfileCommand } from "./modelfile.ts";
import { olderThan } from "./version.ts";

/** The JSON `/api/create` takes (api/types.go CreateRequest). */
export interface CreateRequest {
  model: string;
  from?: string;
  files?: Record<string, string>;
  adapters?: Record<string, string>;
  template?: string;
  system?: string;
  license?: string[];
  parameters?: Record<string, unknown>;
  messages?: { role: string; content: string }[];
  requires?: string;
  renderer?: string;
  parser?: string;
  stream: true;
}

/** A local file the server needs before the create request can name it. */
export interface LocalBlob {
  path: string;
  /** The name the request gives it (relative to the FROM/ADAPTER folder, or the file name). */
  name: string;
  digest: string;
  size: number;
}

export const JSON_CREATE_SINCE = "0.5.5";

export interface CreateModelOptions extends ProgressOptions {
  /** The Modelfile's commands (`parseModelfile`), with any overrides applied. */
  commands: ModelfileCommand[];
  /** Where relative FROM / ADAPTER paths point from: the Modelfile's folder. */
  dir: string;
  /** Non-fatal notes (a deprecated parameter). */
  onWarning?: (message: string) => void;
}

/** Ollama's expandPath: absolute, `~/`, or relative to the Modelfile's folder. */
function expandPath(path: string, dir: string): string {
  if (isAbsolute(path)) return resolve(path);
  if (path === "~" || path.startsWith("~/")) return join(homedir(), path.slice(1));
  return resolve(dir, path);
}

/** The files Ollama takes from a model folder (parser.go filesForModel), in its order of preference. */
function filesForModel(dir: string): string[] {
  const names = readdirSync(dir).sort();
  const matching = (re: RegExp, within = dir) =>
    (within === dir ? names : existsSync(within) ? readdirSync(within).sort() : [])
      .filter((n) => re.test(n))
      .map((n) => join(within, n));
  const nested = (re: RegExp) =>
    names.filter((n) => statSync(join(dir, n)).isDirectory()).flatMap((d) => matching(re, join(dir, d)));
  let weights = matching(/^model.*\.safetensors$/);
  if (weights.length) weights.push(...nested(/^model.*\.safetensors$/));
  else weights = matching(/^consolidated.*\.safetensors$/);
  if (!weights.length) weights = matching(/^pytorch_model.*\.bin$/);
  if (!weights.length) weights = matching(/^consolidated.*\.pth$/);
  if (!weights.length) weights = matching(/\.gguf$/);
  if (!weights.length) weights = matching(/\.bin$/);
  if (!weights.length)
    throw new ModelfileError(
      `no safetensors, GGUF or PyTorch weights in ${dir} (Ollama: "no Modelfile or safetensors files found")`,
    );
  const extra = [
    ...matching(/\.json$/),
    ...nested(/\.json$/),
    ...matching(/^chat_template\.jinja$/),
    ...matching(/^tokenizer\.model$/),
  ];
  return [...weights, ...extra];
}

interface HashOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ((p: PullProgress) => void) | undefined;
}

/** FROM or ADAPTER: a local file or folder → its blobs; undefined when the path does not exist. */
async function localBlobs(arg: string, dir: string, options: HashOptions): Promise<LocalBlob[] | undefined> {
  const path = expandPath(arg, dir);
  if (!existsSync(path)) return undefined;
  const isDir = statSync(path).isDirectory();
  const files = isDir ? filesForModel(path) : [path];
  const blobs: LocalBlob[] = [];
  for (const file of files) {
    const name = isDir ? relative(path, file).split("\\").join("/") : basename(file);
    // Hashing a multi-GB file takes a while: say so, as `ollama create` does.
    options.onProgress?.({ ref: name, status: `hashing ${name}` });
    blobs.push({
      path: file,
      name,
      digest: `sha256:${await sha256File(file, options.signal)}`,
      size: statSync(file).size,
    });
  }
  return blobs;
}

/** A name Ollama accepts for a new model, checked before anything is pulled or sent. */
export function checkModelName(model: string): void {
  if (!OLLAMA_REF.test(model))
    throw new UnknownModelError(model, "Ollama rejects that name; use letters, digits, `_`, `-`, `.`, and `:tag`", {
      code: "invalid-model-name",
    });
}

/** The Modelfile as a create request (parser.go CreateRequest), plus the local files it names. */
export async function buildCreateRequest(
  model: string,
  commands: ModelfileCommand[],
  dir: string,
  options: HashOptions & { onWarning?: ((m: string) => void) | undefined } = {},
): Promise<{ request: CreateRequest; blobs: LocalBlob[] }> {
  checkModelName(model);
  const request: CreateRequest = { model, stream: true };
  const blobs: LocalBlob[] = [];
  const params: Record<string, unknown> = {};
  const licenses: string[] = [];
  const messages: { role: string; content: string }[] = [];
  const byName = (list: LocalBlob[]) => Object.fromEntries(list.map((b) => [b.name, b.digest]));
  for (const c of commands) {
    switch (c.name) {
      case "model": {
        const local = await localBlobs(c.args, dir, options);
        if (!local) request.from = c.args;
        else {
          request.files = { ...request.files, ...byName(local) };
          blobs.push(...local);
        }
        break;
      }
      case "adapter": {
        const local = await localBlobs(c.args, dir, options);
        if (!local)
          throw new ModelfileError(`ADAPTER ${c.args}: no such file or folder (paths are relative to the Modelfile)`);
        request.adapters = byName(local);
        blobs.push(...local);
        break;
      }
      case "draft":
        throw new ModelfileError("DRAFT (speculative decoding) is not supported here; use `ollama create` for it");
      case "template":
      case "system":
      case "renderer":
      case "parser":
        request[c.name] = c.args;
        break;
      case "requires":
        if (!/^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/.test(c.args))
          throw new ModelfileError("REQUIRES must be a valid semver (e.g. 0.14.0)");
        request.requires = c.args.replace(/^v/, "");
        break;
      case "license":
        licenses.push(c.args);
        break;
      case "message": {
        const i = c.args.indexOf(": ");
        messages.push({ role: c.args.slice(0, i), content: c.args.slice(i + 2) });
        break;
      }
      default:
        if (DEPRECATED_PARAMETERS.includes(c.name)) options.onWarning?.(`parameter ${c.name} is deprecated; ignored`);
        else addParameter(params, c.name, c.args);
    }
  }
  if (Object.keys(params).length) request.parameters = params;
  if (messages.length) request.messages = messages;
  if (licenses.length) request.license = licenses;
  return { request, blobs };
}

/** Send each blob the server does not have yet, with byte progress. */
async function uploadBlobs(driver: OllamaDriver, blobs: LocalBlob[], options: ProgressOptions): Promise<void> {
  for (const blob of blobs) {
    const path = `/api/blobs/${blob.digest}`;
    const head = await driver.api.raw("HEAD", path, { signal: options.signal });
    const progress = (completed: number): PullProgress => ({
      ref: blob.name,
      status: `copying file ${blob.name}`,
      digest: blob.digest,
      total: blob.size,
      completed,
    });
    if (head.ok) {
      options.onProgress?.(progress(blob.size));
      continue;
    }
    let sent = 0;
    const file = Readable.toWeb(createReadStream(blob.path)) as ReadableStream<Uint8Array>;
    const counted = file.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          sent += chunk.byteLength;
          options.onProgress?.(progress(sent));
          controller.enqueue(chunk);
        },
      }),
    );
    const answer = await driver.api.raw("POST", path, { body: counted, signal: options.signal });
    if (!answer.ok) {
      const text = await answer.text().catch(() => "");
      throw new OllamaError(
        `Ollama refused the blob ${blob.name} (${blob.digest.slice(0, 19)}…): HTTP ${answer.status} ${text.slice(0, 200)}` +
          (answer.status === 400 ? " — the file changed while it was being sent; run the command again" : ""),
        answer.status,
      );
    }
  }
}

/** Create (or replace) a local model from Modelfile commands; resolves to what is installed. */
export async function createModel(
  driver: OllamaDriver,
  model: string,
  options: CreateModelOptions,
): Promise<InstalledModel> {
  const version = await driver.version(options);
  if (version !== undefined && olderThan(version, JSON_CREATE_SINCE))
    throw new OllamaVersionError("Creating a model", JSON_CREATE_SINCE, version);
  const { request, blobs } = await buildCreateRequest(model, options.commands, options.dir, options);
  let succeeded = false;
  try {
    await uploadBlobs(driver, blobs, options);
    for await (const line of driver.api.stream<{
      status?: string;
      digest?: string;
      total?: number;
      completed?: number;
    }>("/api/create", request, options.signal)) {
      if (line.status === "success") succeeded = true;
      const progress: PullProgress = { ref: model, status: String(line.status ?? "") };
      if (line.digest) progress.digest = line.digest;
      if (typeof line.total === "number") progress.total = line.total;
      if (typeof line.completed === "number") progress.completed = line.completed;
      options.onProgress?.(progress);
    }
  } catch (error) {
    if (options.signal?.aborted) throw new CancelledError(`creating ${model}`, { cause: error });
    if (error instanceof NoAnswerError) throw new OllamaServerDownError(driver.host, error.message, { cause: error });
    throw classifyOllamaError(error, {
      host: driver.host,
      model: request.from ?? model,
      pulling: Boolean(request.from),
    });
  }
  if (!succeeded) throw new OllamaError(`Ollama stopped before it said it created ${model}; run the command again`);
  const made = await driver.installed(model, options);
  if (!made) throw new UnknownModelError(model, "Ollama reported success but does not list the model");
  return made;
}
