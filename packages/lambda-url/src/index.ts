export { FunctionUrlServer, startFunctionUrl, type FunctionUrlStats } from "./server.ts";
export {
  AWS_BANDWIDTH,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULTS,
  FunctionUrlConfigError,
  PAYLOAD_LIMIT_BYTES,
  resolveHandler,
  type BandwidthLimit,
  type FunctionUrlOptions,
  type InvokeMode,
} from "./options.ts";
export { buildEvent, type FunctionUrlEvent } from "./event.ts";
export { INTEGRATION_CONTENT_TYPE, PreludeSplitter, type Prelude } from "./prelude.ts";
