/** A pass-through that counts the bytes of a download and their rate over the last second or so, for progress bars. */
import { Transform } from "node:stream";

export function byteMeter(
  start: number,
  report: (completed: number, bytesPerSecond: number | undefined) => void,
): Transform {
  let completed = start;
  let window = { at: performance.now(), bytes: start };
  let bytesPerSecond: number | undefined;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      completed += chunk.length;
      const now = performance.now();
      if (now - window.at >= 1000) {
        bytesPerSecond = ((completed - window.bytes) * 1000) / (now - window.at);
        window = { at: now, bytes: completed };
      }
      report(completed, bytesPerSecond);
      done(null, chunk);
    },
  });
}
