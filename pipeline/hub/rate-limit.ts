/**
 * The Hub's IETF draft-09 rate-limit headers, sent on every response:
 *   RateLimit: "api";r=0;t=55           remaining requests, seconds until the window resets
 * and the classic Retry-After (delay-seconds or an HTTP date).
 */
export function parseRateLimit(header: string | null): { remaining: number; resetSeconds: number } | undefined {
  if (!header) return undefined;
  const r = /(?:^|;)\s*r=(\d+)/.exec(header);
  const t = /(?:^|;)\s*t=(\d+)/.exec(header);
  if (!r || !t) return undefined;
  return { remaining: Number(r[1]), resetSeconds: Number(t[1]) };
}

export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Which Hub quota a URL counts against: `/resolve/` is the Resolvers bucket, the rest is API. */
export function bucketOf(url: string): "api" | "resolvers" {
  return new URL(url).pathname.includes("/resolve/") ? "resolvers" : "api";
}
