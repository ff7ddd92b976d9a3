// The Lambda entry of the OpenNext server function (open-next.config.ts `override.wrapper`), in
// place of OpenNext's "aws-lambda-streaming": chunks not retained, identity unless asked, a failed
// body fails the invocation. Why and how: docs/decisions/004-own-streaming-wrapper.md.
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { InternalEvent, InternalResult } from "@opennextjs/aws/types/open-next.js";
import type { Wrapper, WrapperHandler } from "@opennextjs/aws/types/overrides.js";
// Also declares the runtime's global `awslambda` (streamifyResponse, HttpResponseStream).
import type {} from "aws-lambda";
import { createResponseStatusChannel, withResponseStatusChannel } from "../lib/response-status.ts";
import { answerBeforeHandler, type EarlyAnswer, plainAnswer } from "./early-answer.ts";
import { compressionPolicyFromEnv, headerValue } from "./encoding.ts";
import { StreamingWrapperConfigError } from "./errors.ts";
import { preludeFromResult, type ResponseStream, writePrelude } from "./prelude.ts";
import { createResponseWriter } from "./stream-creator.ts";

interface LambdaRuntimeGlobal {
  /** Installed by the Lambda Node.js runtime (aws-lambda-ric); absent anywhere else. */
  awslambda?: Pick<typeof awslambda, "streamifyResponse">;
  /** Set by OpenNext's main handler at start-up; the warmer uses it to count distinct instances. */
  serverId?: string;
  /** Defined by OpenNext's server bundle; "warmerEvent" preloads routes when routePreloadingBehavior says so. */
  __next_route_preloader?: (stage: string) => Promise<void>;
}

/** Work the handler defers (waitUntil), awaited before the invocation ends. */
function deferredTasks() {
  const pending = new Set<Promise<unknown>>();
  const waitUntil = (promise: Promise<void>) => {
    const tracked = promise.catch((error: unknown) =>
      console.error("streaming-wrapper: waitUntil task failed:", error),
    );
    pending.add(tracked);
    void tracked.finally(() => pending.delete(tracked));
  };
  const settled = async () => {
    while (pending.size > 0) await Promise.all(pending);
  };
  return { waitUntil, settled };
}

function writeEarlyAnswer(responseStream: ResponseStream, answer: EarlyAnswer): void {
  writePrelude(responseStream, { statusCode: answer.statusCode, headers: answer.headers, cookies: [] });
  responseStream.end(answer.body);
}

const wrapper: WrapperHandler<InternalEvent, InternalResult> = async (handler, converter) => {
  const runtime = globalThis as unknown as LambdaRuntimeGlobal;
  const streamifyResponse = runtime.awslambda?.streamifyResponse;
  if (streamifyResponse === undefined) {
    throw new StreamingWrapperConfigError(
      "awslambda.streamifyResponse is missing: this bundle runs only under the Lambda Node.js runtime (aws-lambda-ric)",
    );
  }
  const policy = compressionPolicyFromEnv();

  return streamifyResponse<unknown, void>(async (event, responseStream, context) => {
    // Deferred work (waitUntil) is awaited below; nothing else should hold the invocation open.
    context.callbackWaitsForEmptyEventLoop = false;

    // OpenNext's warmer function invokes the server with { type: "warmer", delay } and counts the
    // distinct serverIds it gets back.
    if (typeof event === "object" && event !== null && "type" in event) {
      const delay = Number((event as { delay?: unknown }).delay) || 0;
      await new Promise((resolve) => setTimeout(resolve, delay));
      responseStream.end(JSON.stringify({ type: "warmer", serverId: runtime.serverId }));
      await runtime.__next_route_preloader?.("warmerEvent");
      return;
    }

    let internalEvent: InternalEvent;
    try {
      internalEvent = await converter.convertFrom(event);
    } catch (error) {
      console.error(`streaming-wrapper: 400, the event does not convert: ${(error as Error).message}`);
      return writeEarlyAnswer(responseStream, plainAnswer(400, "400 bad request"));
    }
    const early = answerBeforeHandler(internalEvent);
    if (early !== undefined) {
      console.warn(`streaming-wrapper: ${early.statusCode} for ${internalEvent.method} ${internalEvent.url}`);
      return writeEarlyAnswer(responseStream, early);
    }
    const statusChannel = createResponseStatusChannel(context.awsRequestId);
    const acceptEncoding = headerValue(internalEvent.headers, "accept-encoding");
    const response = createResponseWriter(
      responseStream,
      { method: internalEvent.method, acceptEncoding, policy },
      statusChannel,
    );
    responseStream.on("error", (error) => {
      console.error(`streaming-wrapper: response stream failed: ${error.message}`);
    });
    const deferred = deferredTasks();

    const result = await withResponseStatusChannel(statusChannel, () =>
      handler(internalEvent, { streamCreator: response.streamCreator, waitUntil: deferred.waitUntil }),
    );
    // Node-runtime routes write their headers through the StreamCreator. A result that never did
    // (an edge-runtime route) is sent from the InternalResult instead.
    if (!response.headersWritten()) {
      const out = response.streamCreator.writeHeaders(preludeFromResult(result));
      Readable.fromWeb(result.body as WebReadableStream).pipe(out);
    }

    await deferred.settled();
    // Throwing is how a streaming handler fails after writing: the runtime ends the response with
    // its error trailer, and a Function URL cuts the client's body off (docs/lambda-streaming.md §1, §2).
    await response.body();
    await response.finish();
  });
};

const streamingWrapper: Wrapper<InternalEvent, InternalResult> = {
  name: "firstbyte-aws-lambda-streaming",
  wrapper,
  // Makes `open-next build` write "streaming": true to open-next.output.json, which is how
  // sst.aws.Nextjs turns on InvokeMode RESPONSE_STREAM for the Function URL.
  supportStreaming: true,
};

export default streamingWrapper;
