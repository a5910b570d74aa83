/** Query strings, checked like the CLI's flags: an unknown parameter is a typo and says what the route takes. */
import { z } from "zod";
import { ApiError } from "./api-error.ts";

/** `?installable`, `?installable=1`, `=true`: on; `=0`, `=false`: off. */
export const flag = z
  .enum(["1", "0", "true", "false", ""])
  .transform((v) => v === "1" || v === "true" || v === "")
  .optional();
export const positiveInt = z.coerce.number().int().positive().optional();

/** The query string, checked like the CLI's flags; an unknown parameter is a typo and says so. */
export function parseQuery<S extends z.ZodObject>(url: URL, schema: S): z.infer<S> {
  const parsed = (schema.strict() as unknown as S).safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success)
    throw new ApiError(
      "invalid-argument",
      parsed.error.issues
        .map((i) =>
          i.code === "unrecognized_keys"
            ? `unknown query parameter ${i.keys.join(", ")} (takes ${Object.keys(schema.shape).join(", ")})`
            : `${i.path.join(".")}: ${i.message}`,
        )
        .join("; "),
    );
  return parsed.data;
}
