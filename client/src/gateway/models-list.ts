/**
 * `GET /v1/models`: every model a request may name here — what each runtime the user has lists
 * (Ollama's by their own names, the others' with their provider prefix, so an id says where it
 * runs), the virtual models (`auto`, `task/<task>`, the chains of config.json) and the cloud models
 * config.json names (`openai/<model>`). In OpenAI's list shape, or Anthropic's when the client
 * speaks that API (it sends `anthropic-version`; Claude Code's model discovery reads only that shape).
 */
import { TASK_NAMES } from "../agent/tasks.ts";
import { configOf, type GatewayContext } from "./chat-call.ts";
import { keyOf } from "./model-names.ts";

export interface ListedModel {
  id: string;
  ownedBy: string;
  /** Unix seconds (0 when the runtime does not say). */
  created: number;
}

export async function gatewayModels(ctx: GatewayContext, signal?: AbortSignal): Promise<ListedModel[]> {
  const config = configOf(ctx);
  const runtimes = await ctx.router.runtimes(config, ctx.defaults, signal);
  const lists = await Promise.all(
    runtimes.local.map((r) =>
      ctx.router.installed(r, signal).catch((error) => {
        if (signal?.aborted) throw error;
        return []; // a runtime that is down has nothing to offer now
      }),
    ),
  );
  const out = new Map<string, ListedModel>();
  const add = (m: ListedModel) => {
    if (!out.has(m.id)) out.set(m.id, m);
  };
  runtimes.local.forEach((runtime, i) => {
    const key = keyOf(runtime, runtimes);
    if (runtime.kind !== "ollama" && !key) return; // not addressable by name (a second server of one kind)
    for (const m of lists[i] ?? []) {
      const at = Date.parse(m.modifiedAt);
      add({
        id: runtime.kind === "ollama" ? m.name : `${key}/${m.name}`,
        ownedBy: runtime.kind,
        created: Number.isFinite(at) ? Math.floor(at / 1000) : 0,
      });
    }
  });
  add({ id: "auto", ownedBy: "small-llm", created: 0 });
  for (const task of TASK_NAMES) add({ id: `task/${task}`, ownedBy: "small-llm", created: 0 });
  for (const name of Object.keys(config.chains ?? {})) add({ id: name, ownedBy: "small-llm", created: 0 });
  for (const [name, cloud] of Object.entries(config.cloud ?? {}))
    add({ id: `openai/${cloud.model}`, ownedBy: `cloud:${name}`, created: 0 });
  return [...out.values()];
}

export const openAIModel = (m: ListedModel) => ({ id: m.id, object: "model", created: m.created, owned_by: m.ownedBy });

export const anthropicModel = (m: ListedModel) => ({
  type: "model",
  id: m.id,
  display_name: m.id,
  created_at: new Date(m.created * 1000).toISOString(),
});

export function openAIList(models: ListedModel[]) {
  return { object: "list", data: models.map(openAIModel) };
}

export function anthropicList(models: ListedModel[]) {
  return {
    data: models.map(anthropicModel),
    has_more: false,
    first_id: models[0]?.id ?? null,
    last_id: models.at(-1)?.id ?? null,
  };
}
