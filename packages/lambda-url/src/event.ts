import type { IncomingMessage } from "node:http";
import type { LambdaFunctionURLEvent } from "aws-lambda";

/**
 * Payload format 2.0, as Function URLs send it (docs/lambda-streaming.md §2). @types/aws-lambda
 * declares it as LambdaFunctionURLEvent (= APIGatewayProxyEventV2); the alias keeps this package's name.
 */
export type FunctionUrlEvent = LambdaFunctionURLEvent;

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `12/Mar/2020:19:03:58 +0000`, the format of requestContext.time. */
export function formatRequestTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(
    date.getUTCMinutes(),
  )}:${pad(date.getUTCSeconds())} +0000`;
}

/**
 * Bodies of these types reach the function as text; anything else is base64 with isBase64Encoded.
 * AWS does not list the types it treats as text; this is the usual API Gateway-style split.
 */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = (contentType.split(";")[0] ?? "").trim().toLowerCase();
  return (
    type.startsWith("text/") ||
    type === "application/json" ||
    type.endsWith("+json") ||
    type === "application/xml" ||
    type.endsWith("+xml") ||
    type === "application/javascript" ||
    type === "application/x-www-form-urlencoded" ||
    type === "application/graphql"
  );
}

function decodeQueryComponent(value: string): string {
  try {
    return decodeURIComponent(value.replaceAll("+", " "));
  } catch {
    return value;
  }
}

export interface EventContext {
  requestId: string;
  sourceIp: string;
  /** The URL id in `https://<url-id>.lambda-url.<region>.on.aws`. */
  urlId: string;
  now: Date;
}

export function buildEvent(req: IncomingMessage, body: Buffer, context: EventContext): FunctionUrlEvent {
  const target = req.url ?? "/";
  const queryAt = target.indexOf("?");
  const rawPath = queryAt === -1 ? target : target.slice(0, queryAt);
  const rawQueryString = queryAt === -1 ? "" : target.slice(queryAt + 1);

  // Lower-case names, duplicates comma-joined; the Cookie header moves into `cookies`.
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    if (!values) continue;
    if (name === "cookie") {
      for (const value of values) {
        for (const cookie of value.split(";")) {
          const trimmed = cookie.trim();
          if (trimmed) cookies.push(trimmed);
        }
      }
      continue;
    }
    headers[name] = values.join(",");
  }
  const host = headers.host ?? `${context.urlId}.lambda-url.us-east-1.on.aws`;
  // Function URLs add the forwarding headers of their front end.
  headers["x-forwarded-for"] ??= context.sourceIp;
  headers["x-forwarded-proto"] ??= "http";
  const hostPort = /:(\d+)$/.exec(host)?.[1];
  headers["x-forwarded-port"] ??= hostPort ?? "80";
  headers["x-amzn-trace-id"] ??= `Root=1-${Math.floor(context.now.getTime() / 1000).toString(16)}-${context.requestId
    .replaceAll("-", "")
    .slice(0, 24)}`;

  const queryStringParameters: Record<string, string> = {};
  let hasQuery = false;
  for (const pair of rawQueryString.split("&")) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const key = decodeQueryComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? "" : decodeQueryComponent(pair.slice(eq + 1));
    queryStringParameters[key] = key in queryStringParameters ? `${queryStringParameters[key]},${value}` : value;
    hasQuery = true;
  }

  const domainName = host.replace(/:\d+$/, "");
  const event: FunctionUrlEvent = {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(hasQuery ? { queryStringParameters } : {}),
    requestContext: {
      // Function URLs with AuthType NONE report the caller as "anonymous".
      accountId: "anonymous",
      apiId: context.urlId,
      domainName,
      domainPrefix: domainName.split(".")[0] ?? domainName,
      http: {
        method: req.method ?? "GET",
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: context.sourceIp,
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: context.requestId,
      routeKey: "$default",
      stage: "$default",
      time: formatRequestTime(context.now),
      timeEpoch: context.now.getTime(),
    },
    isBase64Encoded: false,
  };
  if (body.length > 0) {
    if (isTextContentType(headers["content-type"])) {
      event.body = body.toString("utf8");
    } else {
      event.body = body.toString("base64");
      event.isBase64Encoded = true;
    }
  }
  return event;
}
