/**
 * Finds the first arrival of each marker text in a body that is fed piece by piece.
 *
 * Matching is done on UTF-8 bytes, so a multi-byte character split across two network
 * reads needs no decoding. Only the last `longest - 1` bytes are carried over between
 * pieces: enough for a marker that straddles a boundary, without keeping the body.
 */
export class MarkerScanner {
  readonly #needles: ReadonlyArray<{ name: string; bytes: Buffer }>;
  readonly #found = new Map<string, number>();
  readonly #carryLength: number;
  #carry: Buffer = Buffer.alloc(0);

  constructor(markers: Record<string, string>) {
    const needles: Array<{ name: string; bytes: Buffer }> = [];
    for (const [name, text] of Object.entries(markers)) {
      if (text.length === 0) throw new RangeError(`marker "${name}" has empty text`);
      needles.push({ name, bytes: Buffer.from(text, "utf8") });
    }
    this.#needles = needles;
    this.#carryLength = Math.max(0, ...needles.map((n) => n.bytes.length - 1));
  }

  /** Scans one piece of body that became available at `atMs`. */
  push(piece: Buffer, atMs: number): void {
    if (this.#needles.length === 0 || this.#found.size === this.#needles.length) return;
    const window = this.#carry.length === 0 ? piece : Buffer.concat([this.#carry, piece]);
    for (const { name, bytes } of this.#needles) {
      // A match lying wholly inside the carry was already seen with the previous piece.
      if (!this.#found.has(name) && window.indexOf(bytes) !== -1) this.#found.set(name, atMs);
    }
    this.#carry = Buffer.from(window.subarray(Math.max(0, window.length - this.#carryLength)));
  }

  /** Arrival time of every marker, `undefined` for those not (yet) seen. */
  results(): Record<string, number | undefined> {
    const out: Record<string, number | undefined> = {};
    for (const { name } of this.#needles) out[name] = this.#found.get(name);
    return out;
  }
}
