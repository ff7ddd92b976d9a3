import type { ServerResponse } from "node:http";
import type { InvocationFailure, InvocationSink } from "./environment.ts";

/** How one invocation's HTTP response ended, for the log line and the stats. */
export interface ResponseOutcome {
  status: number;
  /** Body bytes written to the client. */
  bytes: number;
  /** "ok", or why the response is an error or was cut off. */
  result: "ok" | "function-error" | "init-error" | "timeout" | "crash" | "response-too-large" | "bad-prelude";
  /** The client got status and headers, then a body without its end. */
  truncated: boolean;
  detail?: string;
}

/**
 * One invocation answered on one HTTP response: the part a Function URL and the Invoke API share.
 * How a failure reaches the client is each subclass's own `fail`.
 */
export abstract class ResponseSink<Options> implements InvocationSink {
  /** How the response ended, once it has. */
  readonly done: Promise<ResponseOutcome>;
  /** The answer is decided: the function's further output is read and dropped. */
  protected finished = false;
  protected bytes = 0;
  protected clientGone = false;
  private resolveDone!: (outcome: ResponseOutcome) => void;

  constructor(
    protected readonly res: ServerResponse,
    protected readonly options: Options,
  ) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    // A client that disconnects does not stop the function (docs/lambda-streaming.md §2): the rest of
    // its output is read and discarded.
    res.once("close", () => {
      if (!res.writableFinished) this.clientGone = true;
    });
  }

  abstract streamStart(contentType: string): void;
  abstract streamChunk(chunk: Buffer): Promise<void> | void;
  abstract streamEnd(): void;
  abstract buffered(contentType: string, body: Buffer): void;
  abstract fail(failure: InvocationFailure): void;

  /** Only the first outcome counts: `done` settles once. */
  protected finish(outcome: ResponseOutcome): void {
    this.finished = true;
    this.resolveDone(outcome);
  }

  /** Resolves when `res` takes writes again, or has closed and never will. */
  protected drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.res.off("drain", done);
        this.res.off("close", done);
        resolve();
      };
      this.res.once("drain", done);
      this.res.once("close", done);
    });
  }
}
