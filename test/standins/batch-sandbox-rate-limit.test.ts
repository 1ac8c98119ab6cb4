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
    // One call takes the whole burst; the next full-burst call needs 10 s of refill at 1/s, so it is refused
    // however slowly a loaded machine sends it. Then single IDs are polled until the refill lets one through.
    const sandbox = await startBatchSandbox({ updateRate: 1, updateBurst: 10 });
    batch = sandbox;
    const started = performance.now();
    const seen = [(await callProfiles(sandbox, 'update', operations(10, 'burst'))).status, (await callProfiles(sandbox, 'update', operations(10, 'again'))).status];
    let accepted = seen[0] === 202 ? 10 : 0;
    while (seen.at(-1) !== 202 && performance.now() - started < 30_000) {
      seen.push((await callProfiles(sandbox, 'update', operations(1, `r${seen.length}_`))).status);
      if (seen.at(-1) === 202) accepted += 1;
    }
    const elapsedSeconds = (performance.now() - started) / 1000;
    expect(seen.slice(0, 2)).toEqual([202, 429]);
    expect(seen.at(-1)).toBe(202);
    expect(accepted).toBe(11);
    expect(accepted).toBeLessThanOrEqual(10 + Math.ceil(1 * elapsedSeconds));
    expect(elapsedSeconds).toBeGreaterThanOrEqual(0.99); // the refill took a token's worth of time
    expect(sandbox.stats().rateLimited).toBe(seen.filter((s) => s === 429).length);
  });
});
