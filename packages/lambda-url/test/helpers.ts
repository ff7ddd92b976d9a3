import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");

export function fixture(handler: string): string {
  return path.join(fixtures, handler);
}

export interface Received {
  status: number;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  /** Each body chunk as the socket delivered it. */
  chunks: Buffer[];
  body: Buffer;
  /** The body ended with its terminating chunk; false when the server cut it off. */
  complete: boolean;
}

export interface RequestOptions {
  method?: string;
  headers?: http.OutgoingHttpHeaders;
  body?: string | Buffer;
  /** Called with each body chunk as it arrives. */
  onChunk?: (chunk: Buffer, soFar: Buffer) => void;
  /** Abort the request after the first body chunk. */
  abortAfterFirstChunk?: boolean;
}

/** One request on a fresh connection, recording chunks and whether the body really ended. */
export function request(url: string, options: RequestOptions = {}): Promise<Received> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: options.method ?? "GET", headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        let settled = false;
        const finish = (complete: boolean) => {
          if (settled) return;
          settled = true;
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            chunks,
            body: Buffer.concat(chunks),
            complete,
          });
        };
        res.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
          options.onChunk?.(chunk, Buffer.concat(chunks));
          if (options.abortAfterFirstChunk) {
            req.destroy();
            finish(false);
          }
        });
        res.on("end", () => finish(res.complete));
        res.on("error", () => finish(false));
        res.on("aborted", () => finish(false));
        res.on("close", () => finish(res.complete));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Collects log lines for assertions. */
export function logCollector(): { lines: string[]; log: (line: string) => void } {
  const lines: string[] = [];
  return { lines, log: (line) => lines.push(line) };
}
