/**
 * What a model is for, as short badges: chat, base, code, reasoning, vision (and the rest of the
 * index's task words), and gated. A base model that cannot chat says so in its badge, since that
 * is the first thing a person choosing a model to talk to needs to know.
 */
export interface Badge {
  text: string;
  /** A longer explanation, for the title and screen readers. */
  title: string;
  kind: "task" | "base" | "gated";
}

const TITLES: Record<string, string> = {
  chat: "Follows instructions in a conversation",
  code: "Trained or tuned for code",
  reasoning: "Tuned to reason step by step",
  math: "Tuned for mathematics",
  tools: "Can call tools (function calling)",
  vision: "Reads images as well as text",
  audio: "Works with audio",
  multilingual: "Trained for several languages",
};

/** Base models are listed in the index with `base` and no `chat`. */
export const cannotChat = (tasks: readonly string[]) => tasks.includes("base") && !tasks.includes("chat");

export function badges(tasks: readonly string[], gated: boolean): Badge[] {
  const out: Badge[] = tasks.map((task) =>
    task === "base"
      ? {
          text: cannotChat(tasks) ? "base · no chat" : "base",
          title: cannotChat(tasks)
            ? "A base model: it continues text but does not follow chat instructions"
            : "Also usable as a base model",
          kind: "base" as const,
        }
      : { text: task, title: TITLES[task] ?? task, kind: "task" as const },
  );
  if (gated)
    out.push({ text: "gated", title: "Accept the terms on the Hub to download the original weights", kind: "gated" });
  return out;
}
