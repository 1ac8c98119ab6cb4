/**
 * Batch sandbox rate limits (batch-api.md §2.2): token buckets counted in custom IDs, 429 for the whole
 * call. Refill is driven by an injected clock, so counts are exact; one test uses the real clock and only
 * asserts what any token bucket guarantees (accepted ≤ burst + rate × elapsed).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startBatchSandbox, type BatchSandbox, type BatchSandboxOptions } from '../../standins/batch/index.js';
import { callProfiles, operations } from '../../standins/batch/test-client.js';

let batch: BatchSandbox | undefined;
let now = 0;
afterEach(async () => {
  await batch?.close();
  batch = undefined;
});

async function start(options: BatchSandboxOptions = {}): Promise<BatchSandbox> {
  now = 0;
  batch = await startBatchSandbox({ clock: () => now, ...options });
  return batch;
}

/** Sends `calls` requests of `size` operations one after the other; returns their statuses. */
async function statuses(sandbox: BatchSandbox, endpoint: 'update' | 'mass-update', calls: number, size: number, prefix = 'p') {
  const result: number[] = [];
  for (let i = 0; i < calls; i++) result.push((await callProfiles(sandbox, endpoint, operations(size, `${prefix}${i}_`))).status);
  return result;
}

describe('documented defaults', () => {
  it('/profiles/update: a burst of 1000 custom IDs, then 300 per second', async () => {
    const sandbox = await start();
    expect(await statuses(sandbox, 'update', 6, 200, 'a')).toEqual([202, 202, 202, 202, 202, 429]);
    now += 1000;
    expect(await statuses(sandbox, 'update', 3, 100, 'b')).toEqual([202, 202, 202]);
    expect(await statuses(sandbox, 'update', 1, 1, 'c')).toEqual([429]);
    expect(sandbox.stats()).toMatchObject({ update: { acceptedOperations: 1300 }, rateLimited: 2 });
  });

  it('/profiles/mass-update: 10 000 per second and no burst beyond that', async () => {
    const sandbox = await start();
    expect(await statuses(sandbox, 'mass-update', 2, 10_000, 'm')).toEqual([202, 429]);
    now += 10_000; // a long pause does not bank more than one second's worth
    expect(await statuses(sandbox, 'mass-update', 2, 10_000, 'n')).toEqual([202, 429]);
    now += 500;
    expect(await statuses(sandbox, 'mass-update', 2, 5_000, 'o')).toEqual([202, 429]);
  });
});

describe('configured buckets', () => {
  it('counts custom IDs, not calls, and a 429 applies nothing', async () => {
    const sandbox = await start({ updateRate: 10, updateBurst: 5 });
    const first = await callProfiles(sandbox, 'update', operations(3, 'x'));
    const second = await callProfiles(sandbox, 'update', operations(3, 'y'));
    expect([first.status, second.status]).toEqual([202, 429]);
    expect(second.body).toEqual({ error_code: 'TOO_MANY_REQUESTS', error_message: expect.any(String) });
    expect(second.headers.get('retry-after')).toBeNull();
    expect(sandbox.profiles().map((p) => p.identifiers)).toEqual([{ custom_id: 'x0' }, { custom_id: 'x1' }, { custom_id: 'x2' }]);
    expect((await callProfiles(sandbox, 'update', operations(2, 'z'))).status).toBe(202);
  });

  it('refills continuously at the configured rate, capped at the burst', async () => {
    const sandbox = await start({ updateRate: 10, updateBurst: 5 });
    expect(await statuses(sandbox, 'update', 6, 1)).toEqual([202, 202, 202, 202, 202, 429]);
    now += 100; // 10/s → exactly one custom ID
    expect(await statuses(sandbox, 'update', 2, 1)).toEqual([202, 429]);
    now += 250; // 2.5 tokens: two calls of one, not three
    expect(await statuses(sandbox, 'update', 3, 1)).toEqual([202, 202, 429]);
    now += 60_000;
    expect(await statuses(sandbox, 'update', 6, 1)).toEqual([202, 202, 202, 202, 202, 429]);
  });

  it('keeps the two endpoints in separate buckets', async () => {
    const sandbox = await start({ updateRate: 1, updateBurst: 2, massRate: 3 });
    expect(await statuses(sandbox, 'update', 2, 2)).toEqual([202, 429]);
    expect(await statuses(sandbox, 'mass-update', 2, 3)).toEqual([202, 429]);
  });

  it('answers 429 for a call larger than a configured burst (it can never fit)', async () => {
    const sandbox = await start({ updateRate: 100, updateBurst: 5 });
    now += 60_000;
    expect((await callProfiles(sandbox, 'update', operations(6))).status).toBe(429);
  });

  it('sends Retry-After only when configured, and rates can change at runtime', async () => {
    const sandbox = await start({ updateRate: 1, updateBurst: 1, retryAfterSeconds: 2 });
    expect(await statuses(sandbox, 'update', 2, 1)).toEqual([202, 429]);
    expect((await callProfiles(sandbox, 'update', operations(1))).headers.get('retry-after')).toBe('2');
    sandbox.configure({ updateRate: 1000, updateBurst: 1000 });
    now += 10; // 10 ms at 1000/s
    expect(await statuses(sandbox, 'update', 11, 1)).toEqual([...Array(10).fill(202), 429]);
    sandbox.reset();
    expect(await statuses(sandbox, 'update', 1, 200)).toEqual([202]);
  });
});

describe('real clock', () => {
  it('never accepts more than burst + rate × elapsed, and refills over time', async () => {
    const sandbox = await startBatchSandbox({ updateRate: 5, updateBurst: 10 });
    batch = sandbox;
    const started = performance.now();
    const seen: number[] = [];
    // Poll until a call passes after a 429 (refill observed), with a deadline instead of a sleep.
    while (performance.now() - started < 5_000) {
      seen.push((await callProfiles(sandbox, 'update', operations(1, `r${seen.length}_`))).status);
      if (seen.includes(429) && seen.lastIndexOf(202) > seen.indexOf(429)) break;
    }
    const elapsedSeconds = (performance.now() - started) / 1000;
    const accepted = seen.filter((s) => s === 202).length;
    expect(seen.slice(0, 10)).toEqual(Array(10).fill(202));
    expect(seen).toContain(429);
    expect(seen.lastIndexOf(202)).toBeGreaterThan(seen.indexOf(429));
    expect(accepted).toBeLessThanOrEqual(10 + Math.ceil(5 * elapsedSeconds));
    expect(sandbox.stats().rateLimited).toBe(seen.filter((s) => s === 429).length);
  });
});
