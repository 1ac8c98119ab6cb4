/** Batch sandbox, attribute rules and partial errors (batch-api.md §3.3–§3.6, §4), over HTTP. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBatchSandbox, type BatchSandbox } from '../../standins/batch/index.js';
import { callProfiles } from '../../standins/batch/test-client.js';

let batch: BatchSandbox;
beforeAll(async () => {
  batch = await startBatchSandbox({ updateRate: 100_000, updateBurst: 100_000 });
});
afterAll(() => batch.close());
beforeEach(() => batch.reset());

const update = (attributes: Record<string, unknown>, customId = 'u1') =>
  callProfiles(batch, 'update', [{ identifiers: { custom_id: customId }, attributes }]);
const stored = (customId = 'u1') => batch.profile(customId)?.attributes ?? {};

describe('valid attributes are stored typed', () => {
  it('keeps strings, numbers, booleans, arrays, date(x) and url(x) with their types', async () => {
    const result = await update({
      firstname: 'Jane', score: 12.5, visits: 3, vip: false, interests: ['bikes', 'cinema'],
      'date(birthdate)': '1989-07-20T00:00:00Z', 'date(last_seen)': '2024-02-29T23:59:59.123Z',
      'url(profile_page)': 'https://example.com/u/1?x=1#top', name_exactly_thirty_chars_long: 'x'.repeat(300),
    });
    expect(result).toMatchObject({ status: 202, body: { code: 'SUCCESS' } });
    expect(stored()).toEqual({
      firstname: { type: 'string', value: 'Jane' }, score: { type: 'number', value: 12.5 }, visits: { type: 'number', value: 3 },
      vip: { type: 'boolean', value: false }, interests: { type: 'array', value: ['bikes', 'cinema'] },
      birthdate: { type: 'date', value: '1989-07-20T00:00:00Z' }, last_seen: { type: 'date', value: '2024-02-29T23:59:59.123Z' },
      profile_page: { type: 'url', value: 'https://example.com/u/1?x=1#top' },
      name_exactly_thirty_chars_long: { type: 'string', value: 'x'.repeat(300) },
    });
  });

  it('accepts the documented native attributes', async () => {
    const natives = {
      $email_address: 'jane@example.com', $email_marketing: 'subscribed', $phone_number: '+33639981337',
      $sms_marketing: 'unsubscribed', $language: 'en', $region: 'FR', $timezone: 'Europe/Paris',
    };
    expect((await update(natives)).body).toEqual({ code: 'SUCCESS' });
    expect(stored().$timezone).toEqual({ type: 'string', value: 'Europe/Paris' });
    expect(Object.keys(stored()).sort()).toEqual(Object.keys(natives).sort());
  });
});

describe('invalid attributes are partial errors; the rest of the profile is applied (§4)', () => {
  it.each([
    ['Upper', 'x', 'invalid attribute name'],
    ['a'.repeat(31), 'x', 'invalid attribute name'],
    ['with-dash', 'x', 'invalid attribute name'],
    ['date(Bad)', '2024-01-01T00:00:00Z', 'invalid attribute name'],
    ['empty', '', 'cannot be empty'],
    ['blank', '   ', 'cannot be empty'],
    ['too_long', 'x'.repeat(301), 'longer than 300'],
    ['nested', { a: 1 }, 'objects are not supported'],
    ['number_array', [1, 2], 'not a string'],
    ['empty_array', [], 'cannot be empty'],
    ['big_array', Array.from({ length: 26 }, (_, i) => `v${i}`), 'more than 25'],
    ['bad_item', ['ok', 'x'.repeat(301)], 'longer than 300'],
    ['date(d1)', '2024-01-01', 'RFC 3339'],
    ['date(d2)', '2024-01-01T00:00:00+02:00', 'RFC 3339'],
    ['date(d3)', 1704067200, 'RFC 3339'],
    ['date(d4)', '2023-02-29T00:00:00Z', 'no such calendar date'],
    ['url(u1)', 'example.com/page', 'scheme is required'],
    ['url(u2)', `https://example.com/${'a'.repeat(2030)}`, 'longer than 2048'],
    ['url(u3)', 42, 'expects a string'],
    ['$email_address', 'not-an-email', 'invalid email'],
    ['$email_marketing', 'yes', 'subscribed'],
    ['$phone_number', '0639981337', 'E.164'],
    ['$language', 'english', 'ISO 639-1'],
    ['$region', 'fr', 'ISO 3166'],
    ['$timezone', 'Mars/Olympus', 'IANA'],
    ['$custom', 'x', 'unknown native attribute'],
  ])('%s = %j → reason mentioning "%s"', async (key, value, reason) => {
    const result = await update({ [key]: value, kept: 'yes' });
    expect(result.status).toBe(202);
    expect(result.body).toEqual({
      code: 'SUCCESS_WITH_PARTIAL_ERRORS',
      errors: [{ category: 'attribute', bulk_index: 0, attribute: key, reason: expect.stringContaining(reason) }],
    });
    expect(stored()).toEqual({ kept: { type: 'string', value: 'yes' } });
  });

  it('reports bulk_index of each failing operation and applies the valid ones', async () => {
    const result = await callProfiles(batch, 'update', [
      { identifiers: { custom_id: 'a' }, attributes: { ok: 1 } },
      { identifiers: { custom_id: 'b' }, attributes: { BAD: 1, fine: true } },
      { identifiers: { custom_id: 'c' }, attributes: { 'url(x)': 'nope' } },
    ]);
    expect(result.body.code).toBe('SUCCESS_WITH_PARTIAL_ERRORS');
    expect(result.body.errors.map((e: { bulk_index: number; attribute: string }) => [e.bulk_index, e.attribute])).toEqual([[1, 'BAD'], [2, 'url(x)']]);
    expect(stored('b')).toEqual({ fine: { type: 'boolean', value: true } });
    expect(batch.profiles().map((p) => p.identifiers)).toEqual([{ custom_id: 'a' }, { custom_id: 'b' }, { custom_id: 'c' }]);
    expect(batch.stats().update).toMatchObject({ accepted: 1, acceptedOperations: 3, partialErrors: 2 });
  });

  it('rejects attributes beyond the 50th of one operation and the same name twice', async () => {
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`a${i}`, i]));
    const result = await update(many);
    expect(result.body.errors).toEqual([expect.objectContaining({ attribute: 'a50', reason: expect.stringContaining('more than 50') })]);
    expect(Object.keys(stored())).toHaveLength(50);
    const twice = await update({ seen: 'x', 'date(seen)': '2024-01-01T00:00:00Z' }, 'u2');
    expect(twice.body.errors).toEqual([expect.objectContaining({ attribute: 'date(seen)', reason: expect.stringContaining('twice') })]);
  });

  it('checks event names as partial errors of category event', async () => {
    const result = await callProfiles(batch, 'update', [
      { identifiers: { custom_id: 'e' }, events: [{ name: 'added_to_cart', attributes: { $label: 'x' } }, { name: 'Bad Name' }] },
    ]);
    expect(result.body.errors).toEqual([{ category: 'event', bulk_index: 0, reason: expect.stringContaining('event 1') }]);
    expect(batch.profile('e')?.events.map((e) => e.name)).toEqual(['added_to_cart']);
  });
});

describe('updates, deletions and array edits (§3.5, §3.6)', () => {
  it('keeps omitted attributes, overwrites given ones, and deletes on null (typed keys too)', async () => {
    await update({ firstname: 'Jane', city: 'Paris', 'date(birthdate)': '1989-07-20T00:00:00Z', 'url(page)': 'https://a.example' });
    const result = await update({ city: 'Lyon', 'date(birthdate)': null, page: null, $language: null, never_set: null });
    expect(result.body).toEqual({ code: 'SUCCESS' });
    expect(stored()).toEqual({ firstname: { type: 'string', value: 'Jane' }, city: { type: 'string', value: 'Lyon' } });
    expect(batch.profile('u1')?.updates).toBe(2);
  });

  it('applies $add and $remove to string arrays', async () => {
    await update({ tags: ['a', 'b'] });
    expect((await update({ tags: { $add: ['c', 'a'] } })).body).toEqual({ code: 'SUCCESS' });
    expect(stored().tags).toEqual({ type: 'array', value: ['a', 'b', 'c'] });
    await update({ tags: { $remove: ['a', 'zz'] } });
    expect(stored().tags).toEqual({ type: 'array', value: ['b', 'c'] });
    await update({ fresh: { $add: ['x'] } });
    expect(stored().fresh).toEqual({ type: 'array', value: ['x'] });
    await update({ tags: { $remove: ['b', 'c'] } });
    expect(stored().tags).toBeUndefined();
  });

  it('rejects array edits that are malformed, on a non-array, or that overflow 25 items', async () => {
    await update({ name: 'Jane', tags: Array.from({ length: 25 }, (_, i) => `t${i}`) });
    const result = await update({ name: { $add: ['x'] }, tags: { $add: ['one_more'] }, both: { $add: ['a'], $remove: ['b'] }, bad: { $add: 'x' } });
    expect(result.body.errors.map((e: { attribute: string }) => e.attribute).sort()).toEqual(['bad', 'both', 'name', 'tags']);
    expect(stored().name).toEqual({ type: 'string', value: 'Jane' });
    expect((stored().tags as { value: string[] }).value).toHaveLength(25);
  });
});
