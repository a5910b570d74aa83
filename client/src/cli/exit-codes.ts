/** The exit codes as `--help` lists them; the numbers themselves are the error registry's (errors/registry.ts). */
export const EXIT_HELP =
  "Exit codes: 0 ok, 1 error, 2 usage, 3 Ollama not installed/running, 4 unknown or not installed model,\n" +
  "5 disk full, 6 pull interrupted, 7 no index available, 8 Ollama too old, 9 Hub token missing or refused,\n" +
  "10 Hub error, 11 Ollama download failed verification, 12 not enough memory, 13 Ollama releases unreachable,\n" +
  "14 no Ollama download for this platform, 15 the chain gave only bad answers, 130 interrupted.";
