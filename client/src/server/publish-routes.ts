/**
 * `POST /api/publish`: publishModel() over HTTP, its progress streamed (NDJSON or SSE, as for
 * installs) and cancelled when the client goes away. The token is the server's `HF_TOKEN`: a
 * request never carries or receives it.
 */
import { z } from "zod";
import { streamed } from "./event-stream.ts";
import { readJsonBody } from "./request-body.ts";
import type { Route } from "./router.ts";

export const PublishBody = z
  .object({
    path: z.string().min(1).max(4096).describe("A model folder or a single .gguf file on this machine"),
    repo: z.string().min(3).max(200).describe("owner/name of the Hub model repo"),
    private: z.boolean().optional(),
    base: z.string().min(3).max(200).optional(),
    license: z.string().min(1).max(64).optional(),
    dryRun: z.boolean().optional(),
  })
  .strict();

export const publishRoutes: Route[] = [
  {
    method: "POST",
    path: "/api/publish",
    async handle({ req, res }) {
      const body = await readJsonBody(req, PublishBody);
      // Loaded only when someone publishes: @huggingface/hub is not needed to serve the rest.
      const { publishModel } = await import("../publish/publish-model.ts");
      await streamed(req, res, "result", (stream) =>
        publishModel({ ...body, signal: stream.signal, onProgress: (e) => stream.send("progress", { ...e }) }),
      );
    },
  },
];
