/**
 * What the OS says about a process: alive (not a zombie), its executable and arguments, and when it
 * started — enough to tell the server this tool spawned from another process that reused its pid.
 */
import { execFile } from "node:child_process";
import { readFileSync, readlinkSync, realpathSync } from "node:fs";
import { promisify } from "node:util";

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  if (process.platform !== "linux") return true;
  try {
    // A zombie answers kill(0) but is gone.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

const real = (file: string) => {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
};

/** The executable and arguments of a process, as far as this OS lets us see them. */
async function processImage(pid: number): Promise<{ exe?: string; args: string[]; commandLine?: string }> {
  if (process.platform === "linux") {
    const args = (() => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
      } catch {
        return [];
      }
    })();
    try {
      return { exe: readlinkSync(`/proc/${pid}/exe`), args };
    } catch {
      return { args };
    }
  }
  if (process.platform === "win32") return { args: [] };
  try {
    const { stdout } = await promisify(execFile)("ps", ["-o", "command=", "-p", String(pid)], { timeout: 5000 });
    return { args: [], commandLine: stdout.trim() };
  } catch {
    return { args: [] };
  }
}

/** Is this live pid running `binary` (directly, or as the script an interpreter runs)? */
export async function runs(pid: number, binary: string, startTicks?: number): Promise<boolean> {
  // The very process we spawned (same pid, same start time), even if a wrapper script exec'd an interpreter.
  if (startTicks !== undefined && processStartTicks(pid) === startTicks) return true;
  const want = real(binary);
  const { exe, args, commandLine } = await processImage(pid);
  if (exe && real(exe) === want) return true;
  if (args.slice(0, 2).some((a) => a === binary || real(a) === want)) return true;
  // `ps` joins arguments with spaces, and macOS data paths have one ("Application Support").
  if (!commandLine) return false;
  return [binary, want].some(
    (b) => commandLine === b || commandLine.startsWith(`${b} `) || commandLine.includes(` ${b} `),
  );
}

/** Linux: when the process started, in clock ticks since boot (/proc/<pid>/stat field 22). */
export function processStartTicks(pid: number): number | undefined {
  if (process.platform !== "linux") return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}
