export { buildEvent, type FunctionUrlEvent } from "./event.ts";
export {
  AWS_BANDWIDTH,
  type BandwidthLimit,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULTS,
  FunctionUrlConfigError,
  type FunctionUrlOptions,
  type InvokeMode,
  PAYLOAD_LIMIT_BYTES,
  resolveHandler,
} from "./options.ts";
export { INTEGRATION_CONTENT_TYPE, type Prelude, PreludeSplitter } from "./prelude.ts";
export {
  currentRuntime,
  isNodeRuntime,
  NODE_RUNTIMES,
  type NodeRuntime,
  type RuntimeNode,
} from "./runtime.ts";
export { FunctionUrlServer, type FunctionUrlStats, startFunctionUrl } from "./server.ts";
