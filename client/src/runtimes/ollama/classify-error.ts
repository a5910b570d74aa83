/**
 * Turn what the Ollama client throws into our typed errors. The server's words are matched where
 * they are stable in its source: `pull model manifest: file does not exist`, `no space left on
 * device`, `model '…' not found`, `invalid model name`; a stream that ends without `success` was cut.
 */
import {
  DiskFullError,
  OllamaError,
  OllamaServerDownError,
  OllamaVersionError,
  PullInterruptedError,
  type SmallLlmError,
  UnknownModelError,
} from "../errors.ts";

const UNREACHABLE = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|EAI_AGAIN|fetch failed|socket hang up|UND_ERR/i;

function detail(error: unknown): { message: string; status?: number; code?: string } {
  const e = error as {
    message?: string;
    error?: string;
    status_code?: number;
    cause?: { code?: string; message?: string };
  };
  const message = e?.error ?? e?.message ?? String(error);
  return {
    message,
    ...(typeof e?.status_code === "number" ? { status: e.status_code } : {}),
    ...(e?.cause?.code ? { code: e.cause.code } : {}),
  };
}

export function isUnreachable(error: unknown): boolean {
  const d = detail(error);
  return d.status === undefined && (UNREACHABLE.test(d.message) || UNREACHABLE.test(d.code ?? ""));
}

export function classifyOllamaError(
  error: unknown,
  context: { host: string; model?: string; pulling?: boolean },
): SmallLlmError {
  if (error instanceof Error && "exitCode" in error) return error as SmallLlmError;
  const d = detail(error);
  const model = context.model ?? "the model";
  if (/no space left on device|not enough space|disk full/i.test(d.message))
    return new DiskFullError(model, d.message, { cause: error });
  if (/file does not exist|manifest unknown|not found|does not exist/i.test(d.message) || d.status === 404) {
    return new UnknownModelError(
      model,
      context.pulling
        ? "Ollama's registry has no such model or tag; check the name and quant (`small-llm show <id>` lists them)"
        : "it is not installed; run `small-llm install` first",
      { cause: error },
    );
  }
  if (/invalid model name|is invalid/i.test(d.message) || (d.status === 400 && /name/i.test(d.message))) {
    return new UnknownModelError(model, "Ollama rejects that name", { cause: error });
  }
  if (/requires a newer version of Ollama/i.test(d.message))
    return new OllamaVersionError(model, "a newer version", "older");
  if (
    context.pulling &&
    (/Did not receive done or success|ended before Ollama said success|max retries exceeded|terminated|aborted|EOF/i.test(
      d.message,
    ) ||
      UNREACHABLE.test(d.message) ||
      UNREACHABLE.test(d.code ?? ""))
  ) {
    return new PullInterruptedError(model, d.message, { cause: error });
  }
  if (isUnreachable(error)) return new OllamaServerDownError(context.host, d.message, { cause: error });
  return new OllamaError(`Ollama answered: ${d.message}${d.status ? ` (HTTP ${d.status})` : ""}`, d.status, {
    cause: error,
  });
}
