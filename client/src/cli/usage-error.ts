import { SmallLlmError } from "../errors/index.ts";

/** A command line that cannot be carried out as written; exit code 2. */
export class UsageError extends SmallLlmError {
  override readonly name = "UsageError";
  readonly code = "usage";
}
