export * from "./agent.ts";
export * from "./base.ts";
export * from "./catalog.ts";
export * from "./general.ts";
export * from "./hub.ts";
export * from "./provision.ts";
export {
  type CodeSpec,
  codeOf,
  ERROR_CODES,
  type ErrorCode,
  exitCodeFor,
  type Fallback,
  failover,
  statusFor,
} from "./registry.ts";
export * from "./runtime.ts";
