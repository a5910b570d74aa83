/**
 * The classifier's second look: for the few repos whose list answer cannot decide — a multimodal
 * repo with no chat template whose architecture is a bare `…Model` (Ultravox, Qwen2.5-Omni), a
 * repo with no pipeline tag and an empty config digest — read config.json (cached by sha; the
 * parameter stage reuses it) and decide again from the whole config.
 */
import { type StageContext, skip } from "../context.ts";
import type { HubModel } from "../hub/types.ts";
import { type Drop, type Verdict, verdictWithConfig } from "./repo-kind.ts";

export async function lookCloser(
  ctx: Pick<StageContext, "repos" | "report">,
  unsure: { model: HubModel; drop: Drop }[],
): Promise<Map<HubModel, Verdict>> {
  const out = new Map<HubModel, Verdict>();
  await Promise.all(
    unsure.map(async ({ model, drop }) => {
      const config = await ctx.repos.config(model);
      if (config.ok) out.set(model, verdictWithConfig(model, drop, config.value));
      else {
        if (config.reason !== "gated") skip(ctx, model.id, "config.json", config.reason);
        out.set(model, {
          reason: drop.reason,
          detail: `${drop.detail}; config.json could not be read (${config.reason})`,
        });
      }
    }),
  );
  return out;
}
