// A server on a developer's machine answers that machine only. A web page can point a name it owns
// at 127.0.0.1 (DNS rebinding) and read a loopback server, so a Host that is not a local name or an
// IP address is refused; and any page may POST text/plain cross-site without a CORS preflight, so
// the Invoke API also checks Origin and the content type (README, "Local only").
import { isIP } from "node:net";

/** The Host names answered besides loopback names and IP addresses, or "all" to answer any. */
export type AllowedHosts = ReadonlySet<string> | "all";

/** A Host header as RFC 9110 allows it: a name or an address, an optional port, nothing else. */
const HOST_HEADER = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9.-]+))(?::\d{1,5})?$/i;

/** The host name of a Host header, lower case, IPv6 without brackets; undefined when malformed. */
function hostName(host: string): string | undefined {
  const match = HOST_HEADER.exec(host);
  return (match?.[1] ?? match?.[2])?.toLowerCase();
}

/**
 * True for `localhost`, `*.localhost`, any IP address (rebinding needs a name) and the names in
 * `allowed`. A request without Host is refused.
 */
export function isAllowedHost(host: string | undefined, allowed: AllowedHosts): boolean {
  if (allowed === "all") return true;
  const name = host === undefined ? undefined : hostName(host);
  if (name === undefined || name === "") return false;
  return name === "localhost" || name.endsWith(".localhost") || isIP(name) !== 0 || allowed.has(name);
}

/** Why a request with this Host is refused, in words that say how to allow it. */
export function hostRefusal(host: string | undefined): string {
  return `Host "${String(host).slice(0, 100)}" is not allowed: this local server answers localhost, IP addresses and the names given with --allowed-host (allowedHosts).`;
}

/** True when a browser sent the request from a page of another origin than this server's. */
export function isForeignOrigin(origin: string | undefined, host: string | undefined): boolean {
  return origin !== undefined && origin !== `http://${host}`;
}
