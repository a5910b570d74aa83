/**
 * Upload progress for `small-llm publish` on stderr: one bar over every large file (files move in
 * parallel, so a bar per file would flicker), where hashing a file is the first half of its share
 * and sending it the second, so the bar only moves forward; plain lines per phase and per finished
 * file when stderr is not a terminal, e.g. in CI logs.
 */
import cliProgress from "cli-progress";
import { bytes } from "../core/format.ts";
import type { UploadEvent } from "../publish/hub-repo.ts";
import type { Out } from "./io.ts";
import { clean } from "./render.ts";

const PHASES = {
  preuploading: "asking the Hub how to send each file",
  uploadingLargeFiles: "sending large files",
  committing: "committing",
};

export function uploadReporter(stream: Out = process.stderr): {
  onEvent: (e: UploadEvent & { size?: number }) => void;
  stop: () => void;
} {
  const done = new Map<string, { hashed: number; sent: number; size: number }>();
  const said = new Set<string>();
  const bar = stream.isTTY
    ? new cliProgress.SingleBar(
        {
          stream: stream as NodeJS.WriteStream,
          format: "{status} [{bar}] {percentage}% of {size}",
          hideCursor: true,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  let started = false;
  const render = (status: string) => {
    const files = [...done.values()];
    const size = files.reduce((s, f) => s + f.size, 0);
    const sent = files.reduce((s, f) => s + (f.hashed + f.sent) / 2, 0);
    const payload = { status, size: bytes(size) };
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
      if (e.event === "comparing") {
        stream.write(`comparing ${clean(e.path)} with the repo's copy\n`);
        return;
      }
      if (e.event === "phase") {
        if (bar && started) render(PHASES[e.phase]);
        else stream.write(`${PHASES[e.phase]}\n`);
        return;
      }
      const size = e.size ?? 0;
      const bytesDone = Math.round(Math.min(1, e.progress) * size);
      const file = done.get(e.path) ?? { hashed: 0, sent: 0, size };
      if (e.state === "hashing") file.hashed = bytesDone;
      else {
        file.hashed = size;
        file.sent = bytesDone;
      }
      done.set(e.path, file);
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
