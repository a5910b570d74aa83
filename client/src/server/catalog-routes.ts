/** Routes over the catalogue: the small-tier lists, the filtered model list, one model, recommendations. */
import { z } from "zod";
import { smallTier } from "../catalog/small-tier.ts";
import { ListModelsInput, RecommendInput } from "../operations/index.ts";
import { sendJson } from "./api-error.ts";
import { flag, parseQuery, positiveInt } from "./query.ts";
import type { Route } from "./router.ts";

/** The query strings of the operations' inputs: text in, the operation's own types out. */
const ModelsQuery = ListModelsInput.extend({ installable: flag, limit: positiveInt, context: positiveInt });
const RecommendQuery = RecommendInput.extend({
  context: positiveInt,
  limit: positiveInt,
  minSpeed: z.coerce.number().positive().optional(),
});

export const catalogRoutes: Route[] = [
  {
    method: "GET",
    path: "/api/llm/models/small-tier",
    async handle({ res, url, ctx }) {
      const { refresh } = parseQuery(url, z.object({ refresh: flag }));
      sendJson(res, 200, smallTier(await ctx.ops.context.router.loadIndex(refresh), refresh));
    },
  },
  {
    method: "GET",
    path: "/api/models",
    async handle({ res, url, ctx }) {
      sendJson(res, 200, (await ctx.ops.listModels(parseQuery(url, ModelsQuery))).models);
    },
  },
  {
    method: "GET",
    path: "/api/models/*",
    async handle({ res, param, ctx }) {
      sendJson(res, 200, (await ctx.ops.showModel({ id: param })).model);
    },
  },
  {
    method: "GET",
    path: "/api/recommend",
    async handle({ res, url, ctx }) {
      sendJson(res, 200, await ctx.ops.recommend(parseQuery(url, RecommendQuery)));
    },
  },
];
