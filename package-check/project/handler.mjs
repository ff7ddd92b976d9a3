// A plain streaming Lambda handler, as any project would write one: AWS's runtime interface client
// (run by lambda-url) provides the `awslambda` global. With ?gate it writes the first paragraph,
// then waits on GATE_URL before the last one, so a reader can prove the first arrived before the
// last was written.
export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const stream = awslambda.HttpResponseStream.from(responseStream, {
    statusCode: 200,
    headers: { "content-type": "text/html; charset=utf-8" },
  });
  stream.write('<!doctype html><html><head><title>consumer</title></head><body><p id="first">first</p>');
  if (event.queryStringParameters?.gate !== undefined) await fetch(process.env.GATE_URL);
  stream.end('<p id="last">last</p></body></html>');
});
