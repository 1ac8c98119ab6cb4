import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BatchClient } from '../../worker/batch/client.js';
import type { Endpoint, RateLimit } from '../../worker/batch/constants.js';
import type { ProfileOperation } from '../../worker/batch/types.js';
import { startBatchSandbox, type BatchSandbox } from '../../standins/batch/index.js';

// Scaled-down rates keep the file fast; the pacing logic is rate-independent (bench:worker runs the real ratios).
// The sandbox shares this process's event loop with the client, so a cold start (JIT, new sockets) can delay
// arrivals by more than the client's 100 ms headroom: the paced runs tolerate one 429 (retried), while the
// unpaced control gets dozens.
const COLD_START_TOLERANCE = 1;
let sandbox: BatchSandbox;
beforeAll(async () => {
  sandbox = await startBatchSandbox({ updateRate: 2000, updateBurst: 1000, massRate: 20_000, faultSeed: 7 });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.configure({ faultRate: 0, updateRate: 2000, updateBurst: 1000, massRate: 20_000, retryAfterSeconds: null });
  sandbox.reset();
});

const ops = (count: number, prefix = 'u'): ProfileOperation[] =>
  Array.from({ length: count }, (_, i) => ({ identifiers: { custom_id: `${prefix}${i}` }, attributes: { plan: 'gold', visits: i } }));

function client(rateLimits: Partial<Record<Endpoint, RateLimit>>, timeoutMs = 2_000) {
  return new BatchClient({
    // The sandbox parses 10 000-operation bodies on this process's event loop, next to other test files:
    // a wider per-request margin than production's 25 ms keeps arrival jitter below it.
    perRequestMarginMs: 100,
    baseUrl: sandbox.apiUrl,
    apiKey: sandbox.restApiKey,
    projectKey: sandbox.projectKey,
    rateLimits,
    timeoutMs,
    backoff: { baseDelayMs: 20, maxDelayMs: 500, rateLimitFloorMs: 200, maxAttempts: 12 },
  });
}

async function sendAll(batchClient: BatchClient, endpoint: Endpoint, all: ProfileOperation[], size: number) {
  const batches: ProfileOperation[][] = [];
  for (let i = 0; i < all.length; i += size) batches.push(all.slice(i, i + size));
  return Promise.all(batches.map((batch) => batchClient.send(endpoint, batch)));
}

describe('BatchClient against the Batch sandbox', () => {
  it('paces concurrent /profiles/update calls under the rate limit: no 429 beyond a cold start', async () => {
    const paced = client({ update: { perSecond: 2000, burst: 1000 } });
    const outcomes = await sendAll(paced, 'update', ops(5000), 200);
    expect(outcomes.every((o) => o.kind === 'accepted')).toBe(true);
    expect(sandbox.stats().update.acceptedOperations).toBe(5000);
    expect(sandbox.stats().rateLimited).toBeLessThanOrEqual(COLD_START_TOLERANCE);
    expect(paced.stats.retries).toBe(sandbox.stats().rateLimited);
  });

  it('control: the same load without pacing is rate limited, and retries still deliver everything', async () => {
    const unpaced = client({ update: { perSecond: 1e9, burst: 1e9 } });
    const outcomes = await sendAll(unpaced, 'update', ops(5000), 200);
    expect(outcomes.every((o) => o.kind === 'accepted')).toBe(true);
    expect(sandbox.stats().rateLimited).toBeGreaterThanOrEqual(10);
    expect(sandbox.profiles()).toHaveLength(5000);
  });

  it('paces /profiles/mass-update with 10 000-operation calls', async () => {
    const paced = client({ 'mass-update': { perSecond: 20_000, burst: 20_000 } });
    await sendAll(paced, 'mass-update', ops(60_000), 10_000);
    expect(sandbox.stats().massUpdate).toMatchObject({ accepted: 6, acceptedOperations: 60_000 });
    expect(sandbox.stats().rateLimited).toBeLessThanOrEqual(COLD_START_TOLERANCE);
  });

  it('honours the sandbox Retry-After header', async () => {
    sandbox.configure({ retryAfterSeconds: 1, faults: { tooManyRequests: 1 } });
    const retried = new BatchClient({
      baseUrl: sandbox.apiUrl,
      apiKey: sandbox.restApiKey,
      projectKey: sandbox.projectKey,
      backoff: { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 2 },
      onEvent: (event) => {
        if (event.type === 'retry') {
          delays.push(event.delayMs);
          sandbox.configure({ faults: { tooManyRequests: 0 } });
        }
      },
    });
    const delays: number[] = [];
    const outcome = await retried.send('update', ops(1));
    expect(outcome.kind).toBe('accepted');
    expect(delays).toEqual([1000]);
  });

  it('delivers every operation through 5xx, 429, timeouts and resets', async () => {
    sandbox.configure({ faultRate: 0.4 });
    const faulty = client({ update: { perSecond: 2000, burst: 1000 } }, 300);
    const outcomes = await sendAll(faulty, 'update', ops(3000), 200);
    expect(outcomes.every((o) => o.kind === 'accepted')).toBe(true);
    const { injectedFaults } = sandbox.stats();
    for (const kind of ['serverError', 'tooManyRequests', 'timeout', 'connectionReset'] as const) {
      expect(injectedFaults[kind], kind).toBeGreaterThan(0);
    }
    expect(faulty.stats.retries).toBeGreaterThan(0);
    expect(sandbox.profiles().map((p) => p.identifiers).length).toBe(3000);
  });

  it('reports partial errors with the custom_id and attribute Batch rejected', async () => {
    const paced = client({});
    const batch: ProfileOperation[] = [
      { identifiers: { custom_id: 'ok' }, attributes: { plan: 'gold' } },
      { identifiers: { custom_id: 'bad' }, attributes: { plan: 'gold', nickname: 'x'.repeat(301) } },
    ];
    const outcome = await paced.send('update', batch);
    expect(outcome.kind).toBe('accepted');
    if (outcome.kind !== 'accepted') return;
    expect(outcome.itemErrors).toEqual([expect.objectContaining({ customId: 'bad', bulkIndex: 1, attribute: 'nickname' })]);
    expect(sandbox.profile('bad')?.attributes.plan).toEqual({ type: 'string', value: 'gold' });
  });

  it('gets a permanent rejection for a bad key without retrying', async () => {
    const wrong = new BatchClient({ baseUrl: sandbox.apiUrl, apiKey: 'not-the-key', projectKey: sandbox.projectKey });
    const outcome = await wrong.send('update', ops(1));
    expect(outcome).toMatchObject({ kind: 'rejected', status: 401, attempts: 1 });
  });
});
