import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Client-side token bucket mirroring Batch's server-side one (batch-api.md §2.2), counted in Custom IDs.
 * Waiters are served first-come first-served, so concurrent senders cannot starve a large request.
 */
export class TokenBucket {
  private tokens: number;
  private lastRefill: number;
  private queue: Promise<void> = Promise.resolve();

  /**
   * `extraCostPerTake`: tokens charged on top of each take (the balance may go negative), used when the
   * capacity leaves no headroom for network jitter (see BatchClient).
   */
  constructor(
    readonly perSecond: number,
    readonly capacity: number,
    private readonly now: () => number = () => performance.now(),
    private readonly extraCostPerTake = 0,
  ) {
    if (!(perSecond > 0) || !(capacity > 0)) throw new RangeError('token bucket rate and capacity must be > 0');
    this.tokens = capacity;
    this.lastRefill = now();
  }

  /** Resolves once `count` tokens were taken (a request larger than the capacity waits for a full bucket). */
  take(count: number, signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.waitFor(Math.min(count, this.capacity), signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** After a 429 the server's bucket is empty whatever ours says: resynchronise. */
  drain(): void {
    this.refill();
    this.tokens = 0;
  }

  available(): number {
    this.refill();
    return this.tokens;
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.lastRefill) * this.perSecond) / 1000);
    this.lastRefill = now;
  }

  private async waitFor(count: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      this.refill();
      if (this.tokens >= count || this.perSecond === Infinity) {
        this.tokens -= count + this.extraCostPerTake;
        return;
      }
      const waitMs = Math.max(1, Math.ceil(((count - this.tokens) * 1000) / this.perSecond));
      await sleep(waitMs, undefined, signal ? { signal } : undefined);
    }
  }
}
