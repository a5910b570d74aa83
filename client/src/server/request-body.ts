/** JSON request bodies: `application/json` only (a form on another site cannot send it), size-capped, checked with zod. */
import type { IncomingMessage } from "node:http";
import type { z } from "zod";
import { ApiError } from "./api-error.ts";

/** Large enough for a long prompt with a chat history; far below anything that could hurt. */
export const MAX_BODY_BYTES = 1024 * 1024;

export async function readJsonBody<S extends z.ZodType>(
  req: IncomingMessage,
  schema: S,
  maxBytes = MAX_BODY_BYTES,
): Promise<z.infer<S>> {
  const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json")
    throw new ApiError("unsupported-media-type", "send the request body as JSON, with Content-Type: application/json");
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > maxBytes) throw new ApiError("body-too-large", `the body is larger than ${maxBytes} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new ApiError("body-too-large", `the body is larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
  } catch (error) {
    throw new ApiError("invalid-body", `the body is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new ApiError(
      "invalid-body",
      parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "),
    );
  return parsed.data;
}
