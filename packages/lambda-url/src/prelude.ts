/** Content-Type of a stream that starts with a JSON prelude (aws-lambda-ric's HttpResponseStream). */
export const INTEGRATION_CONTENT_TYPE = "application/vnd.awslambda.http-integration-response";

/** The prelude ends at the first run of 8 NUL bytes (docs/lambda-streaming.md §1). */
const DELIMITER = Buffer.alloc(8);

export interface Prelude {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
}

export class PreludeError extends Error {
  override name = "PreludeError";
}

/**
 * Splits an integration stream into its prelude and body. The delimiter may straddle chunks
 * (OpenNext writes the prelude and the NUL bytes itself, in splits of its own), so bytes are
 * held until it has been seen.
 */
export class PreludeSplitter {
  private held: Buffer = Buffer.alloc(0);
  private done = false;

  /** Feeds a chunk; returns the prelude and the body bytes after it once the delimiter is found. */
  push(chunk: Buffer): { prelude: Prelude; rest: Buffer } | null {
    if (this.done) throw new Error("prelude already parsed");
    const searchFrom = Math.max(0, this.held.length - (DELIMITER.length - 1));
    this.held = this.held.length === 0 ? chunk : Buffer.concat([this.held, chunk]);
    const at = this.held.indexOf(DELIMITER, searchFrom);
    if (at === -1) return null;
    this.done = true;
    const prelude = parsePrelude(this.held.subarray(0, at));
    const rest = this.held.subarray(at + DELIMITER.length);
    this.held = Buffer.alloc(0);
    return { prelude, rest };
  }

  /** Bytes seen so far without a delimiter. */
  get pending(): Buffer {
    return this.held;
  }
}

export function parsePrelude(bytes: Buffer): Prelude {
  let parsed: unknown;
  try {
    parsed = bytes.length === 0 ? {} : JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new PreludeError(`prelude is not JSON: ${bytes.subarray(0, 80).toString("utf8")}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new PreludeError("prelude must be a JSON object");
  }
  const record = parsed as Record<string, unknown>;
  const statusCode = record.statusCode ?? 200;
  if (typeof statusCode !== "number" || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    throw new PreludeError(`prelude statusCode ${JSON.stringify(statusCode)} is not an HTTP status`);
  }
  const headers: Record<string, string> = {};
  if (record.headers !== undefined && record.headers !== null) {
    if (typeof record.headers !== "object") throw new PreludeError("prelude headers must be an object");
    for (const [name, value] of Object.entries(record.headers as Record<string, unknown>)) {
      if (value === undefined || value === null) continue;
      headers[name.toLowerCase()] = Array.isArray(value) ? value.map(String).join(", ") : String(value);
    }
  }
  const cookies: string[] = [];
  if (record.cookies !== undefined && record.cookies !== null) {
    if (!Array.isArray(record.cookies)) throw new PreludeError("prelude cookies must be an array");
    for (const cookie of record.cookies) cookies.push(String(cookie));
  }
  return { statusCode, headers, cookies };
}
