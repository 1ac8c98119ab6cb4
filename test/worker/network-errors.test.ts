/**
 * A failed Batch call is logged with what went wrong on the network, not fetch's generic "fetch failed"
 * (issue 12, item 8): the code and message undici keeps in `error.cause` (or deeper, in an AggregateError).
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { describeNetworkError } from '../../worker/batch/retry.js';

async function fetchError(url: string): Promise<unknown> {
  return fetch(url, { method: 'POST', body: '{}' }).then(
    () => {
      throw new Error('expected fetch to fail');
    },
    (error: unknown) => error,
  );
}

/** A loopback port nothing listens on: listen, note the port, close. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('describeNetworkError', () => {
  it('connection refused (real fetch): names ECONNREFUSED and the address', async () => {
    const port = await closedPort();
    const reason = describeNetworkError(await fetchError(`http://127.0.0.1:${port}/1.0/profiles/update`));
    expect(reason).toContain('ECONNREFUSED');
    expect(reason).toContain(`127.0.0.1:${port}`);
    expect(reason).not.toBe('fetch failed');
  });

  it('ENOTFOUND and an AggregateError without a message (one error per address) keep their codes', () => {
    const notFound = new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND api.batch.invalid'), { code: 'ENOTFOUND' }) });
    expect(describeNetworkError(notFound)).toBe('getaddrinfo ENOTFOUND api.batch.invalid');
    const each = [Object.assign(new Error('connect ECONNREFUSED ::1:443'), { code: 'ECONNREFUSED' }), Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' })];
    const aggregate = new TypeError('fetch failed', { cause: Object.assign(new AggregateError(each, ''), { code: 'ECONNREFUSED' }) });
    expect(describeNetworkError(aggregate)).toBe('connect ECONNREFUSED ::1:443');
    const codeless = new TypeError('fetch failed', { cause: new Error('bad port') });
    expect(describeNetworkError(codeless)).toBe('bad port');
  });
});
