/**
 * What can go wrong getting Ollama onto a machine and keeping it running: each a class with a
 * literal `name`, a stable `code` (never renamed) and a message that says what to do next.
 */
import { SmallLlmError } from "./base.ts";

/** The releases API or a download could not be reached, or it answered with an error. */
export class ReleaseUnavailableError extends SmallLlmError {
  override readonly name = "ReleaseUnavailableError";
  readonly code = "release-unavailable";
  constructor(
    readonly url: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(
      `could not get the Ollama release from ${url} (${detail}). Check your network (or SMALL_LLM_OLLAMA_RELEASES), ` +
        "then run the same command again; or install Ollama yourself from https://ollama.com/download",
      options,
    );
  }
}

/** The release has no archive for this OS and CPU. */
export class NoReleaseAssetError extends SmallLlmError {
  override readonly name = "NoReleaseAssetError";
  readonly code = "no-release-asset";
  constructor(tag: string, platform: string, arch: string, wanted: string[], available: string[]) {
    super(
      `Ollama ${tag} has no download for ${platform}/${arch} (looked for ${wanted.join(" or ") || "nothing: unsupported platform"}; ` +
        `it has ${available.slice(0, 12).join(", ") || "no assets"}). Try another release with --version, or see ` +
        "https://ollama.com/download for how to install Ollama on this machine.",
    );
  }
}

/** The archive's sha256 is not the published one, or nothing was published to check it against. */
export class ChecksumError extends SmallLlmError {
  override readonly name = "ChecksumError";
  readonly code: "checksum-mismatch" | "no-checksum";
  constructor(asset: string, expected: string | undefined, actual: string) {
    super(
      expected
        ? `the download of ${asset} is damaged or not the published file: its sha256 is ${actual}, the release says ${expected}. ` +
            "It was deleted and nothing was installed; run the same command again, and report it if it keeps happening."
        : `refusing to install ${asset}: the release publishes no checksum for it (no asset digest, no line in sha256sum.txt). ` +
            "It was deleted and nothing was installed; pick a release that has one with --version.",
    );
    this.code = expected ? "checksum-mismatch" : "no-checksum";
  }
}

/** The archive could not be unpacked, or does not hold an ollama executable where it should. */
export class ArchiveError extends SmallLlmError {
  override readonly name = "ArchiveError";
  readonly code = "archive-invalid";
  constructor(asset: string, detail: string, options?: ErrorOptions) {
    super(
      `could not install from ${asset}: ${detail}. Nothing was switched to it; run the same command again.`,
      options,
    );
  }
}

/** The download stopped short and retries did not finish it; the part kept lets the next run resume. */
export class DownloadIncompleteError extends SmallLlmError {
  override readonly name = "DownloadIncompleteError";
  readonly code = "download-incomplete";
  constructor(asset: string, got: number, expected: number | undefined, options?: ErrorOptions) {
    super(
      `the download of ${asset} stopped at ${got}${expected ? ` of ${expected}` : ""} bytes. ` +
        "Run the same command again: it resumes from what was downloaded.",
      options,
    );
  }
}

/** No space left while writing a download. */
export class NoSpaceError extends SmallLlmError {
  override readonly name = "NoSpaceError";
  readonly code = "no-space";
  constructor(
    readonly where: string,
    options?: ErrorOptions,
  ) {
    super(
      `the disk is full: could not write ${where}. Free some space there (or set XDG_DATA_HOME to a disk with room) ` +
        "and run the same command again; the partial download was removed.",
      options,
    );
  }
}

/** Not enough free disk or memory for a model, found before pulling it. */
export class PreflightError extends SmallLlmError {
  override readonly name = "PreflightError";
  readonly code: "not-enough-disk" | "not-enough-memory";
  constructor(kind: "disk" | "memory", message: string) {
    super(`${message} Pass --force to pull it anyway.`);
    this.code = kind === "disk" ? "not-enough-disk" : "not-enough-memory";
  }
}

/** The new Ollama did not answer after an update; the previous one is current again. */
export class UpdateRolledBackError extends SmallLlmError {
  override readonly name = "UpdateRolledBackError";
  readonly code = "update-rolled-back";
  constructor(to: string, back: string, detail: string, options?: ErrorOptions) {
    super(
      `Ollama ${to} did not work (${detail}), so ${back} is current again and nothing changed. ` +
        "Try again later or pin a release with `small-llm setup --version`.",
      options,
    );
  }
}

/** `server stop` was asked to stop a server this tool did not start. */
export class ServerNotManagedError extends SmallLlmError {
  override readonly name = "ServerNotManagedError";
  readonly code = "server-not-managed";
}

/**
 * A model download did not complete (HTTP error, dropped connection); the part already fetched is
 * kept and the next try resumes it. Same code as an Ollama release download that stopped short.
 */
export class DownloadError extends SmallLlmError {
  override readonly name = "DownloadError";
  readonly code = "download-incomplete";
  constructor(
    message: string,
    readonly url: string,
    readonly statusCode?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A downloaded model's sha256 is not the one expected: it was deleted, nothing was installed (code shared with Ollama setup's ChecksumError). */
export class ChecksumMismatchError extends SmallLlmError {
  override readonly name = "ChecksumMismatchError";
  readonly code = "checksum-mismatch";
}
