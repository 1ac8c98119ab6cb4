import { afterEach, describe, expect, it } from 'vitest';
import { BatchClient, type BatchClientOptions } from '../../worker/batch/client.js';
import { BATCH_API_VERSION } from '../../shared/batch/constants.js';
import { BatchTransientError, type BatchClientEvent, type ProfileOperation } from '../../worker/batch/types.js';
import { startScriptedServer, type ScriptStep } from './helpers/scripted-http.js';

const API_KEY = 'rest-key-SECRET-5f1c9a';
const PROJECT = 'project_0664hxvwffvbpn278gxdyhsadddqgna6';
const ACCEPTED: ScriptStep = { status: 202, body: { code: 'SUCCESS' } };

const ops = (count: number): ProfileOperation[] =>
  Array.from({ length: count }, (_, i) => ({ identifiers: { custom_id: `u${i}` }, attributes: { n: i } }));

let servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function setup(script: (index: number) => ScriptStep, extra: Partial<BatchClientOptions> = {}) {
  const server = await startScriptedServer((index) => script(index));
  servers.push(server);
  const events: BatchClientEvent[] = [];
  const client = new BatchClient({
    baseUrl: server.url,
    apiKey: API_KEY,
    projectKey: PROJECT,
    backoff: { baseDelayMs: 5, maxDelayMs: 20, rateLimitFloorMs: 5 },
    onEvent: (event) => events.push(event),
    ...extra,
  });
  return { server, client, events };
}

describe('BatchClient', () => {
  it('posts the operations with the documented headers and path', async () => {
    const { server, client } = await setup(() => ACCEPTED);
    const outcome = await client.send('update', ops(3));
    expect(outcome).toEqual({ kind: 'accepted', itemErrors: [], attempts: 1 });
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe(`/${BATCH_API_VERSION}/profiles/update`);
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.headers['x-batch-project']).toBe(PROJECT);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual(ops(3));
    await client.send('mass-update', ops(1));
    expect(server.requests[1]?.url).toBe(`/${BATCH_API_VERSION}/profiles/mass-update`);
  });

  it('refuses more operations than the endpoint allows, before sending anything', async () => {
    const { server, client } = await setup(() => ACCEPTED);
    await expect(client.send('update', ops(201))).rejects.toThrow(/at most 200/);
    await expect(client.send('mass-update', ops(10_001))).rejects.toThrow(/at most 10000/);
    expect(server.requests).toHaveLength(0);
  });

  it('retries 5xx then succeeds', async () => {
    const { server, client, events } = await setup((i) => (i < 2 ? { status: i === 0 ? 503 : 500 } : ACCEPTED));
    const outcome = await client.send('update', ops(2));
    expect(outcome.kind).toBe('accepted');
    expect(outcome.attempts).toBe(3);
    expect(server.requests).toHaveLength(3);
    expect(client.stats).toMatchObject({ requests: 3, retries: 2, serverErrors: 2, operationsAccepted: 2 });
    expect(events.filter((e) => e.type === 'retry').map((e) => e.type === 'retry' && e.reason)).toEqual(['HTTP 503', 'HTTP 500']);
  });

  it('honours Retry-After on 429', async () => {
    const { server, client, events } = await setup((i) =>
      i === 0 ? { status: 429, headers: { 'retry-after': '1' }, body: { error_code: 'TOO_MANY_REQUESTS' } } : ACCEPTED,
    );
    const outcome = await client.send('update', ops(1));
    expect(outcome.kind).toBe('accepted');
    const retry = events.find((e) => e.type === 'retry');
    expect(retry).toMatchObject({ reason: 'HTTP 429 TOO_MANY_REQUESTS', delayMs: 1000 });
    const [first, second] = server.requests;
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(990);
    expect(client.stats.rateLimited).toBe(1);
  });

  it('waits at least the rate-limit floor after a 429 without Retry-After', async () => {
    const { client, events } = await setup((i) => (i === 0 ? { status: 429 } : ACCEPTED), {
      backoff: { baseDelayMs: 1, maxDelayMs: 2, rateLimitFloorMs: 300 },
    });
    await client.send('update', ops(1));
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ delayMs: 300 });
  });

  it('treats other 4xx as permanent: one request, error parsed', async () => {
    const { server, client, events } = await setup(() => ({
      status: 400,
      body: { error_code: 'INVALID_PAYLOAD', error_message: 'identifiers is required' },
    }));
    const outcome = await client.send('update', ops(2));
    expect(outcome).toEqual({
      kind: 'rejected',
      status: 400,
      errorCode: 'INVALID_PAYLOAD',
      message: 'identifiers is required',
      attempts: 1,
    });
    expect(server.requests).toHaveLength(1);
    expect(events).toEqual([{ type: 'rejected', endpoint: 'update', status: 400, errorCode: 'INVALID_PAYLOAD', operations: 2 }]);
  });

  it('retries a request that times out', async () => {
    const { server, client } = await setup((i) => (i === 0 ? 'hang' : ACCEPTED), { timeoutMs: 200 });
    const outcome = await client.send('update', ops(1));
    expect(outcome.kind).toBe('accepted');
    expect(server.requests).toHaveLength(2);
    expect(client.stats.timeouts).toBe(1);
  });

  it('retries a connection reset', async () => {
    const { server, client, events } = await setup((i) => (i === 0 ? 'reset' : ACCEPTED));
    const outcome = await client.send('update', ops(1));
    expect(outcome.kind).toBe('accepted');
    expect(server.requests).toHaveLength(2);
    expect(client.stats.networkErrors).toBe(1);
    expect(events[0]).toMatchObject({ type: 'retry', attempt: 1 });
  });

  it('maps SUCCESS_WITH_PARTIAL_ERRORS items back to custom ids', async () => {
    const { client } = await setup(() => ({
      status: 202,
      body: {
        code: 'SUCCESS_WITH_PARTIAL_ERRORS',
        errors: [
          { category: 'attribute', bulk_index: 1, attribute: 'nickname', reason: 'invalid value' },
          { category: 'identifiers', bulk_index: 2, reason: 'invalid custom_id' },
        ],
      },
    }));
    const outcome = await client.send('update', ops(3));
    expect(outcome).toEqual({
      kind: 'accepted',
      attempts: 1,
      itemErrors: [
        { customId: 'u1', bulkIndex: 1, category: 'attribute', attribute: 'nickname', reason: 'invalid value' },
        { customId: 'u2', bulkIndex: 2, category: 'identifiers', reason: 'invalid custom_id' },
      ],
    });
  });

  it('gives up after maxAttempts with a transient error', async () => {
    const { server, client } = await setup(() => ({ status: 502 }), {
      backoff: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    });
    const failure = client.send('update', ops(1));
    await expect(failure).rejects.toBeInstanceOf(BatchTransientError);
    await expect(failure).rejects.toThrow(/after 3 attempts \(last: HTTP 502\)/);
    expect(server.requests).toHaveLength(3);
  });

  it('stops at once when aborted, without retrying', async () => {
    const { server, client } = await setup(() => 'hang');
    const controller = new AbortController();
    const sending = client.send('update', ops(1), controller.signal);
    await expect.poll(() => server.requests.length).toBe(1);
    controller.abort(new Error('SIGTERM'));
    await expect(sending).rejects.toThrow('SIGTERM');
    expect(server.requests).toHaveLength(1);
  });

  it('never puts the REST key in errors or events', async () => {
    const { client, events } = await setup((i) => (i === 0 ? 'reset' : { status: 401, body: { error_code: 'AUTHENTICATION_INVALID' } }));
    const outcome = await client.send('update', ops(1));
    expect(outcome).toMatchObject({ kind: 'rejected', status: 401 });
    const everything = JSON.stringify({ outcome, events, stats: client.stats });
    expect(everything).not.toContain(API_KEY);
  });
});
