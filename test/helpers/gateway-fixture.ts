/**
 * A gateway to drive with real clients: `small-llm serve` in process over the Ollama emulator (two
 * chat models and an embedding model installed) and an LM Studio emulator, with the agent-test
 * index and machine, and its own state dir for the usage log.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AgentConfig } from "../../client/src/agent/config.ts";
import type { DelegateOptions } from "../../client/src/agent/delegate.ts";
import { OllamaDriver } from "../../client/src/runtimes/ollama/driver.ts";
import { OpenAICompatibleRuntime } from "../../client/src/runtimes/openai-compatible/runtime.ts";
import type { Runtime } from "../../client/src/runtimes/runtime.ts";
import { type ApiServer, startApiServer } from "../../client/src/server/api-server.ts";
import {
  ggufModel,
  type OllamaEmulator,
  type OllamaEmulatorOptions,
  startOllamaEmulator,
} from "../ollama-emulator/server.ts";
import { type OpenAIEmulator, type OpenAIEmulatorOptions, startOpenAIEmulator } from "../openai-emulator/server.ts";
import { agentIndex, agentRegistry, LARGE, machine, SMALL } from "./agent-fixtures.ts";

export const EMBED = "nomic-embed-text:latest";
export const LM_CHAT = "qwen2.5-0.5b-instruct";
export const LM_EMBED = "text-embedding-nomic-embed-text-v1.5";

export interface GatewayFixture {
  ollama: OllamaEmulator;
  lmstudio: OpenAIEmulator;
  api: ApiServer;
  /** `${api.url}/v1` */
  base: string;
  driver: OllamaDriver;
  /** The usage log's lines, parsed. */
  usage(): Record<string, unknown>[];
  /** What the server logged (as `serve` prints it): failed requests, pulls. */
  logged: string[];
  close(): Promise<void>;
}

export interface GatewayFixtureOptions {
  config?: AgentConfig;
  pull?: boolean;
  token?: string;
  ollama?: Partial<OllamaEmulatorOptions>;
  lmstudio?: Partial<OpenAIEmulatorOptions>;
  /** Which Ollama models to install (default: the small and the large chat model, and the embedding model). */
  install?: string[];
  /** More runtimes after Ollama and LM Studio (a cloud endpoint goes in the config instead). */
  runtimes?: (ollama: OllamaDriver, lmstudio: Runtime) => Runtime[];
  delegate?: Partial<DelegateOptions>;
}

export async function startGatewayFixture(options: GatewayFixtureOptions = {}): Promise<GatewayFixture> {
  const state = mkdtempSync(join(tmpdir(), "sli-gateway-state-"));
  process.env.SMALL_LLM_STATE_DIR = state;
  const ollama = await startOllamaEmulator({
    registry: [...agentRegistry(), ggufModel(EMBED, 100_000_000)],
    lineDelayMs: 0,
    ...options.ollama,
  });
  const lmstudio = await startOpenAIEmulator({
    flavour: "lmstudio",
    models: [LM_CHAT, LM_EMBED],
    tokenDelayMs: 0,
    ...options.lmstudio,
  });
  const driver = new OllamaDriver({ host: ollama.url });
  for (const ref of options.install ?? [SMALL, LARGE, EMBED]) await driver.install(ref);
  const lm = new OpenAICompatibleRuntime({ kind: "lmstudio", baseUrl: lmstudio.url });
  const runtimes = options.runtimes ? options.runtimes(driver, lm) : [driver, lm];
  const logged: string[] = [];
  const api = await startApiServer({
    log: (line) => logged.push(line),
    port: 0,
    runtime: driver,
    hardware: async () => machine,
    loadIndex: async () => ({
      index: agentIndex(),
      source: "network",
      fetchedAt: new Date(),
      ageMs: 0,
      attempts: [],
      warnings: [],
    }),
    ...(options.token ? { token: options.token } : {}),
    ...(options.pull ? { pull: true } : {}),
    delegate: {
      runtimes,
      index: agentIndex(),
      hardware: machine,
      config: { retryDelayMs: 1, ...options.config },
      ...options.delegate,
    },
  });
  return {
    ollama,
    lmstudio,
    api,
    base: `${api.url}/v1`,
    driver,
    logged,
    usage: () => {
      try {
        return readFileSync(join(state, "metrics", "usage.jsonl"), "utf8")
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l));
      } catch {
        return [];
      }
    },
    async close() {
      await api.close();
      await ollama.close();
      await lmstudio.close();
    },
  };
}
