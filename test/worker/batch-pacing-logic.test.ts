import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, isTransientStatus, parseRetryAfter, retryDelayMs } from '../../worker/batch/retry.js';
import { TokenBucket } from '../../worker/batch/token-bucket.js';

describe('TokenBucket (fake clock)', () => {
  it('starts full, refills at the rate, never above capacity', async () => {
    let now = 0;
    const bucket = new TokenBucket(300, 1000, () => now);
    expect(bucket.available()).toBe(1000);
    await bucket.take(1000);
    expect(bucket.available()).toBe(0);
    now += 1000;
    expect(bucket.available()).toBe(300);
    now += 60_000;
    expect(bucket.available()).toBe(1000);
  });

  it('drain() empties it (resync after a 429)', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 100, () => now);
    bucket.drain();
    expect(bucket.available()).toBe(0);
    now += 500;
    expect(bucket.available()).toBe(5);
  });

  it('serves waiters in order and makes a large request wait for enough tokens', async () => {
    const bucket = new TokenBucket(1000, 100);
    await bucket.take(100);
    const order: string[] = [];
    const big = bucket.take(100).then(() => order.push('big'));
    const small = bucket.take(1).then(() => order.push('small'));
    await Promise.all([big, small]);
    expect(order).toEqual(['big', 'small']);
  });

  it('rejects when aborted while waiting', async () => {
    const bucket = new TokenBucket(1, 1);
    await bucket.take(1);
    const controller = new AbortController();
    const waiting = bucket.take(1, controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });
});

describe('retry policy', () => {
  it('classifies statuses (batch-api.md §1.6)', () => {
    expect([429, 408, 500, 502, 503, 504].every(isTransientStatus)).toBe(true);
    expect([400, 401, 403, 404, 413, 422].some(isTransientStatus)).toBe(false);
  });

  it('parses Retry-After seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('grows exponentially with jitter, capped, and never below Retry-After', () => {
    const policy = { ...DEFAULT_BACKOFF, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(retryDelayMs(policy, 1, undefined, 500, () => 0)).toBe(50);
    expect(retryDelayMs(policy, 1, undefined, 500, () => 1)).toBe(100);
    expect(retryDelayMs(policy, 3, undefined, 500, () => 1)).toBe(400);
    expect(retryDelayMs(policy, 10, undefined, 500, () => 1)).toBe(1000);
    expect(retryDelayMs(policy, 1, 5000, 429, () => 0)).toBe(5000);
    expect(retryDelayMs(policy, 1, 10_000_000, 429, () => 0)).toBe(policy.maxRetryAfterMs);
    expect(retryDelayMs(policy, 1, undefined, 429, () => 0)).toBe(policy.rateLimitFloorMs);
  });
});
