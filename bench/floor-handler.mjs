// The cold-start floor of the bench (bench/cold.ts): a streaming handler with nothing to
// import and one write, so its Init Duration is the runtime's own start and its TTFB the least a
// cold Function URL answers in on this machine.
export const handler = awslambda.streamifyResponse(async (_event, responseStream) => {
  const stream = awslambda.HttpResponseStream.from(responseStream, {
    statusCode: 200,
    headers: { "content-type": "text/html; charset=utf-8" },
  });
  stream.end("<!DOCTYPE html><p>floor</p>");
});
