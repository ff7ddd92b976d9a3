import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import http from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createInterface } from "node:readline";
import { type EnvironmentOptions, PAYLOAD_LIMIT_BYTES } from "./options.ts";

/** What a function reports when it fails: the body of `/error`, `/init/error` or the error trailer. */
export interface FunctionError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

export type InvocationFailure =
  | { kind: "function-error"; error: FunctionError }
  | { kind: "init-error"; error: FunctionError | null }
  | { kind: "timeout"; timeoutMs: number }
  | { kind: "crash"; detail: string }
  | { kind: "response-too-large"; limitBytes: number };

/**
 * Receives one invocation's outcome. Exactly one of `streamEnd`, `buffered` and `fail` is called,
 * once; `streamStart` and `streamChunk` may come before `streamEnd` or `fail`.
 */
export interface InvocationSink {
  streamStart(contentType: string): void;
  /** One chunk as the function wrote it; a returned promise holds back the next one (backpressure). */
  streamChunk(chunk: Buffer): Promise<void> | void;
  streamEnd(): void;
  buffered(contentType: string, body: Buffer): void;
  fail(failure: InvocationFailure): void;
  /** A line the function's process printed during this invocation (or after it, before the next). */
  log?(line: string): void;
}

export type EnvironmentState = "initializing" | "idle" | "busy" | "dead";

interface Invocation {
  requestId: string;
  event: unknown;
  sink: InvocationSink;
  /** The event has been handed out through /next. */
  delivered: boolean;
  /** A /response or /error for this id has started: a second one is an InvalidRequestID. */
  answered: boolean;
  settled: boolean;
  timer: NodeJS.Timeout | null;
}

const RUNTIME_PREFIX = "/2018-06-01/runtime";
const INVOCATION_PATH = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/;
const STREAMING_MODE = "streaming";
const ERROR_TYPE_TRAILER = "lambda-runtime-function-error-type";
const ERROR_BODY_TRAILER = "lambda-runtime-function-error-body";
/** Lambda's init phase may take at most 10 s before the first invocation is considered failed. */
const INIT_TIMEOUT_MS = 10_000;
/** The account in every ARN the emulator shows (the AWS documentation's example account). */
export const ACCOUNT_ID = "123456789012";

const requireFromHere = createRequire(import.meta.url);
/** The runtime interface client's entry (package.json "main": index.mjs). */
const RIC_ENTRY = requireFromHere.resolve("aws-lambda-ric");

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function runtimeError(res: http.ServerResponse, status: number, errorType: string, errorMessage: string): void {
  sendJson(res, status, { errorType, errorMessage });
}

async function readAll(req: http.IncomingMessage, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) tooLarge = true;
    else chunks.push(chunk);
  }
  return tooLarge ? null : Buffer.concat(chunks);
}

function parseFunctionError(text: string): FunctionError | null {
  try {
    const parsed = JSON.parse(text) as Partial<FunctionError>;
    if (parsed && typeof parsed === "object") {
      return {
        errorType: String(parsed.errorType ?? "Unknown"),
        errorMessage: String(parsed.errorMessage ?? ""),
        trace: Array.isArray(parsed.trace) ? parsed.trace.map(String) : [],
      };
    }
  } catch {
    // fall through: a body that is not JSON is reported as is
  }
  return text ? { errorType: "Unknown", errorMessage: text } : null;
}

/**
 * One Lambda execution environment: a Runtime API server of its own and a child process running
 * AWS's runtime interface client against it, serving one invocation at a time.
 */
export class ExecutionEnvironment {
  readonly id: string;
  state: EnvironmentState = "initializing";
  invocations = 0;
  /**
   * Lambda's `Init Duration`: from the start of the runtime's process to its first
   * `/invocation/next` (runtime start and the handler's import, both before that call); undefined
   * until then.
   */
  initDurationMs: number | undefined;
  private spawnedAt = 0;
  private child: ChildProcess | null = null;
  private readonly server: http.Server;
  private current: Invocation | null = null;
  /** Lines printed after an invocation was answered still belong to it until the next one starts. */
  private previous: Invocation | null = null;
  private waitingNext: http.ServerResponse | null = null;
  private initTimer: NodeJS.Timeout | null = null;
  private readonly exited: Promise<void>;
  private markExited!: () => void;
  private readonly answeredIds = new Set<string>();

  private constructor(
    id: string,
    private readonly options: EnvironmentOptions,
    /** Called when the environment can take another invocation, or has died. */
    private readonly onAvailabilityChange: (env: ExecutionEnvironment) => void,
  ) {
    this.id = id;
    this.server = http.createServer((req, res) => this.route(req, res));
    // Streams longer than Node's default 300 s requestTimeout would be cut (docs/lambda-streaming.md §1);
    // Lambda allows 15 minutes. Idle keep-alive sockets of the client's agent must not be closed
    // under it either, or a reused socket races the close and the response is lost.
    this.server.requestTimeout = 0;
    this.server.keepAliveTimeout = 0;
    this.server.headersTimeout = 0;
    this.exited = new Promise((resolve) => (this.markExited = resolve));
  }

  static async start(
    id: string,
    options: EnvironmentOptions,
    onAvailabilityChange: (env: ExecutionEnvironment) => void,
  ): Promise<ExecutionEnvironment> {
    const env = new ExecutionEnvironment(id, options, onAvailabilityChange);
    await new Promise<void>((resolve, reject) => {
      env.server.once("error", reject);
      env.server.listen(0, "127.0.0.1", () => resolve());
    });
    env.spawnRuntime();
    return env;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get runtimeApi(): string {
    const address = this.server.address() as AddressInfo;
    return `127.0.0.1:${address.port}`;
  }

  private spawnRuntime(): void {
    const { options } = this;
    const functionName = options.functionName;
    const node = options.node;
    const env: Record<string, string> = {
      // The runtime's Node comes first on PATH, as /var/lang/bin does on Lambda.
      PATH: [path.dirname(node.execPath), process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin"].join(path.delimiter),
      HOME: process.env.HOME ?? "/tmp",
      LANG: "en_US.UTF-8",
      // Lambda runs in UTC with TZ=:UTC.
      TZ: ":UTC",
      AWS_LAMBDA_RUNTIME_API: this.runtimeApi,
      _HANDLER: options.handler.handler,
      LAMBDA_TASK_ROOT: options.handler.taskRoot,
      LAMBDA_RUNTIME_DIR: path.dirname(RIC_ENTRY),
      AWS_EXECUTION_ENV: `AWS_Lambda_${node.runtime}`,
      AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
      // aws-lambda-ric takes one event and exits without answering when any of these five is
      // missing (docs/lambda-streaming.md §1).
      AWS_LAMBDA_FUNCTION_NAME: functionName,
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memoryMb),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
      AWS_LAMBDA_LOG_STREAM_NAME: `${new Date().toISOString().slice(0, 10).replaceAll("-", "/")}/[$LATEST]${this.id}`,
      AWS_REGION: options.region,
      AWS_DEFAULT_REGION: options.region,
      ...options.env,
    };
    // Lambda's Node.js runtime caps the V8 heap below the function's memory so that the process
    // fails with a heap error rather than being killed for exceeding its memory; 90% approximates it.
    const heapMb = Math.floor(options.memoryMb * 0.9);
    this.spawnedAt = performance.now();
    const child = spawn(node.execPath, [`--max-old-space-size=${heapMb}`, "--no-warnings", RIC_ENTRY], {
      cwd: options.handler.taskRoot,
      // A cast, not a wider type: apps that type NODE_ENV as required (Next.js does) would
      // otherwise reject a plain string map here.
      env: env as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    const prefix = `[${this.id}]`;
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream, crlfDelay: Infinity }).on("line", (line) => {
        options.log(`${prefix} ${line}`);
        (this.current ?? this.previous)?.sink.log?.(line);
      });
    }
    child.once("error", (error) => this.handleExit(`could not start: ${error.message}`));
    child.once("exit", (code, signal) => this.handleExit(signal ? `killed by ${signal}` : `exited with code ${code}`));
    this.initTimer = setTimeout(() => {
      this.initTimer = null;
      if (this.state === "initializing") {
        this.failCurrent({
          kind: "init-error",
          error: { errorType: "Runtime.InitTimeout", errorMessage: `no /next within ${INIT_TIMEOUT_MS} ms` },
        });
        this.kill();
      }
    }, INIT_TIMEOUT_MS);
  }

  /** Hands an invocation to this environment; it must be idle or still initializing with none queued. */
  invoke(event: unknown, sink: InvocationSink, requestId: string = randomUUID()): string {
    if (this.current || this.state === "busy" || this.state === "dead") {
      throw new Error(`environment ${this.id} is not available (${this.state})`);
    }
    this.current = { requestId, event, sink, delivered: false, answered: false, settled: false, timer: null };
    if (this.state === "idle") this.state = "busy";
    this.invocations += 1;
    if (this.waitingNext) {
      const res = this.waitingNext;
      this.waitingNext = null;
      this.deliver(res);
    }
    return requestId;
  }

  get hasInvocation(): boolean {
    return this.current !== null;
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? "";
    if (req.method === "GET" && url === `${RUNTIME_PREFIX}/invocation/next`) {
      this.handleNext(req, res);
      return;
    }
    if (req.method === "POST" && url === `${RUNTIME_PREFIX}/init/error`) {
      void this.handleInitError(req, res);
      return;
    }
    const match = INVOCATION_PATH.exec(url);
    if (req.method === "POST" && match) {
      const requestId = decodeURIComponent(match[1] ?? "");
      const task =
        match[2] === "response" ? this.handleResponse(requestId, req, res) : this.handleError(requestId, req, res);
      task.catch((error: unknown) => {
        // The response body broke off: usually the runtime is dying and its exit follows. The
        // environment is not trusted with another invocation either way (the function's own
        // errors arrive as trailers or /error, never like this).
        const current = this.current;
        if (current && current.requestId === requestId) {
          this.settle(current, (sink) =>
            sink.fail({ kind: "crash", detail: `runtime connection lost: ${String(error)}` }),
          );
          this.kill();
        }
        if (!res.headersSent && !res.destroyed) runtimeError(res, 500, "ServiceException", String(error));
      });
      return;
    }
    req.resume();
    runtimeError(res, 404, "NotFound", `${req.method} ${url} is not a Runtime API route`);
  }

  private handleNext(req: http.IncomingMessage, res: http.ServerResponse): void {
    req.resume();
    if (this.state === "dead") {
      res.destroy();
      return;
    }
    if (this.state === "initializing") {
      this.initDurationMs = performance.now() - this.spawnedAt;
      if (this.initTimer) clearTimeout(this.initTimer);
      this.initTimer = null;
      this.state = this.current ? "busy" : "idle";
    }
    const current = this.current;
    if (current && !current.delivered) {
      this.deliver(res);
      return;
    }
    // Long poll. On the error path the client asks /next before the errored stream has finished
    // (docs/lambda-streaming.md §1), so a /next is no sign that the current invocation is over.
    this.waitingNext = res;
    res.once("close", () => {
      if (this.waitingNext === res) this.waitingNext = null;
    });
    if (!current) this.onAvailabilityChange(this);
  }

  private deliver(res: http.ServerResponse): void {
    const current = this.current;
    if (!current) return;
    current.delivered = true;
    const deadline = Date.now() + this.options.timeoutMs;
    const body = JSON.stringify(current.event);
    res.writeHead(200, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
      "lambda-runtime-aws-request-id": current.requestId,
      "lambda-runtime-deadline-ms": String(deadline),
      "lambda-runtime-invoked-function-arn": `arn:aws:lambda:${this.options.region}:${ACCOUNT_ID}:function:${this.options.functionName}`,
      "lambda-runtime-trace-id": `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomUUID().replaceAll("-", "").slice(0, 24)};Parent=${randomUUID().replaceAll("-", "").slice(0, 16)};Sampled=0;Lineage=1:00000000:0`,
    });
    res.end(body);
    current.timer = setTimeout(() => {
      current.timer = null;
      if (this.current !== current) return;
      // Lambda stops a timed-out function by ending its execution environment.
      this.failCurrent({ kind: "timeout", timeoutMs: this.options.timeoutMs });
      this.kill();
    }, this.options.timeoutMs);
  }

  /** The invocation a /response or /error may answer, or null after replying 400. */
  private claim(requestId: string, req: http.IncomingMessage, res: http.ServerResponse): Invocation | null {
    const current = this.current;
    if (!current || current.requestId !== requestId || !current.delivered || current.answered) {
      req.resume();
      const known = this.answeredIds.has(requestId) || current?.requestId === requestId;
      runtimeError(
        res,
        400,
        "InvalidRequestID",
        known ? `request ${requestId} was already answered` : `unknown request ${requestId}`,
      );
      return null;
    }
    current.answered = true;
    this.answeredIds.add(requestId);
    return current;
  }

  private async handleResponse(requestId: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const mode = req.headers["lambda-runtime-function-response-mode"];
    if (mode !== undefined && String(mode).toLowerCase() !== STREAMING_MODE) {
      req.resume();
      runtimeError(
        res,
        400,
        "InvalidFunctionResponseMode",
        `response mode "${String(mode)}" is not supported; use "${STREAMING_MODE}"`,
      );
      return;
    }
    const invocation = this.claim(requestId, req, res);
    if (!invocation) return;
    const contentType = req.headers["content-type"] ?? "application/octet-stream";

    if (mode === undefined) {
      const body = await readAll(req, PAYLOAD_LIMIT_BYTES);
      if (body === null) {
        runtimeError(res, 413, "RequestEntityTooLarge", `response payload exceeds ${PAYLOAD_LIMIT_BYTES} bytes`);
        this.settle(invocation, (sink) => sink.fail({ kind: "response-too-large", limitBytes: PAYLOAD_LIMIT_BYTES }));
      } else {
        sendJson(res, 202, { status: "OK" });
        this.settle(invocation, (sink) => sink.buffered(contentType, body));
      }
      this.release(invocation);
      return;
    }

    if (!invocation.settled) invocation.sink.streamStart(contentType);
    const limit = this.options.maxResponseBytes;
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      if (invocation.settled) continue; // keep reading so the function is not blocked; discard
      size += chunk.length;
      if (size > limit) {
        this.settle(invocation, (sink) => sink.fail({ kind: "response-too-large", limitBytes: limit }));
        continue;
      }
      const pending = invocation.sink.streamChunk(chunk);
      if (pending) await pending;
    }
    const errorType = req.trailers[ERROR_TYPE_TRAILER];
    if (size > limit) {
      runtimeError(res, 413, "RequestEntityTooLarge", `streamed response exceeds ${limit} bytes`);
    } else {
      sendJson(res, 202, { status: "OK" });
    }
    if (errorType) {
      const encoded = req.trailers[ERROR_BODY_TRAILER] ?? "";
      const error = parseFunctionError(Buffer.from(encoded, "base64").toString("utf8")) ?? {
        errorType,
        errorMessage: "",
      };
      this.settle(invocation, (sink) => sink.fail({ kind: "function-error", error }));
    } else {
      this.settle(invocation, (sink) => sink.streamEnd());
    }
    // The invocation is over when the response body has finished, not when the handler's promise
    // settles or the next /next arrives (docs/lambda-streaming.md §1).
    this.release(invocation);
  }

  private async handleError(requestId: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const invocation = this.claim(requestId, req, res);
    if (!invocation) return;
    const body = await readAll(req, PAYLOAD_LIMIT_BYTES);
    sendJson(res, 202, { status: "OK" });
    const error = parseFunctionError(body?.toString("utf8") ?? "") ?? { errorType: "Unknown", errorMessage: "" };
    this.settle(invocation, (sink) => sink.fail({ kind: "function-error", error }));
    this.release(invocation);
  }

  private async handleInitError(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readAll(req, PAYLOAD_LIMIT_BYTES);
    sendJson(res, 202, { status: "OK" });
    const error = parseFunctionError(body?.toString("utf8") ?? "");
    this.options.log(
      `[${this.id}] init error: ${error ? `${error.errorType}: ${error.errorMessage}` : "(no details)"}`,
    );
    this.failCurrent({ kind: "init-error", error });
    // aws-lambda-ric exits after posting an init error; make sure of it.
    this.kill();
  }

  private settle(invocation: Invocation, report: (sink: InvocationSink) => void): void {
    if (invocation.settled) return;
    invocation.settled = true;
    if (invocation.timer) clearTimeout(invocation.timer);
    invocation.timer = null;
    report(invocation.sink);
  }

  private failCurrent(failure: InvocationFailure): void {
    const current = this.current;
    if (current) this.settle(current, (sink) => sink.fail(failure));
  }

  private release(invocation: Invocation): void {
    if (this.current !== invocation) return;
    this.current = null;
    this.previous = invocation;
    if (this.state === "dead") return;
    this.state = "idle";
    this.onAvailabilityChange(this);
  }

  private handleExit(detail: string): void {
    if (this.state === "dead" && this.child === null) return;
    const wasDead = this.state === "dead";
    this.state = "dead";
    if (this.initTimer) clearTimeout(this.initTimer);
    this.initTimer = null;
    this.failCurrent({ kind: "crash", detail: `runtime ${detail}` });
    this.current = null;
    if (!wasDead) this.options.log(`[${this.id}] runtime ${detail}`);
    this.child = null;
    this.server.close();
    this.server.closeAllConnections();
    this.markExited();
    this.onAvailabilityChange(this);
  }

  /** Ends the environment at once, as Lambda does after a timeout. */
  kill(): void {
    if (this.state !== "dead") {
      this.state = "dead";
      // Leave the pool now, not when the process has gone: the next request must not wait for
      // (or be throttled by) an environment that is being torn down.
      this.onAvailabilityChange(this);
    }
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill("SIGKILL");
    } else if (this.child === null) {
      this.server.close();
      this.server.closeAllConnections();
      this.markExited();
    }
  }

  async stop(): Promise<void> {
    this.kill();
    if (this.child === null && this.state === "dead") this.markExited();
    await this.exited;
  }
}
