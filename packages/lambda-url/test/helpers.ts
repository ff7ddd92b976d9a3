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

/**
 * A gate for fixtures that wait on it (`?gate=URL`): each GET is held until `open()`. `arrived(n)`
 * resolves once n requests are waiting, i.e. n functions are running and blocked on it.
 */
export interface Gate {
  url: string;
  arrived(count: number): Promise<void>;
  open(): void;
  close(): Promise<void>;
}

export async function startGate(): Promise<Gate> {
  let opened = false;
  const waiting: http.ServerResponse[] = [];
  const watchers = new Set<() => void>();
  const server = http.createServer((_req, res) => {
    if (opened) {
      res.end("open");
      return;
    }
    waiting.push(res);
    for (const watch of [...watchers]) watch();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as import("node:net").AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    arrived: (count) =>
      new Promise<void>((resolve) => {
        const watch = () => {
          if (waiting.length < count) return;
          watchers.delete(watch);
          resolve();
        };
        watchers.add(watch);
        watch();
      }),
    open: () => {
      opened = true;
      for (const res of waiting.splice(0)) res.end("open");
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
