/**
 * Every failure a user of the client can hit is a class with a literal `name`, a stable `code`
 * from the registry (for programs, the HTTP API and MCP; never renamed), the standard `cause`, and
 * a message that says what to do next. What a code means to each adapter (exit code, HTTP status,
 * retry and fallback) is the registry's, not the class's.
 */
import type { ErrorCode } from "./registry.ts";

export abstract class SmallLlmError extends Error {
  abstract override readonly name: string;
  /** Stable machine-readable code, e.g. `ollama-not-installed`. */
  abstract readonly code: ErrorCode;
}
