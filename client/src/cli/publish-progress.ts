/**
 * Upload progress for `small-llm publish` on stderr: one bar over the bytes of every file being
 * hashed or sent (files move in parallel, so a bar per file would flicker) on a terminal; plain
 * lines per phase and per finished file otherwise, e.g. in CI logs.
 */
import cliProgress from "cli-progress";
import { bytes } from "../format.ts";
import type { UploadEvent } from "../publish/hub-repo.ts";

const PHASES = {
  preuploading: "asking the Hub how to send each file",
  uploadingLargeFiles: "sending large files",
  committing: "committing",
};

export function uploadReporter(stream: NodeJS.WriteStream = process.stderr): {
  onEvent: (e: UploadEvent & { size?: number }) => void;
  stop: () => void;
} {
  const done = new Map<string, { state: string; bytes: number; size: number }>();
  const said = new Set<string>();
  const bar = stream.isTTY
    ? new cliProgress.SingleBar(
        { stream, format: "{status} [{bar}] {percentage}% | {done} / {size}", hideCursor: true, etaBuffer: 50 },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  let started = false;
  const render = (status: string) => {
    const files = [...done.values()];
    const size = files.reduce((s, f) => s + f.size, 0);
    const sent = files.reduce((s, f) => s + f.bytes, 0);
    const payload = { status, done: bytes(sent), size: bytes(size) };
    if (!started) {
      bar?.start(Math.max(size, 1), sent, payload);
      started = true;
    } else {
      bar?.setTotal(Math.max(size, 1));
      bar?.update(sent, payload);
    }
  };
  return {
    onEvent: (e) => {
      if (e.event === "phase") {
        if (bar && started) render(PHASES[e.phase]);
        else stream.write(`${PHASES[e.phase]}\n`);
        return;
      }
      const size = e.size ?? 0;
      const bytesDone = Math.round(Math.min(1, e.progress) * size);
      done.set(e.path, { state: e.state, bytes: e.state === "uploading" ? bytesDone : 0, size });
      if (bar) render(e.state === "hashing" ? `hashing ${e.path}` : `sending ${e.path}`);
      else if (e.state === "uploading" && e.progress >= 1 && !said.has(e.path)) {
        said.add(e.path);
        stream.write(`sent ${e.path} (${bytes(size)})\n`);
      }
    },
    stop: () => {
      if (started) bar?.stop();
    },
  };
}
