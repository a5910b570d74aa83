/**
 * This machine's RAM bandwidth, measured in process when no table knows it (speed.md §4.5): worker
 * threads copy their slice of one large buffer into another with `TypedArray.set` (memcpy speed in
 * V8), all started together by an Atomics barrier and timed over the common window, best of a few
 * rounds — one thread cannot saturate a desktop's memory, unsynchronised workers over-count, and a
 * shared or virtual machine varies run to run. STREAM's copy convention: bytes read + written.
 * About a third of a second; the result is kept in the cache dir for a month, so a CLI run pays it once.
 */
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import { dirname, join } from "node:path";
import { Worker } from "node:worker_threads";
import { paths } from "../paths.ts";

export interface MeasuredBandwidth {
  gbs: number;
  threads: number;
  /** ISO time of the measurement. */
  measuredAt: string;
}

export interface MeasureOptions {
  /** Worker threads (default: the available parallelism, at most 8). */
  threads?: number;
  /** Bytes of each of the two buffers (default 128 MiB: well past any desktop's last-level cache). */
  bufferBytes?: number;
  /** Length of one timed window (default 80 ms), and how many windows (default 3; the best counts). */
  windowMs?: number;
  rounds?: number;
}

// Runs in each worker (an eval'd script: the same in the sources and the bundle).
const WORKER = `
const { workerData } = require("node:worker_threads");
const { src, dst, control, index, offset, length, rounds } = workerData;
const c = new Int32Array(control);
const s = new Float64Array(src, offset, length);
const d = new Float64Array(dst, offset, length);
s.fill(1);
d.set(s);
for (let r = 0; r < rounds; r++) {
  Atomics.add(c, 0, 1);
  Atomics.notify(c, 0);
  Atomics.wait(c, 1, r);
  let passes = 0;
  while (Atomics.load(c, 2) <= r) { d.set(s); passes++; }
  c[4 + index * rounds + r] = passes;
  Atomics.add(c, 3, 1);
  Atomics.notify(c, 3);
}`;

/** Resolves once `c[i]` reaches `value` (workers count up; the main thread polls, it must not block). */
async function until(c: Int32Array, i: number, value: number, deadline: number): Promise<void> {
  while (Atomics.load(c, i) < value) {
    if (performance.now() > deadline) throw new Error("bandwidth workers did not answer");
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

const MiB = 1024 ** 2;

/** GB/s of a multi-thread copy, or undefined when it cannot run here (no memory to spare, no workers). */
export async function measureBandwidth(options: MeasureOptions = {}): Promise<MeasuredBandwidth | undefined> {
  const threads = Math.max(1, Math.min(8, options.threads ?? os.availableParallelism()));
  const rounds = options.rounds ?? 3;
  const windowMs = options.windowMs ?? 80;
  // Two buffers: leave the machine most of its free memory.
  const bufferBytes = options.bufferBytes ?? Math.min(128 * MiB, Math.floor(os.freemem() / 8 / MiB) * MiB);
  // Smaller buffers would sit in a large cache and measure it instead of the RAM.
  if (bufferBytes < 32 * MiB) return undefined;
  const length = Math.floor(bufferBytes / 8 / threads);
  const src = new SharedArrayBuffer(length * 8 * threads);
  const dst = new SharedArrayBuffer(length * 8 * threads);
  const control = new SharedArrayBuffer(4 * (4 + threads * rounds));
  const c = new Int32Array(control);
  const workers = Array.from(
    { length: threads },
    (_, index) =>
      new Worker(WORKER, {
        eval: true,
        workerData: { src, dst, control, index, offset: index * length * 8, length, rounds },
      }),
  );
  const failed = new Promise<never>((_, reject) => {
    for (const w of workers) w.once("error", reject);
  });
  const deadline = performance.now() + 10_000;
  let best = 0;
  try {
    for (let r = 0; r < rounds; r++) {
      await Promise.race([until(c, 0, threads * (r + 1), deadline), failed]);
      const start = performance.now();
      Atomics.store(c, 1, r + 1);
      Atomics.notify(c, 1);
      await new Promise((resolve) => setTimeout(resolve, windowMs));
      Atomics.store(c, 2, r + 1);
      await Promise.race([until(c, 3, threads * (r + 1), deadline), failed]);
      const seconds = (performance.now() - start) / 1000;
      let passes = 0;
      for (let i = 0; i < threads; i++) passes += c[4 + i * rounds + r] ?? 0;
      best = Math.max(best, (passes * length * 8 * 2) / seconds / 1e9);
    }
  } catch {
    return undefined;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  // llmfit's sanity bounds: anything outside is a broken timer, not a machine.
  if (!(best >= 2 && best <= 4000)) return undefined;
  return { gbs: Math.round(best * 10) / 10, threads, measuredAt: new Date().toISOString() };
}

/** How long a measurement is reused: RAM is rarely changed, and the figure is only as good as ±25 % anyway. */
export const MEASUREMENT_REUSE_MS = 30 * 24 * 3600_000;

interface Stored extends MeasuredBandwidth {
  key: string;
}

/**
 * The measurement for this machine (`key` names its CPU, cores and RAM): from the cache dir when a
 * recent one is there, else measured now and stored. A failed write only costs the next run a measurement.
 */
export async function cachedBandwidth(
  key: string,
  options: { file?: string; now?: number; measure?: () => Promise<MeasuredBandwidth | undefined> } = {},
): Promise<MeasuredBandwidth | undefined> {
  const file = options.file ?? join(paths().cache, "bandwidth.json");
  const now = options.now ?? Date.now();
  try {
    const stored = JSON.parse(readFileSync(file, "utf8")) as Stored;
    if (stored.key === key && now - Date.parse(stored.measuredAt) < MEASUREMENT_REUSE_MS && stored.gbs > 0)
      return { gbs: stored.gbs, threads: stored.threads, measuredAt: stored.measuredAt };
  } catch {
    // none yet, or unreadable: measure
  }
  const measured = await (options.measure ?? measureBandwidth)();
  if (measured) {
    try {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, `${JSON.stringify({ key, ...measured })}\n`);
    } catch {
      // an unwritable cache dir: the figure still stands for this run
    }
  }
  return measured;
}
