/**
 * Ollama's GitHub releases: look up one (`/latest` or `/tags/<tag>` under a GitHub-releases-shaped
 * API, SMALL_LLM_OLLAMA_RELEASES for another), pick the archive for this OS and CPU, and find its
 * published sha256 — the asset's `digest` (GitHub adds it since 2025-06) or the release's
 * `sha256sum.txt` (`<hex>  ./<asset>` lines). What the API sends is checked before use.
 */
import { z } from "zod";
import { CancelledError, NoReleaseAssetError, ReleaseUnavailableError } from "../errors/index.ts";
import { NoAnswerError, type RetryPolicy, request, retryingFetch } from "../http/index.ts";

export const DEFAULT_RELEASES_URL = "https://api.github.com/repos/ollama/ollama/releases";

export const releasesUrl = (env: NodeJS.ProcessEnv = process.env): string =>
  (env.SMALL_LLM_OLLAMA_RELEASES || DEFAULT_RELEASES_URL).replace(/\/+$/, "");

const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
const TAG = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;
const httpUrl = z.string().refine((u) => /^https?:\/\//i.test(u) && URL.canParse(u), "must be an http(s) URL");

const ReleaseJson = z.object({
  tag_name: z.string().regex(TAG, "must be a version tag like v0.33.0"),
  assets: z.array(
    z.looseObject({
      name: z.string(),
      size: z.number().int().nonnegative().optional(),
      digest: z.string().nullish(),
      browser_download_url: httpUrl,
    }),
  ),
});

export interface ReleaseAsset {
  name: string;
  url: string;
  size?: number;
  /** Lowercase hex sha256 from the asset's `digest`, when GitHub gave one. */
  sha256?: string;
}

export interface Release {
  tag: string;
  /** The tag without its `v`: what `/api/version` reports. */
  version: string;
  assets: ReleaseAsset[];
}

export interface LookupOptions {
  /** Base URL of the releases API (default: releasesUrl()). */
  baseUrl?: string;
  /** `v0.33.0` or `0.33.0`; the latest release when absent. */
  version?: string | undefined;
  signal?: AbortSignal | undefined;
  fetch?: typeof fetch;
}

/** Normalise a user's version to a tag: `0.33.0` → `v0.33.0`. */
export function toTag(version: string): string {
  const v = version.trim();
  if (!TAG.test(v)) throw new TypeError(`"${version}" is not an Ollama version (e.g. v0.33.0)`);
  return v.startsWith("v") ? v : `v${v}`;
}

/** An API answer takes at most this long (a release's metadata is small). */
const LOOKUP_TIMEOUT_MS = 30_000;
/** A passing 5xx or 429 from GitHub or its CDN is asked again, briefly: a person is waiting. */
export const RELEASE_RETRIES: RetryPolicy = { retries: 2, baseMs: 500, maxMs: 5000 };

async function get(url: string, options: LookupOptions, accept: string): Promise<Response> {
  try {
    return await request(url, {
      headers: { accept, "user-agent": "small-llm" },
      signal: options.signal,
      timeoutMs: LOOKUP_TIMEOUT_MS,
      accept: () => true, // the caller says what each status means
      fetch: retryingFetch(RELEASE_RETRIES, options.fetch ? { fetch: options.fetch } : {}),
    });
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    const detail = error instanceof NoAnswerError ? (error.errno ?? error.message) : (error as Error).message;
    throw new ReleaseUnavailableError(url, detail, { cause: error });
  }
}

/** GitHub's limits: a 429, or a 403 with the quota spent (another 403 is a refusal, said as such). */
const rateLimited = (response: Response) =>
  response.status === 429 || (response.status === 403 && response.headers.get("x-ratelimit-remaining") === "0");

function untilReset(headers: Headers, now = Date.now()): string {
  const reset = Number(headers.get("x-ratelimit-reset"));
  const after = Number(headers.get("retry-after"));
  const at = reset > 0 ? reset * 1000 : after > 0 ? now + after * 1000 : undefined;
  if (at === undefined) return "wait and retry";
  const minutes = Math.max(1, Math.ceil((at - now) / 60_000));
  return `try again in ${minutes} min (at ${new Date(at).toTimeString().slice(0, 5)})`;
}

export async function lookupRelease(options: LookupOptions = {}): Promise<Release> {
  const base = (options.baseUrl ?? releasesUrl()).replace(/\/+$/, "");
  const url = options.version ? `${base}/tags/${encodeURIComponent(toTag(options.version))}` : `${base}/latest`;
  const response = await get(url, options, "application/vnd.github+json");
  if (!response.ok) {
    await response.body?.cancel();
    const detail =
      response.status === 404
        ? options.version
          ? `no release ${toTag(options.version)}`
          : "no published release"
        : rateLimited(response)
          ? `${response.status}: rate limited — GitHub allows 60 unauthenticated requests an hour per address; ${untilReset(response.headers)}`
          : `HTTP ${response.status}`;
    throw new ReleaseUnavailableError(url, detail);
  }
  let parsed: z.infer<typeof ReleaseJson>;
  try {
    parsed = ReleaseJson.parse(await response.json());
  } catch (error) {
    throw new ReleaseUnavailableError(
      url,
      `the answer is not a GitHub release: ${(error as Error).message.slice(0, 200)}`,
      {
        cause: error,
      },
    );
  }
  const assets = parsed.assets
    .filter((a) => ASSET_NAME.test(a.name))
    .map((a): ReleaseAsset => {
      const hex = /^sha256:([0-9a-f]{64})$/i.exec(a.digest ?? "")?.[1]?.toLowerCase();
      return {
        name: a.name,
        url: a.browser_download_url,
        ...(a.size !== undefined ? { size: a.size } : {}),
        ...(hex ? { sha256: hex } : {}),
      };
    });
  return { tag: parsed.tag_name, version: parsed.tag_name.replace(/^v/, ""), assets };
}

const ARCH: Record<string, string> = { x64: "amd64", arm64: "arm64" };

/** Asset names for an OS and CPU, preferred first (Linux: `.tar.zst` from v0.14.0, `.tgz` before). */
export function assetNames(platform: string, arch: string): string[] {
  const goArch = ARCH[arch];
  if (platform === "darwin") return ["ollama-darwin.tgz"];
  if (!goArch) return [];
  if (platform === "linux") return [`ollama-linux-${goArch}.tar.zst`, `ollama-linux-${goArch}.tgz`];
  if (platform === "win32") return [`ollama-windows-${goArch}.zip`];
  return [];
}

export function chooseAsset(release: Release, platform: string = process.platform, arch: string = process.arch) {
  const wanted = assetNames(platform, arch);
  for (const name of wanted) {
    const asset = release.assets.find((a) => a.name === name);
    if (asset) return asset;
  }
  throw new NoReleaseAssetError(
    release.tag,
    platform,
    arch,
    wanted,
    release.assets.map((a) => a.name).filter((n) => n !== "sha256sum.txt"),
  );
}

/** `<hex>  ./name` (or `<hex> *name`, `<hex>  name`) → name → hex. */
export function parseChecksums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^([0-9a-fA-F]{64})\s+\*?(?:\.\/)?(\S+)\s*$/.exec(line.trim());
    if (m?.[1] && m[2]) sums.set(m[2], m[1].toLowerCase());
  }
  return sums;
}

/** The published sha256 of an asset: its digest, else its line in sha256sum.txt; undefined when neither. */
export async function publishedSha256(
  release: Release,
  asset: ReleaseAsset,
  options: Pick<LookupOptions, "signal" | "fetch"> = {},
): Promise<string | undefined> {
  if (asset.sha256) return asset.sha256;
  const sums = release.assets.find((a) => a.name === "sha256sum.txt");
  if (!sums) return undefined;
  const response = await get(sums.url, options, "text/plain");
  if (!response.ok) {
    await response.body?.cancel();
    throw new ReleaseUnavailableError(sums.url, `HTTP ${response.status} for sha256sum.txt`);
  }
  const text = await response.text();
  return parseChecksums(text.slice(0, 1_000_000)).get(asset.name);
}
