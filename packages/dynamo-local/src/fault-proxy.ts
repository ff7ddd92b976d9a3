// A real HTTP proxy in front of a DynamoDB endpoint that injects the faults a client meets on AWS:
// latency, HTTP 500, throttling, a refused action, a reset connection, unprocessed batch items, and a
// gate that holds a request until the test releases it. Tests point a real SDK client at it instead of
// mocking the SDK, so retries, error parsing and aborts run exactly as in production.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { refuseForeign } from "./local-only.ts";

/** What happens to a request a rule picks. */
export type Fault =
  /** Wait `ms`, then forward the request. */
  | { kind: "latency"; ms: number }
  /** HTTP 500 with DynamoDB's InternalServerError body; the SDK retries it, then throws `InternalServerError`. */
  | { kind: "http500" }
  /** HTTP 400 ProvisionedThroughputExceededException, as DynamoDB sends it; the SDK retries it with backoff. */
  | { kind: "throttle" }
  /**
   * HTTP 400 AccessDeniedException, as DynamoDB sends it when the caller's IAM policy lacks the action;
   * the SDK does not retry it. Stands for the failures that trying again cannot mend.
   */
  | { kind: "denied" }
  /** The connection is reset (TCP RST) once the request has arrived, with no answer. */
  | { kind: "reset" }
  /**
   * A batch DynamoDB could not process: BatchWriteItem answers 200 with every requested write in
   * `UnprocessedItems` (nothing is written), BatchGetItem with every key in `UnprocessedKeys`.
   */
  | { kind: "unprocessed" }
  /**
   * A gate: the request waits, unanswered, until {@link FaultControl.release} (or clearFaults), then
   * goes on to the engine. A test orders events by it instead of by the clock.
   */
  | { kind: "hold" };

export interface FaultRule {
  fault: Fault;
  /** Only requests of this operation (the `X-Amz-Target` suffix: "Scan", "GetItem", …); every one when omitted. */
  operation?: string;
  /** Let this many matching requests through first. Default 0. */
  after?: number;
  /** Fault this many matching requests, then let the rest through. Default: every one after `after`. */
  times?: number;
}

/** Requests received per operation, and how many of them a rule faulted. */
export type RequestCounts = Record<string, { received: number; faulted: number }>;

export interface FaultProxyState {
  rules: FaultRule[];
  counts: RequestCounts;
  /** Requests a "hold" rule is keeping now. */
  held: number;
}

/** The batch operations an "unprocessed" fault can answer. */
const BATCH_OPERATIONS = ["BatchWriteItem", "BatchGetItem"] as const;

/** The control API, in process or over HTTP ({@link faultProxyClient}). */
export interface FaultControl {
  /** Replaces the rules; each new rule counts matching requests from 0. */
  setFaults(rules: FaultRule[]): Promise<void>;
  /** Removes every rule and releases every held request. */
  clearFaults(): Promise<void>;
  /** Lets every request a "hold" rule keeps go on to the engine; returns how many there were. */
  release(): Promise<number>;
  /**
   * Resolves once at least `count` requests are held at the same time (default 1); rejects with
   * {@link FaultRuleError} after `timeoutMs` (default 30 s) without.
   */
  whenHeld(count?: number, timeoutMs?: number): Promise<void>;
  state(): Promise<FaultProxyState>;
  resetCounts(): Promise<void>;
}

export interface FaultProxy extends FaultControl {
  /** Point DynamoDB clients here. */
  endpoint: string;
  /** Base URL of the HTTP control API (see {@link faultProxyClient}). */
  controlUrl: string;
  close(): Promise<void>;
}

export class FaultRuleError extends Error {
  override name = "FaultRuleError";
}

/** The path prefix of the control API; DynamoDB's own API only ever posts to "/". */
export const CONTROL_PATH = "/__fault-proxy";

const JSON_1_0 = "application/x-amz-json-1.0";
// Error bodies as DynamoDB sends them (`__type` is what the SDK turns into the exception's name).
const ERROR_BODIES = {
  http500: {
    status: 500,
    body: { __type: "com.amazonaws.dynamodb.v20120810#InternalServerError", message: "Internal server error" },
  },
  throttle: {
    status: 400,
    body: {
      __type: "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
      message:
        "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.",
    },
  },
  // IAM's refusals come from AWS's common service layer, hence another namespace and `Message`.
  denied: {
    status: 400,
    body: {
      __type: "com.amazon.coral.service#AccessDeniedException",
      Message: "User is not authorized to perform this action on this resource (injected by the fault proxy)",
    },
  },
} as const;

/** Checks rules from an untrusted source (the control API); throws {@link FaultRuleError}. */
export function checkFaultRules(rules: unknown): FaultRule[] {
  if (!Array.isArray(rules)) throw new FaultRuleError("fault rules must be a JSON array");
  return rules.map((rule: unknown, index) => {
    const where = `rule ${index}`;
    if (typeof rule !== "object" || rule === null) throw new FaultRuleError(`${where} must be an object`);
    const { fault, operation, after, times } = rule as Record<string, unknown>;
    if (typeof fault !== "object" || fault === null) throw new FaultRuleError(`${where}: "fault" must be an object`);
    const { kind, ms } = fault as Record<string, unknown>;
    let checked: Fault;
    if (kind === "latency") {
      if (typeof ms !== "number" || !Number.isInteger(ms) || ms < 0 || ms > 600_000)
        throw new FaultRuleError(`${where}: latency needs "ms", a whole number from 0 to 600000`);
      checked = { kind, ms };
    } else if (kind === "http500" || kind === "throttle" || kind === "denied" || kind === "reset" || kind === "hold") {
      checked = { kind };
    } else if (kind === "unprocessed") {
      if (!BATCH_OPERATIONS.includes(operation as never))
        throw new FaultRuleError(`${where}: "unprocessed" needs "operation": ${BATCH_OPERATIONS.join(" or ")}`);
      checked = { kind };
    } else {
      throw new FaultRuleError(
        `${where}: fault kind must be "latency", "http500", "throttle", "denied", "reset", "unprocessed" or "hold"`,
      );
    }
    if (operation !== undefined && (typeof operation !== "string" || !/^[A-Za-z]+$/.test(operation)))
      throw new FaultRuleError(`${where}: "operation" must be an operation name such as "Scan"`);
    for (const [name, value] of [
      ["after", after],
      ["times", times],
    ] as const) {
      if (value !== undefined && (typeof value !== "number" || !Number.isInteger(value) || value < 0))
        throw new FaultRuleError(`${where}: "${name}" must be a whole number ≥ 0`);
    }
    return {
      fault: checked,
      ...(operation === undefined ? {} : { operation: operation as string }),
      ...(after === undefined ? {} : { after: after as number }),
      ...(times === undefined ? {} : { times: times as number }),
    };
  });
}

interface ActiveRule {
  rule: FaultRule;
  matched: number;
}

/** The operation a DynamoDB JSON request asks for: "DynamoDB_20120810.Scan" → "Scan". */
function operationOf(request: IncomingMessage): string {
  const target = request.headers["x-amz-target"];
  const value = Array.isArray(target) ? target[0] : target;
  return value?.split(".").pop() || "unknown";
}

/**
 * Starts the proxy on 127.0.0.1 (a free port unless `port` is given) in front of `target`, a DynamoDB
 * endpoint such as the one {@link startEmbeddedDynamoDB} returns.
 */
export async function startFaultProxy(options: { target: string; port?: number }): Promise<FaultProxy> {
  const target = new URL(options.target);
  let active: ActiveRule[] = [];
  let counts: RequestCounts = {};
  const sockets = new Set<Socket>();
  /** Held requests, each with the function that lets it go on. */
  const held = new Set<() => void>();
  /** Waiters of whenHeld: called whenever the number held grows. */
  const heldWaiters = new Set<() => void>();

  const pick = (operation: string): Fault | undefined => {
    let chosen: Fault | undefined;
    for (const entry of active) {
      if (entry.rule.operation !== undefined && entry.rule.operation !== operation) continue;
      entry.matched++;
      const after = entry.rule.after ?? 0;
      const fires =
        entry.matched > after && (entry.rule.times === undefined || entry.matched <= after + entry.rule.times);
      // The first rule that fires wins; later rules still count the request.
      if (fires && chosen === undefined) chosen = entry.rule.fault;
    }
    return chosen;
  };

  const forward = (request: IncomingMessage, response: ServerResponse) => {
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: request.url,
        headers: request.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on("error", () => request.socket.destroy());
    // The client gave up (an aborted SDK request): drop the upstream request too.
    response.on("close", () => {
      if (!response.writableFinished) upstream.destroy();
    });
    request.pipe(upstream);
  };

  const answerError = (response: ServerResponse, fault: keyof typeof ERROR_BODIES) => {
    const { status, body } = ERROR_BODIES[fault];
    const text = JSON.stringify(body);
    response.writeHead(status, {
      "content-type": JSON_1_0,
      "content-length": Buffer.byteLength(text),
      "x-amzn-requestid": `fault-proxy-${Date.now().toString(36)}`,
    });
    response.end(text);
  };

  const release = (): number => {
    const gates = [...held];
    held.clear();
    for (const open of gates) open();
    return gates.length;
  };

  const whenHeld = (count = 1, timeoutMs = 30_000): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (held.size < count) return;
        heldWaiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        heldWaiters.delete(check);
        reject(new FaultRuleError(`no ${count} request(s) held within ${timeoutMs} ms (${held.size} held)`));
      }, timeoutMs);
      heldWaiters.add(check);
      check();
    });

  /** The whole answer DynamoDB gives when it processed none of a batch: every request handed back. */
  const answerUnprocessed = (request: IncomingMessage, response: ServerResponse, operation: string) => {
    let text = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      text += chunk;
    });
    request.on("end", () => {
      let requested: unknown = {};
      try {
        requested = (JSON.parse(text) as { RequestItems?: unknown }).RequestItems ?? {};
      } catch {
        // Not JSON: hand back nothing, as the engine would have refused it anyway.
      }
      const body =
        operation === "BatchGetItem" ? { Responses: {}, UnprocessedKeys: requested } : { UnprocessedItems: requested };
      const answer = JSON.stringify(body);
      response.writeHead(200, {
        "content-type": JSON_1_0,
        "content-length": Buffer.byteLength(answer),
        "x-amzn-requestid": `fault-proxy-${Date.now().toString(36)}`,
      });
      response.end(answer);
    });
  };

  const control = async (request: IncomingMessage, response: ServerResponse) => {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    const url = new URL(request.url ?? "/", "http://proxy");
    const path = url.pathname.slice(CONTROL_PATH.length);
    let text = "";
    for await (const chunk of request) text += chunk;
    if (request.method === "GET" && (path === "" || path === "/")) return send(200, state());
    if (request.method === "PUT" && path === "/faults") {
      try {
        setFaults(checkFaultRules(JSON.parse(text)));
      } catch (error) {
        return send(400, { error: error instanceof Error ? error.message : String(error) });
      }
      return send(200, state());
    }
    if (request.method === "DELETE" && path === "/faults") {
      active = [];
      release();
      return send(200, state());
    }
    if (request.method === "POST" && path === "/release") return send(200, { released: release() });
    if (request.method === "GET" && path === "/held") {
      const count = Number(url.searchParams.get("count") ?? 1);
      const timeoutMs = Number(url.searchParams.get("timeoutMs") ?? 30_000);
      if (!Number.isInteger(count) || count < 1 || !Number.isInteger(timeoutMs) || timeoutMs < 0 || timeoutMs > 600_000)
        return send(400, { error: '"count" must be a whole number ≥ 1 and "timeoutMs" one from 0 to 600000' });
      try {
        await whenHeld(count, timeoutMs);
      } catch (error) {
        return send(408, { error: error instanceof Error ? error.message : String(error) });
      }
      return send(200, state());
    }
    if (request.method === "DELETE" && path === "/counts") {
      counts = {};
      return send(200, state());
    }
    send(404, { error: `no such control endpoint: ${request.method} ${CONTROL_PATH}${path}` });
  };

  const setFaults = (rules: FaultRule[]) => {
    active = rules.map((rule) => ({ rule, matched: 0 }));
  };
  const state = (): FaultProxyState => ({
    rules: active.map((entry) => entry.rule),
    counts: structuredClone(counts),
    held: held.size,
  });

  const server = createServer((request, response) => {
    if (refuseForeign(request, response)) return;
    if (request.url?.startsWith(CONTROL_PATH)) {
      control(request, response).catch(() => response.destroy());
      return;
    }
    const operation = operationOf(request);
    counts[operation] ??= { received: 0, faulted: 0 };
    const count = counts[operation];
    count.received++;
    const fault = pick(operation);
    if (fault === undefined) return forward(request, response);
    count.faulted++;
    if (fault.kind === "latency") {
      const timer = setTimeout(() => forward(request, response), fault.ms);
      response.on("close", () => clearTimeout(timer));
      return;
    }
    if (fault.kind === "hold") {
      const open = () => forward(request, response);
      held.add(open);
      // A client that gives up while held is no longer held.
      response.on("close", () => held.delete(open));
      for (const waiter of [...heldWaiters]) waiter();
      return;
    }
    if (fault.kind === "unprocessed") return answerUnprocessed(request, response, operation);
    // Read the request to its end first: the failure comes from the server, after the client sent it.
    request.resume();
    request.on("end", () => {
      if (fault.kind === "reset") request.socket.resetAndDestroy();
      else answerError(response, fault.kind);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;

  return {
    endpoint,
    controlUrl: `${endpoint}${CONTROL_PATH}`,
    setFaults: async (rules) => setFaults(checkFaultRules(rules)),
    clearFaults: async () => {
      active = [];
      release();
    },
    release: async () => release(),
    whenHeld,
    state: async () => state(),
    resetCounts: async () => {
      counts = {};
    },
    close: () =>
      new Promise<void>((resolve) => {
        held.clear();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The control API of a proxy running in another process, from its `controlUrl`. */
export function faultProxyClient(controlUrl: string): FaultControl {
  const call = async (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<FaultProxyState & { released?: number }> => {
    const response = await fetch(`${controlUrl}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    });
    const answer = (await response.json()) as FaultProxyState & { error?: string; released?: number };
    if (!response.ok) throw new FaultRuleError(answer.error ?? `fault proxy answered ${response.status}`);
    return answer;
  };
  return {
    setFaults: async (rules) => void (await call("PUT", "/faults", rules)),
    clearFaults: async () => void (await call("DELETE", "/faults")),
    release: async () => (await call("POST", "/release")).released ?? 0,
    whenHeld: async (count = 1, timeoutMs = 30_000) =>
      void (await call("GET", `/held?count=${count}&timeoutMs=${timeoutMs}`)),
    state: () => call("GET", ""),
    resetCounts: async () => void (await call("DELETE", "/counts")),
  };
}
