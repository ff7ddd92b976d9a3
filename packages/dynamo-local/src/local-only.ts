// The embedded engine and the fault proxy serve this machine's tests only. A web page the developer
// visits can reach a loopback port: by a name it points at 127.0.0.1 (DNS rebinding), or by a
// CORS request, which dynalite would allow from any origin. So a Host that is not a local name or
// an IP address, an Origin (browsers send one; the AWS SDK never does) and a preflight get 403.
import type { IncomingMessage, ServerResponse } from "node:http";
import { isIP } from "node:net";

/** A Host header as RFC 9110 allows it: a name or an address, an optional port, nothing else. */
const HOST_HEADER = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9.-]+))(?::\d{1,5})?$/i;

function isLocalHost(host: string | undefined): boolean {
  const match = host === undefined ? null : HOST_HEADER.exec(host);
  const name = (match?.[1] ?? match?.[2])?.toLowerCase();
  if (name === undefined) return false;
  return name === "localhost" || name.endsWith(".localhost") || isIP(name) !== 0;
}

/** Why this request is not for this server, or undefined when it may go on. */
export function localOnlyRefusal(request: IncomingMessage): string | undefined {
  if (!isLocalHost(request.headers.host))
    return `Host "${String(request.headers.host).slice(0, 100)}" is not allowed: this server answers localhost and IP addresses only`;
  if (request.headers.origin !== undefined || request.method === "OPTIONS")
    return "requests from web pages are not allowed: this server is for programs on this machine";
  return undefined;
}

/** Answers 403 with the reason when the request is refused; true if it was. */
export function refuseForeign(request: IncomingMessage, response: ServerResponse): boolean {
  const reason = localOnlyRefusal(request);
  if (reason === undefined) return false;
  request.resume();
  const text = JSON.stringify({ __type: "com.amazon.coral.service#AccessDeniedException", message: reason });
  response.writeHead(403, { "content-type": "application/x-amz-json-1.0", "content-length": Buffer.byteLength(text) });
  response.end(text);
  return true;
}
