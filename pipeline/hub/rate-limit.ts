/**
 * The Hub's two rate-limit buckets. Its IETF draft-09 headers (`RateLimit: "api";r=0;t=55`) and
 * Retry-After are read by the shared retry policy (client/src/http/retry.ts).
 */
/** Which Hub quota a URL counts against: `/resolve/` is the Resolvers bucket, the rest is API. */
export function bucketOf(url: string): "api" | "resolvers" {
  return new URL(url).pathname.includes("/resolve/") ? "resolvers" : "api";
}
