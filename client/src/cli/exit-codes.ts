/**
 * The CLI's exit codes, from the library's stable error codes. Scripts depend on these numbers:
 * 0 ok · 1 error · 2 usage · 3 Ollama not installed or not running (or not Ollama) · 4 unknown or
 * not installed model · 5 disk full · 6 pull interrupted · 7 no index / refresh failed ·
 * 8 Ollama too old · 130 interrupted (Ctrl-C).
 */
const BY_CODE: Record<string, number> = {
  usage: 2,
  "ollama-not-installed": 3,
  "ollama-server-down": 3,
  "not-ollama": 3,
  "unknown-model": 4,
  "model-not-installed": 4,
  "disk-full": 5,
  "pull-interrupted": 6,
  "index-unavailable": 7,
  "index-refresh-failed": 7,
  "ollama-too-old": 8,
  "bad-runtime-target": 2,
  cancelled: 130,
  "hub-invalid-repo": 2,
  "not-a-model": 2,
  "modelfile-invalid": 2,
  "hub-token": 9,
  "hub-forbidden": 9,
  "hub-error": 10,
};

export const EXIT_HELP =
  "Exit codes: 0 ok, 1 error, 2 usage, 3 Ollama not installed/running, 4 unknown or not installed model,\n" +
  "5 disk full, 6 pull interrupted, 7 no index available, 8 Ollama too old, 130 interrupted.";

export function exitCodeFor(error: unknown): number {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" ? (BY_CODE[code] ?? 1) : 1;
}
