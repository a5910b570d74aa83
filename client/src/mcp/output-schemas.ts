/**
 * What each MCP tool returns, as JSON Schema for `outputSchema`: the fields an agent reads, each
 * object open to more (the index gains fields within its major version without breaking a client).
 */
import { z } from "zod";

const loose = z.looseObject;

const indexSummary = loose({
  version: z.string(),
  source: z.string(),
  models: z.number(),
  fixture: z.boolean().optional(),
});
const bestFit = loose({ quant: z.string(), ref: z.string(), memoryBytes: z.number() });
const model = loose({
  id: z.string(),
  name: z.string(),
  tier: z.string(),
  params: loose({ total: z.number() }),
  tasks: z.array(z.string()),
  install: z.array(loose({ ref: z.string(), quant: z.string() })),
  bestFit: bestFit.optional(),
});
const installed = loose({
  name: z.string(),
  digest: z.string(),
  sizeBytes: z.number(),
  indexId: z.string().optional(),
});
const error = loose({ code: z.string(), message: z.string() });

export const ListModelsOutput = z.object({ models: z.array(model), index: indexSummary });
export const RecommendOutput = loose({
  contextLength: z.number(),
  index: indexSummary,
  recommendations: z.array(
    loose({
      id: z.string(),
      quant: z.string(),
      ref: z.string(),
      memoryBytes: z.number(),
      fileBytes: z.number().optional(),
      tokensPerSecond: z.number().optional().describe("Decode tokens/s here at the planned context"),
      source: z.enum(["measured", "estimated"]).optional().describe("Whether tokensPerSecond was measured here"),
      firstTokenSeconds: z.number().optional().describe("Seconds before the first token of a 2,000-token prompt"),
      usable: z.boolean().optional().describe("Reaches the speed floor (minSpeed); rows below it come last"),
      why: z.string(),
    }),
  ),
});
export const InstallOutput = z.object({ installed });
export const UpdateOutput = z.object({
  results: z.array(loose({ ref: z.string(), from: z.string(), to: z.string(), changed: z.boolean() })),
});
export const RemoveOutput = z.object({ removed: z.string() });
export const ListInstalledOutput = z.object({ models: z.array(installed) });
export const DelegateOutput = loose({
  success: z.boolean(),
  text: z.string().optional(),
  model: z.string().optional(),
  runtime: z.string().optional(),
  error: error.optional(),
  attempts: z.array(loose({ model: z.string(), outcome: z.string(), ms: z.number() })),
  latencyMs: z.number(),
  task: z.string(),
  notes: z.array(z.string()),
});
export const StatusOutput = loose({
  kind: z.string(),
  host: z.string(),
  reachable: z.boolean(),
  runtimes: z.array(loose({ kind: z.string(), host: z.string(), reachable: z.boolean() })),
  hardware: loose({}),
  index: loose({}),
});
