/** Batch sandbox, request level (batch-api.md §1.4–§1.6, §2.1, §3.1–§3.2), driven over HTTP with fetch. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBatchSandbox, type BatchSandbox } from '../../standins/batch/index.js';
import { callProfiles, getJson, operations } from '../../standins/batch/test-client.js';

let batch: BatchSandbox;
beforeAll(async () => {
  batch = await startBatchSandbox({ updateBurst: 100_000, updateRate: 100_000, massRate: 100_000 });
});
afterAll(() => batch.close());
beforeEach(() => batch.reset());

const one = [{ identifiers: { custom_id: 'u1' }, attributes: { firstname: 'Jane' } }];

describe('authentication (§1.4)', () => {
  it('accepts Bearer REST key + project key with 202 SUCCESS and applies the call', async () => {
    const result = await callProfiles(batch, 'update', one);
    expect(result).toMatchObject({ status: 202, body: { code: 'SUCCESS' } });
    expect(batch.profile('u1')?.attributes.firstname).toEqual({ type: 'string', value: 'Jane' });
  });

  it.each([
    ['no Authorization header', { authorization: null }],
    ['a wrong REST key', { authorization: 'Bearer not-the-key' }],
    ['the key without the Bearer prefix', { authorization: 'KEY' }],
    ['a missing X-Batch-Project header', { 'x-batch-project': null }],
  ])('answers 401 AUTHENTICATION_INVALID for %s and applies nothing', async (_label, headers) => {
    const withKey = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v === 'KEY' ? batch.restApiKey : v]));
    const result = await callProfiles(batch, 'update', one, { headers: withKey });
    expect(result.status).toBe(401);
    expect(result.body).toEqual({ error_code: 'AUTHENTICATION_INVALID', error_message: expect.any(String) });
    expect(batch.profiles()).toEqual([]);
  });

  it('answers 403 for a valid REST key on another project', async () => {
    const result = await callProfiles(batch, 'update', one, { headers: { 'x-batch-project': 'project_someoneelse' } });
    expect(result.status).toBe(403);
    expect(result.body.error_code).toBe('PROJECT_ACCESS_DENIED');
    expect(batch.profiles()).toEqual([]);
  });

  it('never writes the REST key into the request log', async () => {
    await callProfiles(batch, 'update', one);
    await callProfiles(batch, 'update', one, { headers: { authorization: 'Bearer wrong' } });
    const log = await getJson(batch, '/_sandbox/requests');
    expect(JSON.stringify(log.body)).not.toContain(batch.restApiKey);
  });
});

describe('routes and body shape', () => {
  it('serves both endpoints under any 2.x version and 404s other paths', async () => {
    expect((await callProfiles(batch, 'mass-update', one, { version: '2.4' })).status).toBe(202);
    expect((await callProfiles(batch, 'update', one, { version: '1.0' })).status).toBe(404);
    const other = await fetch(`${batch.apiUrl}/2.11/profiles/delete`, { method: 'POST' });
    expect(other.status).toBe(404);
    expect(((await other.json()) as { error_code: string }).error_code).toBe('ROUTE_NOT_FOUND');
  });

  it('answers 405 with Allow: POST for GET on an endpoint', async () => {
    const response = await fetch(`${batch.apiUrl}/2.11/profiles/update`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it.each([
    ['malformed JSON', '[{"identifiers":', 'MALFORMED_JSON'],
    ['an empty body', '', 'MALFORMED_JSON'],
    ['an object instead of an array', '{"identifiers":{"custom_id":"u1"}}', 'INVALID_PARAMETER'],
    ['an empty array', '[]', 'INVALID_PARAMETER'],
    ['an item that is not an object', '["u1"]', 'INVALID_PARAMETER'],
    ['an item without identifiers', '[{"attributes":{"a":"b"}}]', 'MISSING_PARAMETER'],
    ['both custom_id and installation', '[{"identifiers":{"custom_id":"a","installation":"b"}}]', 'INVALID_PARAMETER'],
    ['an unknown identifier', '[{"identifiers":{"email":"a@b.co"}}]', 'INVALID_PARAMETER'],
    ['an empty custom_id', '[{"identifiers":{"custom_id":""}}]', 'INVALID_PARAMETER'],
    ['a numeric custom_id', '[{"identifiers":{"custom_id":42}}]', 'INVALID_PARAMETER'],
    ['a custom_id over 1024 characters', `[{"identifiers":{"custom_id":"${'x'.repeat(1025)}"}}]`, 'INVALID_PARAMETER'],
    ['attributes that are an array', '[{"identifiers":{"custom_id":"a"},"attributes":[1]}]', 'INVALID_PARAMETER'],
    ['events that are an object', '[{"identifiers":{"custom_id":"a"},"events":{}}]', 'INVALID_PARAMETER'],
    ['an unknown operation key', '[{"identifiers":{"custom_id":"a"},"attribute":{}}]', 'INVALID_PARAMETER'],
  ])('rejects %s with 400 and applies nothing, not even the valid items', async (_label, rawBody, code) => {
    const body = rawBody.startsWith('[{') ? `[{"identifiers":{"custom_id":"valid"}},${rawBody.slice(1)}` : rawBody;
    const result = await callProfiles(batch, 'update', null, { rawBody: body });
    expect(result.status).toBe(400);
    expect(result.body).toEqual({ error_code: code, error_message: expect.any(String) });
    expect(batch.profiles()).toEqual([]);
  });

  it('rejects a body that is not application/json with 400', async () => {
    const result = await callProfiles(batch, 'update', one, { headers: { 'content-type': 'text/plain' } });
    expect(result.status).toBe(400);
    expect(result.body.error_code).toBe('INVALID_CONTENT_TYPE');
    expect((await callProfiles(batch, 'update', one, { headers: { 'content-type': 'application/json; charset=utf-8' } })).status).toBe(202);
  });

  it('accepts the installation identifier as a separate profile', async () => {
    expect((await callProfiles(batch, 'update', [{ identifiers: { installation: 'inst-1' }, attributes: { a: 1 } }])).status).toBe(202);
    expect(batch.profiles()).toEqual([expect.objectContaining({ identifiers: { installation: 'inst-1' } })]);
  });
});

describe('operations per call (§2.1)', () => {
  it('takes 200 operations on /profiles/update and rejects 201 with 400', async () => {
    expect((await callProfiles(batch, 'update', operations(200))).status).toBe(202);
    batch.reset();
    const result = await callProfiles(batch, 'update', operations(201));
    expect(result.status).toBe(400);
    expect(result.body.error_code).toBe('TOO_MANY_OPERATIONS');
    expect(batch.profiles()).toHaveLength(0);
  });

  it('takes 10 000 operations on /profiles/mass-update and rejects 10 001 with 400', async () => {
    expect((await callProfiles(batch, 'mass-update', operations(10_000))).status).toBe(202);
    expect(batch.profiles()).toHaveLength(10_000);
    batch.reset();
    const result = await callProfiles(batch, 'mass-update', operations(10_001));
    expect(result.status).toBe(400);
    expect(batch.profiles()).toHaveLength(0);
  });
});
