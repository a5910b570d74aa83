/**
 * The gateway as routes of `small-llm serve` (same port, same Host/Origin/token rules): OpenAI
 * `/v1/models`, `/v1/chat/completions`, `/v1/responses`, `/v1/embeddings`; Anthropic `/v1/messages` and
 * `/v1/messages/count_tokens`; each also without `/v1` (some clients take the API root as their base
 * URL). Every failure answers in the shape of the API the client speaks.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";
import { estimateTokens } from "../agent/context-size.ts";
import type { LlmSuccess } from "../agent/delegate.ts";
import { readJsonBody } from "../server/request-body.ts";
import type { ApiContext, Route, RouteRequest } from "../server/router.ts";
import { MessageStream, message } from "./anthropic/respond.ts";
import { CountTokensRequest, MessagesRequest } from "./anthropic/schema.ts";
import { messagesCall } from "./anthropic/to-call.ts";
import { type Answerer, type ChatCall, configOf, type GatewayContext, newId, runChat } from "./chat-call.ts";
import { embeddings } from "./embeddings.ts";
import { type ApiStyle, type GatewayFailure, redactor, sendFailure, thrownFailure } from "./errors.ts";
import { type Selection, selectModels } from "./model-names.ts";
import {
  anthropicList,
  anthropicModel,
  gatewayModels,
  type ListedModel,
  openAIList,
  openAIModel,
} from "./models-list.ts";
import { CompletionStream, completion } from "./openai/respond.ts";
import { newOutputIds, ResponseEventStream, responseObject, responsesCall } from "./openai/responses.ts";
import { ResponsesRequest } from "./openai/responses-schema.ts";
import { ChatCompletionRequest, EmbeddingRequest } from "./openai/schema.ts";
import { chatCall } from "./openai/to-call.ts";
import { answerHeaders, clientSignal, EventWriter, sendAnswer } from "./respond.ts";

/** Agent conversations with tool definitions and images grow far past the /api routes' 1 MiB. */
export const MAX_GATEWAY_BODY_BYTES = 32 * 1024 * 1024;

const gateway = (ctx: ApiContext): GatewayContext => ({
  router: ctx.ops.context.router,
  defaults: ctx.delegate ?? {},
  pull: ctx.pull ?? false,
  ...(ctx.log ? { log: ctx.log } : {}),
});

/** `POST /v1/chat/completions (qwen3:0.6b): 404 model-not-installed — …`, for the terminal running serve. */
function logFailure(r: RouteRequest, f: GatewayFailure, model?: string): void {
  r.ctx.log?.(
    `${r.req.method} ${r.url.pathname}${model ? ` (${model.slice(0, 120)})` : ""}: ${f.status} ${f.code} — ${f.message}`,
  );
}

const isAnthropic = (headers: IncomingHttpHeaders) => headers["anthropic-version"] !== undefined;

/** Which API a path belongs to, for its errors (undefined: not the gateway's). */
export function gatewayStyle(pathname: string, headers: IncomingHttpHeaders): ApiStyle | undefined {
  const path = pathname.replace(/^\/v1(?=\/)/, "");
  if (path === "/messages" || path.startsWith("/messages/")) return "anthropic";
  if (path === "/models" || path.startsWith("/models/")) return isAnthropic(headers) ? "anthropic" : "openai";
  if (pathname.startsWith("/v1/") || ["/chat/completions", "/responses", "/embeddings"].includes(path)) return "openai";
  return undefined;
}

/** Send any thrown error in the API's shape, with every key this process holds blanked out. */
export function sendGatewayError(res: ServerResponse, style: ApiStyle, error: unknown, ctx?: ApiContext): void {
  let config: ReturnType<typeof configOf> | undefined;
  try {
    config = ctx ? configOf(gateway(ctx)) : undefined;
  } catch {
    config = undefined; // a broken config.json is the error being reported, perhaps
  }
  sendFailure(res, style, thrownFailure(error, redactor(config)), newId("req_"));
}

const body = <S extends z.ZodType>(req: IncomingMessage, schema: S) =>
  readJsonBody(req, schema, MAX_GATEWAY_BODY_BYTES);

/** What each API's stream writer does: tokens as they come, then the end or an in-band failure. */
interface AnswerStream {
  token(text: string, who: Answerer): void;
  /** A thinking model's thoughts, for the APIs that carry them. */
  thinking?(text: string, who: Answerer): void;
  finish(response: LlmSuccess, who: Answerer): void;
  fail(failure: GatewayFailure): void;
}

/** A chat of any of the APIs, answered whole or streamed through the API's own stream writer. */
async function chat(
  r: RouteRequest,
  requestId: string,
  style: ApiStyle,
  call: ChatCall,
  stream: boolean,
  writer: () => AnswerStream,
  whole: (response: LlmSuccess) => unknown,
): Promise<void> {
  const signal = clientSignal(r.res);
  const ctx = gateway(r.ctx);
  const claudeNames = style === "anthropic";
  if (!stream) {
    const outcome = await runChat(ctx, call, { signal, claudeNames });
    if (!outcome.ok) {
      logFailure(r, outcome.failure, call.model);
      sendFailure(r.res, style, outcome.failure, requestId);
    } else sendAnswer(r.res, whole(outcome.response), answerHeaders(outcome.who, style, requestId));
    return outcome.record();
  }
  const out = writer();
  const outcome = await runChat(ctx, call, {
    signal,
    claudeNames,
    onToken: (text, who) => out.token(text, who),
    ...(out.thinking ? { onThinking: (text: string, who: Answerer) => out.thinking?.(text, who) } : {}),
  });
  if (outcome.ok) out.finish(outcome.response, outcome.who);
  else {
    logFailure(r, outcome.failure, call.model);
    if (r.res.headersSent) out.fail(outcome.failure);
    else sendFailure(r.res, style, outcome.failure, requestId);
  }
  return outcome.record();
}

async function chatCompletions(r: RouteRequest): Promise<void> {
  const request = await body(r.req, ChatCompletionRequest);
  const id = newId("chatcmpl-");
  const created = Math.floor(Date.now() / 1000);
  const requestId = newId("req_");
  const include = request.stream_options?.include_usage === true;
  await chat(
    r,
    requestId,
    "openai",
    chatCall(request),
    request.stream === true,
    () => new CompletionStream(new EventWriter(r.res), id, created, include, requestId),
    (response) => completion(id, created, response),
  );
}

async function responses(r: RouteRequest): Promise<void> {
  const request = await body(r.req, ResponsesRequest);
  const id = newId("resp_");
  const created = Math.floor(Date.now() / 1000);
  const requestId = newId("req_");
  await chat(
    r,
    requestId,
    "openai",
    responsesCall(request),
    request.stream === true,
    () => new ResponseEventStream(new EventWriter(r.res), id, created, request, requestId),
    (response) => responseObject(id, created, request, response.model, { response, ids: newOutputIds(response) }),
  );
}

async function messages(r: RouteRequest): Promise<void> {
  const request = await body(r.req, MessagesRequest);
  const id = newId("msg_");
  const requestId = newId("req_");
  await chat(
    r,
    requestId,
    "anthropic",
    messagesCall(request),
    request.stream === true,
    () => new MessageStream(new EventWriter(r.res), id, requestId),
    (response) => message(id, response),
  );
}

/** An estimate (about 3 bytes a token, as the agent layer sizes contexts): the runtimes have no tokenizer endpoint in common. */
async function countTokens(r: RouteRequest): Promise<void> {
  const call = messagesCall(await body(r.req, CountTokensRequest));
  const tools = call.tools?.length ? estimateTokens(JSON.stringify(call.tools)) : 0;
  const calls = call.messages.flatMap((m) => m.toolCalls ?? []);
  const input = estimateTokens(call.messages) + tools + (calls.length ? estimateTokens(JSON.stringify(calls)) : 0);
  sendAnswer(r.res, { input_tokens: input }, { "request-id": newId("req_") });
}

async function embed(r: RouteRequest): Promise<void> {
  const request = await body(r.req, EmbeddingRequest);
  const answer = await embeddings(gateway(r.ctx), request, clientSignal(r.res));
  sendAnswer(r.res, answer.body, answerHeaders(answer.who, "openai", newId("req_")));
  await answer.record();
}

async function listModels(r: RouteRequest): Promise<void> {
  const models = await gatewayModels(gateway(r.ctx), clientSignal(r.res));
  sendAnswer(r.res, isAnthropic(r.req.headers) ? anthropicList(models) : openAIList(models), {});
}

/** A listed model, or any other name a chat would take (an index id, a `.gguf` path, a prefixed name) as itself. */
async function oneModel(r: RouteRequest): Promise<void> {
  const ctx = gateway(r.ctx);
  const signal = clientSignal(r.res);
  let found: ListedModel | undefined = (await gatewayModels(ctx, signal)).find((m) => m.id === r.param);
  if (!found) {
    const config = configOf(ctx);
    const selection = await selectModels(r.param, [], { ...ctx, config, signal });
    found = { id: r.param, ownedBy: ownerOf(selection), created: 0 };
  }
  sendAnswer(r.res, isAnthropic(r.req.headers) ? anthropicModel(found) : openAIModel(found), {});
}

const ownerOf = (selection: Selection): string => {
  const [entry] = selection.chain ?? [];
  return selection.chain?.length === 1 && entry && typeof entry !== "string" ? entry.runtime : "small-llm";
};

/** Each handler under `/v1` and at the root; a failure answers in the API's shape. */
function both(method: Route["method"], path: string, handle: (r: RouteRequest) => Promise<void>): Route[] {
  const guarded = async (r: RouteRequest) => {
    try {
      await handle(r);
    } catch (error) {
      logFailure(r, thrownFailure(error, redactor(undefined)));
      sendGatewayError(r.res, gatewayStyle(r.url.pathname, r.req.headers) ?? "openai", error, r.ctx);
    }
  };
  return [
    { method, path: `/v1${path}`, handle: guarded },
    { method, path, handle: guarded },
  ];
}

export const gatewayRoutes: Route[] = [
  ...both("GET", "/models", listModels),
  ...both("GET", "/models/*", oneModel),
  ...both("POST", "/chat/completions", chatCompletions),
  ...both("POST", "/responses", responses),
  ...both("POST", "/embeddings", embed),
  ...both("POST", "/messages", messages),
  ...both("POST", "/messages/count_tokens", countTokens),
];
