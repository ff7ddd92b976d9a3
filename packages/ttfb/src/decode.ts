import zlib from "node:zlib";

/** Content-codings this tool can undo to scan markers (RFC 9110 §8.4.1; `x-gzip` is gzip's old alias). */
export type ContentCoding = "identity" | "gzip" | "deflate" | "br";

/** Maps a Content-Encoding header to the one coding it names, or `undefined` when unsupported. */
export function parseContentEncoding(header: string | string[] | undefined): ContentCoding | undefined {
  const value = (Array.isArray(header) ? header.join(",") : (header ?? "")).toLowerCase();
  // OpenNext's streaming wrapper sends `content-encoding: identity` explicitly; treat it like none.
  const codings = value
    .split(",")
    .map((c) => c.trim())
    .filter((c) => c !== "" && c !== "identity");
  if (codings.length === 0) return "identity";
  if (codings.length > 1) return undefined;
  const [coding] = codings;
  if (coding === "gzip" || coding === "x-gzip") return "gzip";
  if (coding === "deflate" || coding === "br") return coding;
  return undefined;
}

/**
 * Streams wire chunks through a zlib decompressor and reports each decoded piece with the
 * arrival time of the wire chunk that produced it.
 *
 * zlib runs on the thread pool, so decoded output surfaces a little after the wire chunk.
 * Node's zlib pushes all output for a written chunk before that write's callback fires, so
 * the oldest wire chunk whose write has not yet completed is the one the output belongs to.
 */
type Decompressor = zlib.Gunzip | zlib.Inflate | zlib.InflateRaw | zlib.BrotliDecompress;

export class TimedDecoder {
  readonly #coding: Exclude<ContentCoding, "identity">;
  readonly #onDecoded: (piece: Buffer, atMs: number) => void;
  readonly #onError: (error: Error) => void;
  readonly #pendingArrivals: number[] = [];
  #stream: Decompressor | undefined;
  #lastArrivalMs = 0;
  #failure: Error | undefined;
  #finished: Promise<void> | undefined;
  #resolveFinished: (() => void) | undefined;
  #rejectFinished: ((error: Error) => void) | undefined;

  constructor(
    coding: Exclude<ContentCoding, "identity">,
    onDecoded: (piece: Buffer, atMs: number) => void,
    onError: (error: Error) => void,
  ) {
    this.#coding = coding;
    this.#onDecoded = onDecoded;
    this.#onError = onError;
  }

  write(chunk: Buffer, atMs: number): void {
    if (this.#failure) return;
    const stream = this.#stream ?? this.#open(chunk);
    this.#lastArrivalMs = atMs;
    this.#pendingArrivals.push(atMs);
    stream.write(chunk, () => {
      this.#pendingArrivals.shift();
    });
  }

  /** Ends the input; resolves once every decoded byte has been reported. */
  end(): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (!this.#finished) {
      this.#finished = new Promise<void>((resolve, reject) => {
        this.#resolveFinished = resolve;
        this.#rejectFinished = reject;
      });
      if (!this.#stream) this.#resolveFinished?.();
      else this.#stream.end();
    }
    return this.#finished;
  }

  destroy(): void {
    this.#stream?.destroy();
  }

  #open(firstChunk: Buffer): Decompressor {
    const stream = this.#create(firstChunk);
    stream.on("data", (piece: Buffer) => {
      this.#onDecoded(piece, this.#pendingArrivals[0] ?? this.#lastArrivalMs);
    });
    stream.on("end", () => this.#resolveFinished?.());
    stream.on("error", (error: Error) => {
      this.#failure = error;
      this.#rejectFinished?.(error);
      this.#onError(error);
    });
    this.#stream = stream;
    return stream;
  }

  #create(firstChunk: Buffer): Decompressor {
    switch (this.#coding) {
      case "gzip":
        return zlib.createGunzip();
      case "br":
        return zlib.createBrotliDecompress();
      case "deflate":
        // RFC 9110 says "deflate" is zlib-wrapped, but some servers send raw deflate; a zlib
        // stream starts with a CMF/FLG pair whose 16-bit value is a multiple of 31 (RFC 1950 §2.2).
        return looksLikeZlibHeader(firstChunk) ? zlib.createInflate() : zlib.createInflateRaw();
    }
  }
}

function looksLikeZlibHeader(chunk: Buffer): boolean {
  if (chunk.length < 2) return true;
  const cmf = chunk[0] ?? 0;
  const flg = chunk[1] ?? 0;
  return (cmf & 0x0f) === 8 && ((cmf << 8) | flg) % 31 === 0;
}
