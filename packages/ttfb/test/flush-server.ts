import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

/** A loopback HTTP server whose routes the tests script write by write. */
export interface FlushServer {
  url(path: string): string;
  route(path: string, handler: Handler): void;
  /** Paths in the order requests arrived. */
  readonly requests: string[];
  close(): Promise<void>;
}

export async function startFlushServer(): Promise<FlushServer> {
  const routes = new Map<string, Handler>();
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    requests.push(path);
    // Node 18+ servers already default to noDelay; set it anyway so the schedule never depends on
    // that default: with Nagle on, a small write waits for the ack of the previous one.
    res.socket?.setNoDelay(true);
    const handler = routes.get(path);
    if (!handler) {
      res.writeHead(404, { "content-type": "text/plain" }).end("no such route");
      return;
    }
    Promise.resolve(handler(req, res)).catch((error: unknown) => {
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    route: (path, handler) => void routes.set(path, handler),
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Lets the client hold the server back: `wait(n)` resolves once `open()` has been called n times. */
export class Gate {
  #opened = 0;
  #waiters: Array<{ n: number; resolve: () => void }> = [];

  open(): void {
    this.#opened += 1;
    this.#waiters = this.#waiters.filter((w) => {
      if (w.n > this.#opened) return true;
      w.resolve();
      return false;
    });
  }

  wait(n: number): Promise<void> {
    if (this.#opened >= n) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ n, resolve }));
  }
}

export type Coding = "gzip" | "br" | "deflate";

/**
 * Compresses `pieces` as one stream, flushing after each, and returns the compressed bytes
 * produced for each piece (the stream trailer is appended to the last one).
 */
export async function compressPieces(coding: Coding, pieces: readonly string[]): Promise<Buffer[]> {
  const stream =
    coding === "gzip" ? zlib.createGzip() : coding === "br" ? zlib.createBrotliCompress() : zlib.createDeflate();
  let pending: Buffer[] = [];
  stream.on("data", (out: Buffer) => pending.push(out));
  const take = (): Buffer => {
    const out = Buffer.concat(pending);
    pending = [];
    return out;
  };
  const result: Buffer[] = [];
  for (const piece of pieces) {
    stream.write(piece);
    await new Promise<void>((resolve) => stream.flush(() => resolve()));
    result.push(take());
  }
  await new Promise<void>((resolve) => stream.end(resolve));
  await new Promise<void>((resolve) => (stream.readableEnded ? resolve() : stream.once("end", resolve)));
  const trailer = take();
  result[result.length - 1] = Buffer.concat([result[result.length - 1]!, trailer]);
  return result;
}
