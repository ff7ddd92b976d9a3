import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { AssetDirectory } from "./assets.ts";
import { ACCOUNT_ID, ExecutionEnvironment, type InvocationSink } from "./environment.ts";
import { buildEvent } from "./event.ts";
import {
  type InvokeApiRoute,
  InvokeResponder,
  initDurationField,
  matchInvokeApi,
  ResponseStreamInvoker,
  resolveFunction,
  sendApiError,
} from "./invoke-api.ts";
import { hostRefusal, isAllowedHost, isForeignOrigin } from "./local-only.ts";
import { type EnvironmentOptions, type FunctionUrlOptions, PAYLOAD_LIMIT_BYTES, resolveOptions } from "./options.ts";
import { BufferedResponder, StreamingRelay, sendJsonError } from "./relay.ts";
import type { ResponseOutcome } from "./response-sink.ts";
import { currentRuntime, type RuntimeNode, resolveRuntimeNode } from "./runtime.ts";

/** Lambda's words for an invocation payload over its 6 MB limit (docs/lambda-streaming.md §2). */
const REQUEST_TOO_LARGE_MESSAGE = `Request must be smaller than ${PAYLOAD_LIMIT_BYTES} bytes for the InvokeFunction operation`;

export interface FunctionUrlStats {
  /** Execution environments alive now (starting, idle or busy). */
  environments: number;
  busy: number;
  /** Invocations started. */
  invocations: number;
  /** Invocations that started a new environment. */
  cold: number;
  warm: number;
  /** Requests refused with 429 at the concurrency limit. */
  throttled: number;
  /** Invocations that failed: function error, crash, timeout, oversized response. */
  errors: number;
  timeouts: number;
  /** Requests answered from the assets directory. */
  assets: number;
}

/**
 * A local Lambda Function URL: a payload 2.0 front on node:http, and a pool of execution
 * environments each running AWS's runtime interface client (aws-lambda-ric) in a child process.
 */
export class FunctionUrlServer {
  private readonly environments = new Set<ExecutionEnvironment>();
  /** Idle environments, most recently used last: the warmest one is reused first. */
  private idle: ExecutionEnvironment[] = [];
  /** Environments being created, counted against the concurrency limit. */
  private starting = 0;
  private nextEnvironmentNumber = 1;
  private readonly counters = { invocations: 0, cold: 0, warm: 0, throttled: 0, errors: 0, timeouts: 0, assets: 0 };
  private readonly assets: AssetDirectory | null;
  private closing = false;
  /** Callers of whenIdle, checked whenever an environment changes. */
  private readonly idleWaiters = new Set<() => void>();
  /** Requests between asking for an environment and handing it their invocation (or giving up). */
  private dispatching = 0;
  /** Stands in for the `<url-id>` of `https://<url-id>.lambda-url.<region>.on.aws`. */
  private readonly urlId = randomBytes(16).toString("hex");
  readonly url: string;

  private constructor(
    private readonly options: EnvironmentOptions,
    private readonly server: http.Server,
  ) {
    this.assets = options.assetsDir ? new AssetDirectory(options.assetsDir, options.assetHeaders) : null;
    const address = server.address() as AddressInfo;
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
    this.url = `http://${host}:${address.port}`;
  }

  static async start(options: FunctionUrlOptions): Promise<FunctionUrlServer> {
    const checked = resolveOptions(options);
    const node: RuntimeNode = checked.runtime
      ? await resolveRuntimeNode(checked.runtime, checked.log)
      : { runtime: currentRuntime(), execPath: process.execPath, version: process.versions.node };
    if (node.mismatch) checked.log(`lambda-url: ${node.mismatch}`);
    const resolved: EnvironmentOptions = { ...checked, node };
    const server = http.createServer();
    // Long streamed responses are the point: Lambda allows 15 minutes.
    server.requestTimeout = 0;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(resolved.port, resolved.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const instance = new FunctionUrlServer(resolved, server);
    server.on("request", (req, res) => {
      instance.handle(req, res).catch((error: unknown) => {
        resolved.log(`lambda-url: internal error: ${error instanceof Error ? error.message : String(error)}`);
        if (!res.headersSent) sendJsonError(res, 500, { Message: "Internal Server Error" }, "-");
        else res.destroy();
      });
    });
    return instance;
  }

  /** The Lambda runtime the function runs as, and the Node binary that runs it. */
  get runtime(): RuntimeNode {
    return this.options.node;
  }

  stats(): FunctionUrlStats {
    let busy = 0;
    for (const env of this.environments) if (env.hasInvocation) busy += 1;
    return { environments: this.environments.size + this.starting, busy, ...this.counters };
  }

  /** Process ids of the function's execution environments, e.g. to sample their memory. */
  pids(): number[] {
    const pids: number[] = [];
    for (const env of this.environments) if (env.pid !== undefined && env.state !== "dead") pids.push(env.pid);
    return pids;
  }

  /**
   * Resolves once no invocation is running and no request is waiting for an environment: every request handed to
   * the function so far has finished, including those whose client left (the function is not told,
   * and runs on). Resolves at once when that is so now. Tests wait on it instead of on quiet time.
   */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!this.isIdle()) return;
        this.idleWaiters.delete(check);
        resolve();
      };
      this.idleWaiters.add(check);
      check();
    });
  }

  private isIdle(): boolean {
    if (this.dispatching > 0) return false;
    for (const env of this.environments) if (env.hasInvocation) return false;
    return true;
  }

  private notifyIdleWaiters(): void {
    for (const check of [...this.idleWaiters]) check();
  }

  async close(): Promise<void> {
    this.closing = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await Promise.all([...this.environments].map((env) => env.stop()));
    await closed;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = performance.now();
    const method = req.method ?? "GET";
    const target = req.url ?? "/";
    const pathOnly = target.split("?")[0] ?? "/";
    if (this.closing) {
      req.resume();
      sendJsonError(res, 503, { Message: "Service Unavailable" }, "-");
      return;
    }
    if (!isAllowedHost(req.headers.host, this.options.allowedHosts)) {
      req.resume();
      const message = hostRefusal(req.headers.host);
      res.writeHead(403, { "content-type": "text/plain; charset=utf-8", "content-length": Buffer.byteLength(message) });
      res.end(message);
      this.options.log(`lambda-url: ${method} ${pathOnly} 403 ${message}`);
      return;
    }

    const api = matchInvokeApi(method, pathOnly);
    if (api) {
      await this.handleInvokeApi(api, req, res, started);
      return;
    }

    if (this.assets) {
      const served = await this.assets.serve(req, res);
      if (served) {
        this.counters.assets += 1;
        this.options.log(
          `static ${method} ${pathOnly} ${served.status} ${served.bytes}B ${Math.round(performance.now() - started)}ms`,
        );
        return;
      }
    }

    const requestId = randomUUID();
    const body = await readRequestBody(req, PAYLOAD_LIMIT_BYTES);
    if (body === null) {
      // Invocation payloads are limited to 6 MB (docs/lambda-streaming.md §2).
      sendJsonError(res, 413, { Message: REQUEST_TOO_LARGE_MESSAGE }, requestId, {
        "x-amzn-errortype": "RequestTooLargeException",
      });
      this.options.log(`${requestId} ${method} ${pathOnly} 413 request too large`);
      return;
    }

    const acquired = await this.dispatch();
    if (!acquired) {
      // Beyond the reserved concurrency Lambda throttles (docs/lambda-streaming.md §2).
      this.counters.throttled += 1;
      sendJsonError(res, 429, { Message: "Rate Exceeded.", Type: "User" }, requestId, {
        "x-amzn-errortype": "TooManyRequestsException",
      });
      this.options.log(`${requestId} ${method} ${pathOnly} 429 throttled (concurrency ${this.options.concurrency})`);
      return;
    }
    const { env, cold } = acquired;
    this.counters.invocations += 1;
    this.counters[cold ? "cold" : "warm"] += 1;

    const remote = req.socket.remoteAddress ?? "127.0.0.1";
    const event = buildEvent(req, body, {
      requestId,
      sourceIp: remote.startsWith("::ffff:") ? remote.slice(7) : remote,
      urlId: this.urlId,
      now: new Date(),
    });
    const relayOptions = {
      requestId,
      bandwidth: this.options.bandwidth,
      stripContentEncoding: this.options.stripContentEncoding,
    };
    const sink =
      this.options.invokeMode === "BUFFERED"
        ? new BufferedResponder(res, relayOptions, PAYLOAD_LIMIT_BYTES)
        : new StreamingRelay(res, relayOptions);
    this.runInvocation(env, event, sink, requestId);
    const outcome = await sink.done;
    this.record(outcome);
    this.options.log(
      formatLogLine(requestId, method, pathOnly, outcome, performance.now() - started, cold && env.initDurationMs),
    );
  }

  /**
   * The Lambda Invoke API on the same port: `Invoke` and `InvokeWithResponseStream` for this one
   * function, as `@aws-sdk/client-lambda` calls them with `endpoint` set to the emulator's URL.
   * Status codes, headers and error shapes follow the Lambda API reference (docs/lambda-streaming.md §4).
   */
  private async handleInvokeApi(
    api: InvokeApiRoute,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    started: number,
  ): Promise<void> {
    const requestId = randomUUID();
    const target = new URL(req.url ?? "/", "http://localhost");
    const label = `${api.operation} ${api.functionName}`;
    const refuse = (status: number, errorType: string, message: string, extra?: Record<string, string>) => {
      req.resume();
      sendApiError(res, status, errorType, message, requestId, extra);
      this.options.log(`${requestId} ${label} ${status} ${errorType}: ${message}`);
    };
    // A web page may POST here without a CORS preflight only from another origin and with a
    // text/plain, form or multipart body; the AWS SDK sends neither an Origin nor those types.
    if (isForeignOrigin(req.headers.origin, req.headers.host)) {
      refuse(
        403,
        "AccessDeniedException",
        `Invoke from a web page of another origin (${String(req.headers.origin).slice(0, 100)}) is not allowed`,
      );
      return;
    }
    const contentType = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
    if (contentType !== "application/octet-stream" && contentType !== "application/json") {
      refuse(
        415,
        "UnsupportedMediaTypeException",
        `The request body must be application/octet-stream or application/json (as the AWS SDK sends it), got "${contentType || "none"}"`,
      );
      return;
    }
    const found = resolveFunction(api.functionName, target.searchParams.get("Qualifier"), {
      functionName: this.options.functionName,
      region: this.options.region,
      accountId: ACCOUNT_ID,
    });
    if (!found.ok) {
      refuse(404, "ResourceNotFoundException", `Function not found: ${found.arn}`);
      return;
    }
    const invocationType = String(req.headers["x-amz-invocation-type"] ?? "RequestResponse");
    const allowedTypes = ["RequestResponse", "DryRun"];
    if (!allowedTypes.includes(invocationType)) {
      // Event (asynchronous) invocations are not emulated: no queue, retries or destinations here.
      refuse(
        400,
        "InvalidParameterValueException",
        `InvocationType ${invocationType} is not supported by lambda-url; use ${allowedTypes.join(" or ")}`,
      );
      return;
    }
    const logType = String(req.headers["x-amz-log-type"] ?? "None");
    if (logType !== "None" && logType !== "Tail") {
      refuse(400, "InvalidParameterValueException", `LogType must be None or Tail, got ${logType}`);
      return;
    }
    const body = await readRequestBody(req, PAYLOAD_LIMIT_BYTES);
    if (body === null) {
      // Invocation payloads are limited to 6 MB (docs/lambda-streaming.md §2).
      refuse(413, "RequestTooLargeException", REQUEST_TOO_LARGE_MESSAGE);
      return;
    }
    let event: unknown = {};
    if (body.length > 0) {
      try {
        event = JSON.parse(body.toString("utf8"));
      } catch (error) {
        refuse(
          400,
          "InvalidRequestContentException",
          `Could not parse request body into json: ${(error as Error).message}`,
        );
        return;
      }
    }
    if (invocationType === "DryRun") {
      res.writeHead(204, { "x-amzn-requestid": requestId });
      res.end();
      this.options.log(`${requestId} ${label} 204 DryRun`);
      return;
    }

    const acquired = await this.dispatch();
    if (!acquired) {
      this.counters.throttled += 1;
      refuse(429, "TooManyRequestsException", "Rate Exceeded.", {
        Reason: "ReservedFunctionConcurrentInvocationLimitExceeded",
      });
      return;
    }
    const { env, cold } = acquired;
    this.counters.invocations += 1;
    this.counters[cold ? "cold" : "warm"] += 1;
    const sinkOptions = {
      requestId,
      tail: logType === "Tail",
      memoryMb: this.options.memoryMb,
      bandwidth: this.options.bandwidth,
      initDurationMs: () => (cold ? env.initDurationMs : undefined),
    };
    const sink =
      api.operation === "Invoke" ? new InvokeResponder(res, sinkOptions) : new ResponseStreamInvoker(res, sinkOptions);
    this.runInvocation(env, event, sink, requestId);
    const outcome = await sink.done;
    this.record(outcome);
    this.options.log(
      formatLogLine(requestId, "POST", label, outcome, performance.now() - started, cold && env.initDurationMs),
    );
  }

  /** acquireEnvironment, counted as dispatching (not idle) until runInvocation or a refusal. */
  private async dispatch(): Promise<{ env: ExecutionEnvironment; cold: boolean } | null> {
    this.dispatching += 1;
    try {
      const acquired = await this.acquireEnvironment();
      if (acquired) return acquired;
    } catch (error) {
      this.endDispatch();
      throw error;
    }
    this.endDispatch();
    return null;
  }

  private endDispatch(): void {
    this.dispatching -= 1;
    this.notifyIdleWaiters();
  }

  private runInvocation(env: ExecutionEnvironment, event: unknown, sink: InvocationSink, requestId: string): void {
    try {
      env.invoke(event, sink, requestId);
    } catch (error) {
      sink.fail({ kind: "crash", detail: (error as Error).message });
    } finally {
      // The environment has the invocation now (or it failed): it counts as busy from here.
      this.endDispatch();
    }
  }

  private record(outcome: ResponseOutcome): void {
    if (outcome.result === "ok") return;
    this.counters.errors += 1;
    if (outcome.result === "timeout") this.counters.timeouts += 1;
  }

  private async acquireEnvironment(): Promise<{ env: ExecutionEnvironment; cold: boolean } | null> {
    while (this.idle.length > 0) {
      const env = this.idle.pop();
      if (env && env.state !== "dead" && !env.hasInvocation) return { env, cold: false };
    }
    if (this.environments.size + this.starting >= this.options.concurrency) return null;
    // Cold start: every environment is busy, so a new one is created for this request.
    this.starting += 1;
    try {
      const env = await ExecutionEnvironment.start(`env-${this.nextEnvironmentNumber++}`, this.options, (changed) =>
        this.onAvailabilityChange(changed),
      );
      if (this.closing) {
        await env.stop();
        return null;
      }
      this.environments.add(env);
      return { env, cold: true };
    } finally {
      this.starting -= 1;
    }
  }

  private onAvailabilityChange(env: ExecutionEnvironment): void {
    this.idle = this.idle.filter((candidate) => candidate !== env);
    if (env.state === "dead") {
      // A crashed or timed-out environment is dropped; the next request gets a new one.
      this.environments.delete(env);
    } else if (!env.hasInvocation && this.environments.has(env)) {
      this.idle.push(env);
    }
    this.notifyIdleWaiters();
  }
}

function formatLogLine(
  requestId: string,
  method: string,
  path: string,
  outcome: ResponseOutcome,
  ms: number,
  /** false when warm; on a cold start its Init Duration (undefined if the runtime never asked for work). */
  cold: false | number | undefined,
): string {
  const note =
    outcome.result === "ok"
      ? ""
      : ` ${outcome.truncated ? "truncated" : "failed"}: ${outcome.detail ?? outcome.result}`;
  const start = cold === false ? "warm" : `cold${cold === undefined ? "" : ` ${initDurationField(cold)}`}`;
  return `${requestId} ${method} ${path} ${outcome.status} ${outcome.bytes}B ${Math.round(ms)}ms ${start}${note}`;
}

async function readRequestBody(req: http.IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > limit) {
    req.resume();
    return null;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // Read to the end even past the limit: leaving the loop early would destroy the socket before
  // the 413 can be sent.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  return size > limit ? null : Buffer.concat(chunks);
}

/** Starts a local Function URL; same as `FunctionUrlServer.start`. */
export function startFunctionUrl(options: FunctionUrlOptions): Promise<FunctionUrlServer> {
  return FunctionUrlServer.start(options);
}
