/** Batch sandbox inspection routes over HTTP: /_sandbox/profiles, requests, stats, reset. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBatchSandbox, type BatchSandbox } from '../../standins/batch/index.js';
import { callProfiles, getJson } from '../../standins/batch/test-client.js';

let batch: BatchSandbox;
beforeAll(async () => {
  batch = await startBatchSandbox({ projectKey: 'project_fixed_for_test', restApiKey: 'rest-key-for-test' });
});
afterAll(() => batch.close());
beforeEach(() => batch.reset());

const odd = 'user/1 é?#';

describe('GET /_sandbox/profiles', () => {
  it('lists profiles with typed attributes and finds one by URL-encoded custom_id', async () => {
    await callProfiles(batch, 'update', [
      { identifiers: { custom_id: odd }, attributes: { 'date(signup)': '2024-05-01T10:00:00Z', 'url(site)': 'https://example.com' } },
      { identifiers: { custom_id: 'plain' }, attributes: { n: 1 } },
    ]);
    const all = await getJson(batch, '/_sandbox/profiles');
    expect(all.status).toBe(200);
    expect(all.body.map((p: { identifiers: unknown }) => p.identifiers)).toEqual([{ custom_id: odd }, { custom_id: 'plain' }]);
    const one = await getJson(batch, `/_sandbox/profiles/${encodeURIComponent(odd)}`);
    expect(one.body).toMatchObject({
      identifiers: { custom_id: odd },
      attributes: { signup: { type: 'date', value: '2024-05-01T10:00:00Z' }, site: { type: 'url', value: 'https://example.com' } },
      updates: 1,
    });
    expect(one.body).toEqual(batch.profile(odd));
    expect(await getJson(batch, '/_sandbox/profiles/nobody')).toMatchObject({ status: 404, body: { error_code: 'PROFILE_NOT_FOUND' } });
  });

  it('returns copies: changing them does not change the sandbox', async () => {
    await callProfiles(batch, 'update', [{ identifiers: { custom_id: 'a' }, attributes: { tags: ['x'] } }]);
    const copy = batch.profiles()[0]!;
    (copy.attributes.tags!.value as string[]).push('mutated');
    expect(batch.profile('a')?.attributes.tags).toEqual({ type: 'array', value: ['x'] });
  });
});

describe('GET /_sandbox/requests and /_sandbox/stats', () => {
  it('logs method, path, status, body, time and operation count of every API call', async () => {
    const before = Date.now();
    await callProfiles(batch, 'update', [{ identifiers: { custom_id: 'a' } }, { identifiers: { custom_id: 'b' } }]);
    await callProfiles(batch, 'mass-update', [{ identifiers: { custom_id: 'c' } }], { headers: { authorization: 'Bearer wrong' } });
    await callProfiles(batch, 'update', null, { rawBody: 'not json' });
    await fetch(`${batch.apiUrl}/nowhere`);
    const { body: log } = await getJson(batch, '/_sandbox/requests');
    expect(log).toEqual([
      expect.objectContaining({ method: 'POST', path: '/2.11/profiles/update', endpoint: 'update', status: 202, operations: 2, body: [{ identifiers: { custom_id: 'a' } }, { identifiers: { custom_id: 'b' } }], fault: null, finished: true }),
      expect.objectContaining({ path: '/2.11/profiles/mass-update', endpoint: 'mass-update', status: 401, operations: 1 }),
      expect.objectContaining({ status: 400, operations: null, body: 'not json' }),
      expect.objectContaining({ method: 'GET', path: '/nowhere', endpoint: null, status: 404 }),
    ]);
    expect(Date.parse(log[0].time)).toBeGreaterThanOrEqual(before - 1000);
    // Ids keep growing across resets, so a `since` cursor stays valid.
    const ids = log.map((e: { id: number }) => e.id);
    expect(ids).toEqual([ids[0], ids[0] + 1, ids[0] + 2, ids[0] + 3]);
    expect((await getJson(batch, `/_sandbox/requests?since=${ids[1]}`)).body.map((e: { id: number }) => e.id)).toEqual(ids.slice(2));
    const { body: stats } = await getJson(batch, '/_sandbox/stats');
    expect(stats).toMatchObject({
      update: { requests: 2, accepted: 1, acceptedOperations: 2, partialErrors: 0 },
      massUpdate: { requests: 1, accepted: 0, acceptedOperations: 0 },
      rateLimited: 0,
    });
  });

  it('POST /_sandbox/reset forgets profiles, log and counters; GET is refused', async () => {
    await callProfiles(batch, 'update', [{ identifiers: { custom_id: 'a' } }]);
    expect((await getJson(batch, '/_sandbox/reset')).status).toBe(405);
    expect(await getJson(batch, '/_sandbox/reset', { method: 'POST' })).toEqual({ status: 200, body: { reset: true } });
    expect((await getJson(batch, '/_sandbox/profiles')).body).toEqual([]);
    expect((await getJson(batch, '/_sandbox/requests')).body).toEqual([]);
    expect((await getJson(batch, '/_sandbox/stats')).body.update.requests).toBe(0);
    expect((await getJson(batch, '/_sandbox/unknown')).status).toBe(404);
  });

  it('uses the keys it was given and omits bodies when asked to', async () => {
    expect([batch.projectKey, batch.restApiKey]).toEqual(['project_fixed_for_test', 'rest-key-for-test']);
    const quiet = await startBatchSandbox({ logBodies: false });
    try {
      expect(quiet.projectKey).toMatch(/^project_[a-z0-9]{32}$/);
      expect(quiet.restApiKey).not.toBe(batch.restApiKey);
      expect((await callProfiles(quiet, 'update', [{ identifiers: { custom_id: 'a' } }])).status).toBe(202);
      expect(quiet.requests()[0]).toMatchObject({ body: null, operations: 1 });
    } finally {
      await quiet.close();
    }
  });
});
