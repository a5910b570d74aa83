/**
 * What a delegate call asks, checked before anything runs: the task exists, the prompt is not
 * empty, the options are real Ollama options of the right type, `format` is `"json"` or a schema.
 * These are the caller's mistakes, so they throw (a model failure never does).
 */
import { closest } from "fastest-levenshtein";
import { InvalidOptionError, UnknownTaskError } from "../errors/index.ts";
import type { ChatMessage } from "../runtimes/runtime.ts";
import type { AgentConfig } from "./config.ts";
import { taskOptions } from "./config-options.ts";
import { type OllamaOptions, validateOptions } from "./options.ts";
import { TASK_NAMES, type TaskName } from "./tasks.ts";

export function checkTask(task: string | undefined): TaskName {
  if (task === undefined) return "quick";
  if ((TASK_NAMES as readonly string[]).includes(task)) return task as TaskName;
  const near = closest(task.toLowerCase(), [...TASK_NAMES]);
  throw new UnknownTaskError(
    `unknown task "${task}"${near ? ` — did you mean "${near}"?` : ""} Tasks: ${TASK_NAMES.join(", ")}.`,
  );
}

export interface PreparedInput {
  messages: ChatMessage[];
  system?: string;
  options: OllamaOptions;
  format?: "json" | Record<string, unknown>;
}

const ROLES = new Set(["system", "user", "assistant", "tool"]);

export function prepareInput(
  input: string | ChatMessage[],
  call: { system?: string | undefined; options?: Record<string, unknown> | undefined; format?: unknown },
  config: AgentConfig,
  task: TaskName,
): PreparedInput {
  let messages: ChatMessage[];
  if (typeof input === "string") {
    if (!input.trim()) throw new InvalidOptionError("the prompt is empty: give delegate() some text or messages");
    messages = [{ role: "user", content: input }];
  } else if (Array.isArray(input) && input.length) {
    input.forEach((m, i) => {
      if (!m || !ROLES.has(m.role) || typeof m.content !== "string")
        throw new InvalidOptionError(
          `message ${i} must be { role: "system" | "user" | "assistant" | "tool", content: string }, not ${JSON.stringify(m)?.slice(0, 80)}`,
        );
    });
    messages = input;
  } else throw new InvalidOptionError("delegate() takes a prompt string or a non-empty array of chat messages");
  const taskConfig = config.tasks?.[task];
  // The task's configured options first, the call's on top: a per-call value wins. A model's own
  // configured options go under both, per link (attempt.ts).
  const options = validateOptions({ ...taskOptions(config, task), ...call.options });
  const prepared: PreparedInput = { messages, options };
  const system = call.system ?? taskConfig?.system;
  if (system) prepared.system = system;
  if (call.format !== undefined) {
    if (
      call.format !== "json" &&
      (typeof call.format !== "object" || call.format === null || Array.isArray(call.format))
    )
      throw new InvalidOptionError(`format must be "json" or a JSON Schema object, not ${JSON.stringify(call.format)}`);
    prepared.format = call.format as PreparedInput["format"];
  }
  return prepared;
}
