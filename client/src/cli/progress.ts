/**
 * Pull progress on stderr: a bar per layer with speed and time left on a terminal; plain lines
 * (each status once, and every 10 % of a layer) when stderr is not a TTY, e.g. in CI logs. Sizes
 * carry one decimal (`134.2 MB / 457.0 MB`) so a line moves between updates; the time left is
 * shown only once a speed is known — never a placeholder for an infinite or unknown wait.
 */
import cliProgress from "cli-progress";
import type { PullProgress } from "../runtimes/runtime.ts";
import type { Out } from "./io.ts";

const UNITS: [number, string][] = [
  [1e12, "TB"],
  [1e9, "GB"],
  [1e6, "MB"],
  [1e3, "KB"],
];

/** Decimal units with one decimal, as a progress line shows them: `134.2 MB`, `457.0 MB`, `2.0 GB`. */
export function progressBytes(n: number): string {
  for (const [size, unit] of UNITS) if (Math.abs(n) >= size) return `${(n / size).toFixed(1)} ${unit}`;
  return `${Math.round(n)} B`;
}

/** `, 1m 23s left` from what remains and the current speed; empty while the speed is unknown. */
export function timeLeft(completed: number, total: number, bytesPerSecond: number | undefined): string {
  if (!bytesPerSecond || !(bytesPerSecond > 0) || !(total > completed)) return "";
  const s = Math.ceil((total - completed) / bytesPerSecond);
  if (!Number.isFinite(s)) return "";
  const text =
    s < 60
      ? `${s}s`
      : s < 3600
        ? `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`
        : `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
  return `, ${text} left`;
}

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
            stream.write(
              `${p.status}: ${progressBytes(p.completed)} / ${progressBytes(p.total)} (${tenth * 10} %)${timeLeft(p.completed, p.total, p.bytesPerSecond)}\n`,
            );
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
      // Our own size, speed and time-left fields: cli-progress's ETA prints placeholders for an unknown wait.
      format: "{status} [{bar}] {percentage}% | {done} / {size}{speed}{left}",
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let layer: string | undefined;
  const fields = (p: PullProgress, total: number) => ({
    status: p.status,
    done: progressBytes(p.completed ?? 0),
    size: progressBytes(total),
    speed: p.bytesPerSecond ? ` | ${progressBytes(p.bytesPerSecond)}/s` : "",
    left: timeLeft(p.completed ?? 0, total, p.bytesPerSecond),
  });
  return {
    onProgress: (p) => {
      if (p.digest && p.total) {
        if (p.digest !== layer) {
          if (layer) bar.stop();
          layer = p.digest;
          bar.start(p.total, p.completed ?? 0, fields(p, p.total));
        }
        bar.update(p.completed ?? 0, fields(p, p.total));
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
