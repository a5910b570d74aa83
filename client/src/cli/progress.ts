/**
 * Pull progress on stderr: a bar per layer with speed and ETA on a terminal; plain lines (each
 * status once, and every 10 % of a layer) when stderr is not a TTY, e.g. in CI logs.
 */
import cliProgress from "cli-progress";
import { bytes } from "../core/format.ts";
import type { PullProgress } from "../runtimes/runtime.ts";
import type { Out } from "./io.ts";

export function pullReporter(stream: Out = process.stderr): {
  onProgress: (p: PullProgress) => void;
  stop: () => void;
} {
  if (!stream.isTTY) {
    let lastStatus = "";
    let lastTenth = -1;
    return {
      onProgress: (p) => {
        if (p.total && p.completed !== undefined) {
          const tenth = Math.floor((p.completed / p.total) * 10);
          if (p.status !== lastStatus) lastTenth = -1;
          if (tenth !== lastTenth) {
            stream.write(`${p.status}: ${bytes(p.completed)} / ${bytes(p.total)} (${tenth * 10} %)\n`);
            lastTenth = tenth;
          }
        } else if (p.status !== lastStatus) {
          stream.write(`${p.status}\n`);
        }
        lastStatus = p.status;
      },
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream: stream as NodeJS.WriteStream,
      format: "{status} [{bar}] {percentage}% | {done} / {size} | {speed} | ETA {eta_formatted}",
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let layer: string | undefined;
  return {
    onProgress: (p) => {
      if (p.digest && p.total) {
        if (p.digest !== layer) {
          if (layer) bar.stop();
          layer = p.digest;
          bar.start(p.total, p.completed ?? 0, {
            status: p.status,
            done: bytes(p.completed ?? 0),
            size: bytes(p.total),
            speed: "-",
          });
        }
        bar.update(p.completed ?? 0, {
          status: p.status,
          done: bytes(p.completed ?? 0),
          size: bytes(p.total),
          speed: p.bytesPerSecond ? `${bytes(p.bytesPerSecond)}/s` : "-",
        });
      } else {
        if (layer) bar.stop();
        layer = undefined;
        stream.write(`${p.status}\n`);
      }
    },
    stop: () => {
      if (layer) bar.stop();
    },
  };
}
