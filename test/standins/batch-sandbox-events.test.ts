/** Batch sandbox, event rules (standins/batch/events.ts) and the per-profile event record with content keys. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBatchSandbox, type BatchSandbox } from '../../standins/batch/index.js';
import { callProfiles, getJson } from '../../standins/batch/test-client.js';

let batch: BatchSandbox;
beforeAll(async () => {
  batch = await startBatchSandbox({ updateRate: 100_000, updateBurst: 100_000 });
});
afterAll(() => batch.close());
beforeEach(() => batch.reset());

const ago = (ms: number) => new Date(Date.now() - ms).toISOString().replace(/\.\d+Z$/, 'Z');
const send = (events: unknown[], customId = 'u1') => callProfiles(batch, 'update', [{ identifiers: { custom_id: customId }, events }]);

describe('event rules, each a partial error of its own', () => {
  it.each([
    ['upper case name', { name: 'Purchase', time: ago(1000) }, 'name'],
    ['name with a space', { name: 'add to cart', time: ago(1000) }, 'name'],
    ['$ name', { name: '$purchase', time: ago(1000) }, 'name'],
    ['31-character name', { name: 'a'.repeat(31), time: ago(1000) }, 'name'],
    ['time 25 h old', { name: 'purchase', time: ago(25 * 3_600_000) }, 'older than 24 hours'],
    ['time in the future', { name: 'purchase', time: ago(-60_000) }, 'future'],
    ['21 attributes', { name: 'purchase', time: ago(1000), attributes: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`a${i}`, i])) }, 'more than 20'],
    ['objects nested 4 deep', { name: 'purchase', time: ago(1000), attributes: { a: { b: { c: { d: { e: 1 } } } } } }, 'nested'],
    ['26 KB', { name: 'purchase', time: ago(1000), attributes: { a: Array.from({ length: 25 }, () => ({ s: 'x'.repeat(200), t: 'y'.repeat(200), u: 'z'.repeat(200), v: 'w'.repeat(200), w: 'v'.repeat(200) })) } }, 'larger than'],
    ['11 tags', { name: 'purchase', time: ago(1000), attributes: { $tags: Array.from({ length: 11 }, (_, i) => `t${i}`) } }, '$tags'],
  ])('%s', async (_what, bad, reason) => {
    const good = { name: 'purchase', time: ago(2000), attributes: { $label: 'ok', items: [{ sku: 'a', qty: 1 }], 'url(page)': 'https://x.example' } };
    const result = await send([good, bad]);
    expect(result.body).toEqual({ code: 'SUCCESS_WITH_PARTIAL_ERRORS', errors: [{ category: 'event', bulk_index: 0, reason: expect.stringContaining(reason) }] });
    expect(batch.profile('u1')?.events.map((e) => e.name)).toEqual(['purchase']);
  });

  it('more than 15 events in one operation: the 16th is an error, the first 15 apply', async () => {
    const events = Array.from({ length: 16 }, (_, i) => ({ name: 'view', time: ago(60_000 - i * 1000) }));
    const result = await send(events);
    expect(result.body.errors).toEqual([{ category: 'event', bulk_index: 0, reason: expect.stringContaining('more than 15') }]);
    expect(batch.profile('u1')?.events).toHaveLength(15);
  });
});

describe('event keys count duplicates', () => {
  it('the same event accepted twice is one duplicate; different events are distinct', async () => {
    const e1 = { name: 'purchase', time: ago(5000), attributes: { amount: 10, items: [{ b: 1, a: 2 }] } };
    const e2 = { name: 'purchase', time: ago(4000), attributes: { amount: 10 } };
    await send([e1, e2]);
    // The same content with keys in another order is the same event.
    await send([{ attributes: { items: [{ a: 2, b: 1 }], amount: 10 }, time: e1.time, name: 'purchase' }]);
    await send([e2], 'u2'); // another profile: another event
    expect(batch.events()).toMatchObject({ total: 4, distinct: 3, duplicates: 1 });
    const keys = batch.profile('u1')!.events.map((e) => e.key);
    expect(keys[0]).toBe(keys[2]);
    expect(keys[0]).not.toBe(keys[1]);
    expect((await getJson(batch, '/_sandbox/events')).body).toMatchObject({ total: 4, distinct: 3, duplicates: 1, duplicatedKeys: [keys[0]] });
  });
});
