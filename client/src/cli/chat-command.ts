/**
 * `small-llm chat [model]`: a conversation, as `ollama run` has it. The history goes with every
 * turn and the answer streams; `/bye`, `/clear`, `/model NAME`, `/set OPTION VALUE` (checked as
 * `--option` is), `/set system TEXT`, `/show`, `/save FILE`. Ctrl-C stops the answer being written,
 * not the session (a stopped turn is left out of the history). On a terminal it prompts; from a
 * pipe each input line is one turn and the answers go to stdout, one after another.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface, type Interface } from "node:readline";
import type { Command } from "commander";
import { type OllamaOptions, parseOptionPairs } from "../agent/options.ts";
import { CancelledError, exitCodeFor } from "../errors/index.ts";
import { bestChatModel, type Operations } from "../operations/index.ts";
import type { ChatMessage, Think } from "../runtimes/runtime.ts";
import type { Context } from "./context.ts";
import { parseFormat } from "./parse.ts";
import { pullReporter } from "./progress.ts";
import { clean } from "./render.ts";
import { generationOptions, parseThink, thinkingPrinter } from "./runtime-commands.ts";

interface ChatCliOptions {
  system?: string;
  option?: string[];
  format?: string;
  think?: Think;
  quant?: string;
  pull?: boolean;
  force?: boolean;
}

const HELP = [
  "/bye                 leave (Ctrl-D too)",
  "/clear               forget the conversation so far",
  "/model NAME          talk to another model (an index id or a runtime name); the conversation stays",
  "/set OPTION VALUE    an Ollama option for the next turns, e.g. /set temperature 0.2 (`small-llm options`)",
  "/set system TEXT     the system prompt",
  "/set think [LEVEL]   let a thinking model think first (low, medium, high); /set nothink turns it off",
  "/show                the model, system prompt and options in use",
  "/save FILE           write the conversation to FILE as JSON (model, system, options, messages)",
  "Ctrl-C               stop the answer being written (the conversation goes on)",
].join("\n");

class Session {
  messages: ChatMessage[] = [];
  options: OllamaOptions;
  system: string | undefined;
  /** Unset: the runtime's default (Ollama lets a thinking model think). */
  think: Think | undefined;
  /** The turn being answered: Ctrl-C aborts this, not the session. */
  turn: AbortController | undefined;
  ended = false;

  constructor(
    readonly ctx: Context,
    readonly ops: Operations,
    public model: string,
    readonly cli: ChatCliOptions,
    readonly tty: boolean,
  ) {
    this.options = parseOptionPairs(cli.option ?? []);
    this.system = cli.system;
    this.think = cli.think;
  }

  /** One user turn: the history and the answer, streamed. Resolves to false when it failed. */
  async ask(text: string): Promise<boolean> {
    const { ctx } = this;
    const turn = new AbortController();
    this.turn = turn;
    const signal = AbortSignal.any([turn.signal, ctx.signal]);
    const messages = [...this.messages, { role: "user" as const, content: text }];
    const thinking = thinkingPrinter(ctx);
    const progress = pullReporter(ctx.io.stderr);
    let wrote = false;
    let open = false; // answer text on the current line (see run: a late warning takes a line of its own)
    try {
      const result = await this.ops.chat(
        {
          model: this.model,
          messages,
          ...(this.system ? { system: this.system } : {}),
          options: this.options,
          ...(this.cli.format ? { format: parseFormat(this.cli.format) } : {}),
          ...(this.think !== undefined ? { think: this.think } : {}),
          ...(this.cli.quant ? { quant: this.cli.quant } : {}),
          pull: this.cli.pull !== false,
          ...(this.cli.force ? { force: true } : {}),
        },
        {
          signal,
          onProgress: progress.onProgress,
          onWarning: (w) => {
            if (open) ctx.write("\n");
            open = false;
            ctx.info(`warning: ${w}`);
          },
          onThinking: thinking.onThinking,
          onToken: (t) => {
            progress.stop();
            thinking.end();
            wrote = true;
            open = true;
            ctx.write(clean(t));
          },
        },
      );
      this.messages = [...messages, { role: "assistant", content: result.text }];
      if (!wrote) ctx.write(`${clean(result.text)}\n`);
      else if (open) ctx.write("\n");
      if (this.tty) ctx.write("\n");
      return true;
    } catch (error) {
      if (open) ctx.write("\n");
      if (turn.signal.aborted && !ctx.signal.aborted) {
        ctx.info("[answer stopped; this turn is left out of the conversation]");
        return true;
      }
      if (error instanceof CancelledError) throw error;
      ctx.info(`small-llm: ${(error as Error).message}`);
      this.failure ??= exitCodeFor(error);
      return false;
    } finally {
      progress.stop();
      thinking.end();
      this.turn = undefined;
    }
  }

  /** The exit status of the first failed turn, for scripts that pipe a conversation in. */
  failure: number | undefined;

  /** A `/command` line; false when it is not one. */
  async command(line: string): Promise<boolean> {
    const { ctx } = this;
    const [word = "", ...rest] = line.trim().split(/\s+/);
    const arg = line.trim().slice(word.length).trim();
    switch (word) {
      case "/bye":
      case "/exit":
        this.ended = true;
        return true;
      case "/clear":
        this.messages = [];
        ctx.info("the conversation is cleared");
        return true;
      case "/?":
      case "/help":
        ctx.info(HELP);
        return true;
      case "/show":
        ctx.info(
          [
            `model:   ${clean(this.model)}`,
            `system:  ${this.system ? clean(this.system) : "–"}`,
            `options: ${Object.keys(this.options).length ? JSON.stringify(this.options) : "–"}`,
            `think:   ${this.think === undefined ? "the model's default" : String(this.think)}`,
            `turns:   ${this.messages.filter((m) => m.role === "user").length}`,
          ].join("\n"),
        );
        return true;
      case "/model":
        if (!arg) ctx.info(`talking to ${clean(this.model)}; /model NAME switches`);
        else {
          this.model = arg;
          ctx.info(`now talking to ${clean(arg)} (installed first if needed, at the next turn)`);
        }
        return true;
      case "/set": {
        const [name, ...value] = rest;
        if (name === "system") {
          this.system = value.join(" ") || undefined;
          ctx.info(this.system ? "system prompt set" : "system prompt cleared");
        } else if (name === "think" || name === "nothink") {
          try {
            this.think = name === "nothink" ? false : parseThink(value.join(" ") || "true");
            ctx.info(
              this.think === false ? "thinking off" : `thinking on${this.think === true ? "" : ` (${this.think})`}`,
            );
          } catch (error) {
            ctx.info(`small-llm: ${(error as Error).message.replace("--think", "/set think")}`);
          }
        } else if (!name || !value.length) ctx.info("/set takes an option and a value, e.g. /set temperature 0.2");
        else {
          try {
            const parsed = parseOptionPairs([`${name}=${value.join(" ")}`]);
            this.options = { ...this.options, ...parsed };
            ctx.info(`set ${name} = ${JSON.stringify(parsed[name as keyof OllamaOptions])}`);
          } catch (error) {
            ctx.info(`small-llm: ${(error as Error).message}`);
          }
        }
        return true;
      }
      case "/save": {
        if (!arg) {
          ctx.info("/save takes a file name, e.g. /save chat.json");
          return true;
        }
        const file = resolve(arg);
        try {
          const saved = { model: this.model, system: this.system, options: this.options, messages: this.messages };
          writeFileSync(file, `${JSON.stringify(saved, null, 2)}\n`);
          ctx.info(`saved ${this.messages.length} messages to ${file}`);
        } catch (error) {
          ctx.info(`small-llm: cannot write ${file}: ${(error as Error).message}`);
        }
        return true;
      }
      default:
        if (!word.startsWith("/")) return false;
        ctx.info(`unknown command ${clean(word)}; /? lists them`);
        return true;
    }
  }

  /** Ctrl-C: stop the answer if one is being written; between turns, leave on a pipe, hint on a terminal. */
  interrupt(rl: Interface): void {
    if (this.turn) {
      this.turn.abort();
      return;
    }
    if (this.tty) {
      this.ctx.info("\n(Ctrl-D or /bye to leave)");
      rl.prompt();
      return;
    }
    this.ended = true;
    this.interrupted = true;
    rl.close();
  }

  /** Ctrl-C between the turns of a piped conversation: it ends, as a cancelled command does. */
  interrupted = false;
}

async function chatCommand(model: string | undefined, cli: ChatCliOptions, ctx: Context): Promise<number> {
  parseOptionPairs(cli.option ?? []); // a typo in an option is named before anything starts
  if (cli.format) parseFormat(cli.format);
  const ops = await ctx.operations({ model });
  const tty = ctx.io.stdin.isTTY === true;
  // The index first, so what it says of itself (test data, a stale copy) comes before the prompt.
  await ops.context.router.index(ctx.signal);
  const chosen = model ?? (await bestChatModel(ops.context, ctx.signal));
  if (!model)
    ctx.info(
      `talking to ${clean(chosen)}, the best chat model installed here (\`small-llm chat <model>\` picks another)`,
    );
  const session = new Session(ctx, ops, chosen, cli, tty);
  const rl = createInterface({
    input: ctx.io.stdin,
    ...(tty ? { output: ctx.io.stdout, terminal: true, prompt: ">>> " } : { terminal: false }),
  });
  // Ctrl-C at the prompt of a terminal reaches readline (raw mode); while an answer streams the
  // terminal is in cooked mode and Ctrl-C arrives as SIGINT, which the interrupt channel hands us.
  rl.on("SIGINT", () => session.interrupt(rl));
  const release = ctx.io.interrupt?.take(() => session.interrupt(rl));
  const stop = () => rl.close();
  ctx.signal.addEventListener("abort", stop, { once: true });
  // While an answer streams on a terminal, readline rests and the terminal is back in cooked mode,
  // so Ctrl-C is a SIGINT (what stops the answer) and typing does not garble the answer.
  const answering = (on: boolean) => {
    if (!tty) return;
    if (on) rl.pause();
    (ctx.io.stdin as { setRawMode?: (on: boolean) => void }).setRawMode?.(!on);
    if (!on) rl.resume();
  };
  if (tty) {
    ctx.info(`/? for help, /bye or Ctrl-D to leave, Ctrl-C stops an answer`);
    rl.prompt();
  }
  try {
    for await (const line of rl) {
      const text = line.trim();
      if (text && !(await session.command(text))) {
        answering(true);
        const ok = await session.ask(text);
        answering(false);
        if (!ok && !tty) break; // a script's conversation stops at the first failed turn
      }
      if (session.ended) break;
      if (tty) rl.prompt();
    }
  } finally {
    release?.();
    ctx.signal.removeEventListener("abort", stop);
    rl.close();
  }
  if (ctx.signal.aborted) throw new CancelledError("the chat");
  return session.failure ?? (session.interrupted ? 130 : 0);
}

export function registerChatCommand(program: Command, ctx: Context, setExit: (code: number) => void): void {
  generationOptions(
    program
      .command("chat [model]")
      .description("talk with a model, turn by turn (default: the best chat model installed here); /? for commands"),
  ).action(async (model: string | undefined, options: ChatCliOptions) => {
    setExit(await chatCommand(model, options, ctx));
  });
}
