/**
 * Token bucket as Batch documents it for the Profile API (batch-api.md §2.2): tokens are custom IDs,
 * refilled continuously at `rate` per second up to `capacity` (the burst). A request either takes all the
 * tokens it needs or none: Batch answers 429 for the whole call, so nothing of it is applied.
 */
export type Clock = () => number;

export class TokenBucket {
  private tokens: number;
  private lastRefill: number;

  constructor(
    private rate: number,
    private capacity: number,
    private readonly now: Clock,
  ) {
    if (!(rate > 0) || !(capacity > 0)) throw new RangeError(`token bucket needs rate > 0 and capacity > 0 (got ${rate}, ${capacity})`);
    this.tokens = capacity;
    this.lastRefill = now();
  }

  /**
   * Takes `count` tokens if available. A request larger than the capacity can never pass; that only happens
   * with a capacity configured below the per-call limit (the documented 1000 ≥ 200 and 10 000 ≥ 10 000).
   */
  tryTake(count: number): boolean {
    this.refill();
    // Tolerate float dust so that e.g. 100 ms at 10/s yields exactly one token.
    if (this.tokens + 1e-9 < count) return false;
    this.tokens = Math.max(0, this.tokens - count);
    return true;
  }

  available(): number {
    this.refill();
    return this.tokens;
  }

  reconfigure(rate: number, capacity: number): void {
    if (!(rate > 0) || !(capacity > 0)) throw new RangeError(`token bucket needs rate > 0 and capacity > 0 (got ${rate}, ${capacity})`);
    this.refill();
    this.rate = rate;
    this.capacity = capacity;
    this.tokens = Math.min(this.tokens, capacity);
  }

  refillCompletely(): void {
    this.tokens = this.capacity;
    this.lastRefill = this.now();
  }

  private refill(): void {
    const t = this.now();
    const elapsedMs = t - this.lastRefill;
    if (elapsedMs > 0) {
      // elapsed·rate/1000 (not elapsed/1000·rate) keeps round values exact.
      this.tokens = Math.min(this.capacity, this.tokens + (elapsedMs * this.rate) / 1000);
      this.lastRefill = t;
    }
  }
}
