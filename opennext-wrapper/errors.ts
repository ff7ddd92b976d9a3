// The wrapper's own errors: a bundle run outside Lambda's runtime, a bad setting, a body that
// failed after its status went out (decision 004).
export class StreamingWrapperConfigError extends Error {
  override name = "StreamingWrapperConfigError";
}

export class ResponseBodyFailedError extends Error {
  override name = "ResponseBodyFailedError";
}
