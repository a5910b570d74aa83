/**
 * Can this token publish to that namespace? Asked of `GET /api/whoami-v2` before anything is
 * created or sent: a rejected token, a read-only one, a fine-grained one without `repo.write` there,
 * and a namespace that is neither the account nor one of its organisations each stop here, with a
 * message that says what to do. The token is sent only to the Hub and never appears in a message.
 */
import { HubError, HubPermissionError, HubTokenError } from "../errors/index.ts";
import { networkReason } from "./hub-repo.ts";

interface WhoAmI {
  type?: string;
  name?: string;
  orgs?: { name?: string; roleInOrg?: string }[];
  auth?: {
    type?: string;
    accessToken?: {
      displayName?: string;
      role?: string;
      fineGrained?: { scoped?: { entity?: { type?: string; name?: string }; permissions?: string[] }[] };
    };
  };
}

export interface Account {
  name: string;
  orgs: string[];
}

const TOKENS_URL = "https://huggingface.co/settings/tokens";

export function checkTokenShape(token: string | undefined): asserts token is string {
  if (!token)
    throw new HubTokenError(
      `HF_TOKEN is not set: publishing needs a Hugging Face token with write access. Create one at ${TOKENS_URL} ` +
        "and export HF_TOKEN=… (or use --dry-run to see what would be sent).",
    );
  if (!token.startsWith("hf_") || /\s/.test(token))
    throw new HubTokenError(
      `HF_TOKEN does not look like a Hugging Face token (they start with hf_); check it at ${TOKENS_URL}.`,
    );
}

export async function checkWriteAccess(options: {
  hubUrl: string;
  token: string;
  owner: string;
  fetch: typeof fetch;
  signal?: AbortSignal | undefined;
}): Promise<Account> {
  const url = `${options.hubUrl}/api/whoami-v2`;
  let response: Response;
  try {
    response = await options.fetch(url, {
      headers: { authorization: `Bearer ${options.token}` },
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new HubError(
      `could not reach the Hub at ${options.hubUrl} (${networkReason(error)}); ` +
        "check the network or HF_ENDPOINT, or use --dry-run to work offline.",
      undefined,
      { cause: error },
    );
  }
  if (response.status === 401)
    throw new HubTokenError(
      `the Hub rejected HF_TOKEN (401): it is wrong, expired or revoked. Create a write token at ${TOKENS_URL}.`,
    );
  if (!response.ok) {
    await response.body?.cancel();
    const advice =
      response.status >= 500
        ? "the Hub is having trouble; try again later"
        : "this server does not answer like the Hub; check HF_ENDPOINT";
    throw new HubError(`[GET] "${url}": ${response.status} — ${advice}.`, response.status);
  }
  const me = (await response.json().catch(() => ({}))) as WhoAmI;
  const name = typeof me.name === "string" && /^[\w.-]{1,96}$/.test(me.name) ? me.name : "";
  // Names from the Hub go into messages: only plain ones.
  const orgs = (me.orgs ?? []).filter((o) => typeof o.name === "string" && /^[\w.-]{1,96}$/.test(o.name));
  const token = me.auth?.accessToken;
  const label = token?.displayName ? ` ("${token.displayName.replace(/[^\w .-]/g, "")}")` : "";
  if (token?.role === "read")
    throw new HubTokenError(
      `HF_TOKEN${label} is a read-only token: publishing needs one with the Write role (or a fine-grained token ` +
        `with write access to ${options.owner}'s repos). Create it at ${TOKENS_URL}.`,
    );
  const isSelf = name.toLowerCase() === options.owner.toLowerCase();
  const org = orgs.find((o) => o.name?.toLowerCase() === options.owner.toLowerCase());
  if (!isSelf && !org)
    throw new HubPermissionError(
      `"${options.owner}" is not your account (${name || "unknown"})${orgs.length ? ` nor one of your organisations (${orgs.map((o) => o.name).join(", ")})` : ""}: ` +
        `its repos belong to someone else. Publish under --repo ${name || "<you>"}/<name>, or ask an admin of ${options.owner} to add you.`,
    );
  if (org && org.roleInOrg === "read")
    throw new HubPermissionError(
      `you can only read in the organisation ${options.owner}; ask one of its admins for the write role, or publish under --repo ${name}/<name>.`,
    );
  if (token?.role === "fineGrained") {
    const scoped = token.fineGrained?.scoped ?? [];
    const canWrite = scoped.some(
      (s) => s.entity?.name?.toLowerCase() === options.owner.toLowerCase() && s.permissions?.includes("repo.write"),
    );
    if (!canWrite)
      throw new HubTokenError(
        `HF_TOKEN${label} is a fine-grained token without write access to ${options.owner}'s repos: edit it at ` +
          `${TOKENS_URL} and allow "Write access to contents/settings of all repos" under ${options.owner}.`,
      );
  }
  return { name, orgs: orgs.map((o) => o.name as string) };
}
