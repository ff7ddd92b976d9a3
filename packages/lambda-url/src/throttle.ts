import type { BandwidthLimit } from "./options.ts";

/**
 * Token bucket: `burstBytes` go out at full speed, then `bytesPerSecond`. This is the AWS runtime
 * emulator's model of Function URL streaming bandwidth (first 6 MB unthrottled, then 2 MB/s;
 * docs/lambda-streaming.md §2). One bucket per response.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly limit: BandwidthLimit,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = limit.burstBytes;
    this.last = now();
  }

  /** Takes `bytes` tokens; returns how long to wait (ms) before sending them. */
  take(bytes: number): number {
    const now = this.now();
    this.tokens = Math.min(this.limit.burstBytes, this.tokens + ((now - this.last) / 1000) * this.limit.bytesPerSecond);
    this.last = now;
    this.tokens -= bytes;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.limit.bytesPerSecond) * 1000;
  }
}
