/** What the driver reports: progress, installed and running models, update and run results. */
export interface PullProgress {
  ref: string;
  status: string;
  /** The layer being pulled (`sha256:…`), when the line is about one. */
  digest?: string;
  completed?: number;
  total?: number;
  /** Bytes per second over the last second or so, for the current layer. */
  bytesPerSecond?: number;
}

export interface InstalledModel {
  name: string;
  digest: string;
  sizeBytes: number;
  modifiedAt: string;
  quant?: string;
  parameterSize?: string;
  /** The index entry this ref installs, when it is one of the index's refs. */
  indexId?: string;
}

export interface OllamaStatus {
  host: string;
  reachable: boolean;
  version?: string;
  binary?: string;
  models: InstalledModel[];
  /** Models loaded in memory now (`/api/ps`), with how much of each sits in VRAM. */
  running: { name: string; sizeBytes: number; vramBytes: number; expiresAt: string }[];
}

export interface UpdateResult {
  ref: string;
  from: string;
  to: string;
  changed: boolean;
}

export interface RunResult {
  model: string;
  text: string;
  doneReason?: string;
  /** Time to the first token. */
  latencyMs: number;
  totalMs: number;
  promptTokens?: number;
  outputTokens?: number;
  tokensPerSecond?: number;
}

export type ChatMessage = { role: "system" | "user" | "assistant" | "tool"; content: string };
