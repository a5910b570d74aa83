/** Routes over the catalogue: the small-tier lists, the filtered model list, one model, recommendations. */
import { z } from "zod";
import { findModel } from "../catalog/find-model.ts";
import { budgetsForFits, checkTier, TASK_TAGS } from "../catalog/model-filters.ts";
import { smallTier } from "../catalog/small-tier.ts";
import { queryModels, SORTS } from "../core/query-models.ts";
import { UnknownModelError } from "../errors/index.ts";
import { recommendReport } from "../recommend/recommend-report.ts";
import { sendJson } from "./api-error.ts";
import { flag, parseQuery, positiveInt } from "./query.ts";
import type { Route } from "./router.ts";

const ModelsQuery = z.object({
  tier: z.string().optional(),
  fits: z.string().optional(),
  task: z.enum(TASK_TAGS).optional(),
  license: z.string().optional(),
  search: z.string().optional(),
  installable: flag,
  sort: z.enum(SORTS).optional(),
  limit: positiveInt,
  context: positiveInt,
});

const RecommendQuery = z.object({
  tier: z.string().optional(),
  task: z.enum(TASK_TAGS).optional(),
  fits: z.string().optional(),
  context: positiveInt,
  limit: positiveInt,
});

export const catalogRoutes: Route[] = [
  {
    method: "GET",
    path: "/api/llm/models/small-tier",
    async handle({ res, url, ctx }) {
      const { refresh } = parseQuery(url, z.object({ refresh: flag }));
      sendJson(res, 200, smallTier(await ctx.loadIndex(refresh), refresh));
    },
  },
  {
    method: "GET",
    path: "/api/models",
    async handle({ res, url, ctx }) {
      const q = parseQuery(url, ModelsQuery);
      const { index } = await ctx.loadIndex();
      checkTier(index, q.tier);
      const budgets = await budgetsForFits(index, q.fits, { hardware: ctx.hardware });
      const rows = queryModels(index.models, { ...q, contextLength: q.context, budgets });
      sendJson(
        res,
        200,
        rows.map(({ model, fit }) =>
          fit
            ? { ...model, bestFit: { quant: fit.install.quant, ref: fit.install.ref, memoryBytes: fit.memoryBytes } }
            : model,
        ),
      );
    },
  },
  {
    method: "GET",
    path: "/api/models/*",
    async handle({ res, param, ctx }) {
      const model = findModel((await ctx.loadIndex()).index, param);
      if (!model)
        throw new UnknownModelError(param, "not in the index; search with GET /api/models?search=<words>", {
          code: "not-in-index",
        });
      sendJson(res, 200, model);
    },
  },
  {
    method: "GET",
    path: "/api/recommend",
    async handle({ res, url, ctx }) {
      const q = parseQuery(url, RecommendQuery);
      const report = await recommendReport(await ctx.loadIndex(), {
        ...q,
        contextLength: q.context,
        hardware: ctx.hardware,
      });
      sendJson(res, 200, report);
    },
  },
];
