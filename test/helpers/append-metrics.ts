/** `tsx append-metrics.ts <file> <id> <n>`: append n usage records as fast as it can (the concurrent-writers test). */
import { appendUsage } from "../../client/src/agent/metrics.ts";

const [file, id, n] = process.argv.slice(2) as [string, string, string];
for (let i = 0; i < Number(n); i++) {
  const written = await appendUsage(
    {
      v: 1,
      ts: new Date().toISOString(),
      kind: "delegate",
      task: "quick",
      model: `writer-${id}`,
      runtime: "ollama",
      side: "local",
      latencyMs: i,
      success: true,
      attempts: [{ model: `writer-${id}`, outcome: "ok", ms: i }],
      answer: "x".repeat(1500), // long lines make torn writes likelier, if writes could tear
    },
    { file, env: { SMALL_LLM_METRICS: "1" } },
  );
  if (!written) process.exit(1);
}
