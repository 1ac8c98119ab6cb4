/**
 * Batch sandbox fault injection: latency, 5xx, 429, timeouts, connection resets, and the explicit
 * "applied but never answered" mode. Faults other than that mode must leave the profiles untouched.
 */
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startBatchSandbox, type BatchSandbox, type BatchSandboxOptions, type RequestLogEntry } from '../../standins/batch/index.js';
import { callProfiles, getJson, operations } from '../../standins/batch/test-client.js';

let batch: BatchSandbox | undefined;
afterEach(async () => {
  await batch?.close();
  batch = undefined;
});
async function start(options: BatchSandboxOptions): Promise<BatchSandbox> {
  batch = await startBatchSandbox({ faultSeed: 7, ...options });
  return batch;
}

async function waitForLog(sandbox: BatchSandbox, count: number): Promise<RequestLogEntry[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const finished = sandbox.requests().filter((entry) => entry.finished);
    if (finished.length >= count) return finished;
    if (Date.now() > deadline) throw new Error(`only ${finished.length} of ${count} requests finished`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const portIsClosed = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });

describe('faults that apply nothing', () => {
  it('5xx: alternates 500 and 503 with an error body', async () => {
    const sandbox = await start({ faults: { serverError: 1 } });
    const results = [await callProfiles(sandbox, 'update', operations(2)), await callProfiles(sandbox, 'update', operations(2))];
    expect(results.map((r) => r.status).sort()).toEqual([500, 503]);
    expect(results[0]?.body).toEqual({ error_code: expect.any(String), error_message: expect.any(String) });
    expect(sandbox.profiles()).toEqual([]);
    expect(sandbox.stats().injectedFaults.serverError).toBe(2);
  });

  it('429: same answer as the rate limiter, without consuming tokens', async () => {
    const sandbox = await start({ updateRate: 1, updateBurst: 5, faults: { tooManyRequests: 1 } });
    const result = await callProfiles(sandbox, 'update', operations(5));
    expect(result).toMatchObject({ status: 429, body: { error_code: 'TOO_MANY_REQUESTS' } });
    sandbox.configure({ faults: { tooManyRequests: 0 } });
    expect((await callProfiles(sandbox, 'update', operations(5))).status).toBe(202);
    expect(sandbox.stats()).toMatchObject({ rateLimited: 0, injectedFaults: { tooManyRequests: 1 } });
  });

  it('timeout: never answers until the client gives up', async () => {
    const sandbox = await start({ faults: { timeout: 1 } });
    const call = callProfiles(sandbox, 'update', operations(1), { signal: AbortSignal.timeout(300) });
    await expect(call).rejects.toThrow(/aborted|timeout/i);
    const [entry] = await waitForLog(sandbox, 1);
    expect(entry).toMatchObject({ status: null, fault: 'timeout', operations: 1 });
    expect(sandbox.profiles()).toEqual([]);
  });

  it('connection reset: the socket is destroyed', async () => {
    const sandbox = await start({ faults: { connectionReset: 1 } });
    const error = await callProfiles(sandbox, 'update', operations(1)).catch((e: Error) => e);
    expect(error).toBeInstanceOf(TypeError); // undici: "fetch failed", cause: socket closed
    expect(String((error as Error & { cause?: unknown }).cause)).toMatch(/closed|reset|socket/i);
    expect(sandbox.profiles()).toEqual([]);
    expect((await waitForLog(sandbox, 1))[0]).toMatchObject({ status: null, fault: 'connectionReset' });
  });

  it('latency: delays answers, and a client that gave up meanwhile gets nothing applied', async () => {
    const sandbox = await start({ latencyMs: 400 });
    const started = performance.now();
    expect((await callProfiles(sandbox, 'update', operations(1, 'slow'))).status).toBe(202);
    expect(performance.now() - started).toBeGreaterThanOrEqual(395); // the configured minimum, not a speed claim
    const gaveUp = callProfiles(sandbox, 'update', operations(1, 'gone'), { signal: AbortSignal.timeout(50) });
    await expect(gaveUp).rejects.toThrow();
    const log = await waitForLog(sandbox, 2);
    expect(log[1]).toMatchObject({ status: null, fault: null });
    expect(sandbox.profiles().map((p) => p.identifiers)).toEqual([{ custom_id: 'slow0' }]);
  });
});

describe('explicit at-least-once mode', () => {
  it('timeoutAfterProcessing applies the call and never answers', async () => {
    const sandbox = await start({ faults: { timeoutAfterProcessing: 1 } });
    await expect(callProfiles(sandbox, 'update', operations(1), { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(sandbox.profile('user_0')?.attributes.firstname).toEqual({ type: 'string', value: 'Jane' });
    expect(sandbox.requests()[0]).toMatchObject({ status: null, fault: 'timeoutAfterProcessing' });
  });

  it('is not part of the faultRate shorthand', async () => {
    const sandbox = await start({ faultRate: 0.4 });
    expect(sandbox.config().faults).toEqual({ serverError: 0.1, tooManyRequests: 0.1, timeout: 0.1, connectionReset: 0.1, timeoutAfterProcessing: 0 });
  });
});

describe('rates and runtime configuration', () => {
  it('injects faults at the configured rates (seeded) and only the clean calls are applied', async () => {
    const sandbox = await start({ faults: { serverError: 0.25, tooManyRequests: 0.25 } });
    const counts = new Map<number, number>();
    for (let i = 0; i < 200; i++) {
      const { status } = await callProfiles(sandbox, 'update', operations(1, `c${i}_`));
      counts.set(status, (counts.get(status) ?? 0) + 1);
    }
    const serverErrors = (counts.get(500) ?? 0) + (counts.get(503) ?? 0);
    expect(serverErrors).toBe(sandbox.stats().injectedFaults.serverError);
    expect(counts.get(429)).toBe(sandbox.stats().injectedFaults.tooManyRequests);
    for (const n of [serverErrors, counts.get(429) ?? 0]) expect(n).toBeGreaterThan(25), expect(n).toBeLessThan(75);
    expect(sandbox.profiles()).toHaveLength(counts.get(202) ?? 0);
  });

  it('changes faults at runtime with POST /_sandbox/config and rejects invalid patches', async () => {
    const sandbox = await start({});
    const post = (body: unknown) => getJson(sandbox, '/_sandbox/config', { method: 'POST', body: JSON.stringify(body) });
    expect((await post({ faults: { serverError: 1 } })).body.faults.serverError).toBe(1);
    expect((await callProfiles(sandbox, 'update', operations(1))).status).toBeGreaterThanOrEqual(500);
    for (const bad of [{ faultRate: 2 }, { faults: { serverError: 0.8, timeout: 0.8 } }, { faults: { boom: 1 } }, { updateRate: 0 }, { nope: 1 }]) {
      expect(await post(bad)).toMatchObject({ status: 400, body: { error_code: 'INVALID_CONFIG' } });
    }
    expect((await getJson(sandbox, '/_sandbox/config')).body.faults.serverError).toBe(1);
    await post({ faultRate: 0, latencyMs: 0 });
    expect((await callProfiles(sandbox, 'update', operations(1))).status).toBe(202);
    expect(() => sandbox.configure({ latencyMs: -1 })).toThrow(/latencyMs/);
  });

  it('closes cleanly while requests are held open by timeouts', async () => {
    const sandbox = await start({ faults: { timeout: 1 } });
    const held = callProfiles(sandbox, 'update', operations(1)).catch((e: Error) => e);
    await waitForLog(sandbox, 1);
    await sandbox.close();
    batch = undefined;
    expect(await held).toBeInstanceOf(Error);
    expect(await portIsClosed(sandbox.port)).toBe(true);
  });
});
