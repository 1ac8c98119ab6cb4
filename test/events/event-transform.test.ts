/** The row → event transform and Batch's event rules (shared/events), each bad input rejected alone. */
import { describe, expect, it } from 'vitest';
import { isUserError } from '../../shared/errors.js';
import {
  EventOperationBuilder,
  createEventTransform,
  eventWindow,
  validateEventColumns,
  type EventMapping,
  type EventRecord,
} from '../../shared/events/index.js';
import type { ColumnInfo } from '../../shared/snowflake/types.js';

const col = (name: string, type = 'text', scale?: number): ColumnInfo => ({ name, type, nullable: true, ...(scale === undefined ? {} : { scale }) });
const COLUMNS = [col('USER_ID'), col('EVENT_NAME'), col('EVENT_TIME', 'timestamp_ntz'), col('AMOUNT', 'fixed', 2), col('ITEMS', 'variant'), col('PAGE_URL'), col('LABEL'), col('TAGS', 'array')];
const mapping = (extra: Partial<EventMapping> = {}): EventMapping => ({
  idColumn: 'USER_ID', eventName: { column: 'EVENT_NAME' }, timeColumn: 'EVENT_TIME', dateColumns: [], urlColumns: ['PAGE_URL'], labelColumn: 'LABEL', tagsColumn: 'TAGS', ...extra,
});
const row = (extra: Record<string, unknown> = {}) => ({ USER_ID: 'u1', EVENT_NAME: 'purchase', EVENT_TIME: '2026-12-06 10:00:00.000', AMOUNT: '19.90', ITEMS: null, PAGE_URL: null, LABEL: null, TAGS: null, ...extra });
const transform = createEventTransform(COLUMNS, mapping());

describe('event transform', () => {
  it('builds the wire event: typed attributes, url(), objects and arrays of objects, $label and $tags', () => {
    const { record, rejections } = transform.toEvent(
      row({ ITEMS: [{ sku: 'A1', qty: 2, meta: { color: 'red' } }, { sku: 'B2', qty: 1 }], PAGE_URL: 'https://shop.example/p/1', LABEL: 'web', TAGS: '["promo","xmas"]' }),
    );
    expect(rejections).toEqual([]);
    expect(record).toEqual({
      customId: 'u1',
      timeMs: Date.parse('2026-12-06T10:00:00Z'),
      event: {
        name: 'purchase',
        time: '2026-12-06T10:00:00Z',
        attributes: { amount: 19.9, items: [{ sku: 'A1', qty: 2, meta: { color: 'red' } }, { sku: 'B2', qty: 1 }], 'url(page_url)': 'https://shop.example/p/1', $label: 'web', $tags: ['promo', 'xmas'] },
      },
    });
  });

  it('a constant name applies to every row', () => {
    const t = createEventTransform(COLUMNS, mapping({ eventName: { constant: 'order_placed' } }));
    expect(t.toEvent(row({ EVENT_NAME: 'Whatever It Says' })).record?.event.name).toBe('order_placed');
  });

  it.each([
    ['upper case', 'Purchase'],
    ['a space', 'add to cart'],
    ['a $ prefix', '$purchase'],
    ['31 characters', 'a'.repeat(31)],
  ])('rejects an event name with %s (invalid_event_name), whole event', (_what, name) => {
    const { record, rejections } = transform.toEvent(row({ EVENT_NAME: name }));
    expect(record).toBeNull();
    expect(rejections).toMatchObject([{ customId: 'u1', scope: 'row', reason: 'invalid_event_name' }]);
  });

  it('accepts a name of exactly 30 characters', () => {
    expect(transform.toEvent(row({ EVENT_NAME: 'a'.repeat(30) })).record?.event.name).toBe('a'.repeat(30));
  });

  it.each([
    ['NULL name', { EVENT_NAME: null }, 'missing_event_name'],
    ['NULL time', { EVENT_TIME: null }, 'missing_event_time'],
    ['unparseable time', { EVENT_TIME: 'yesterday' }, 'invalid_event_time'],
    ['NULL id', { USER_ID: null }, 'missing_id'],
  ])('%s rejects the event whole', (_what, extra, reason) => {
    const { record, rejections } = transform.toEvent(row(extra));
    expect(record).toBeNull();
    expect(rejections.map((r) => r.reason)).toEqual([reason]);
  });

  it.each([
    ['a VARIANT string that is not JSON', 'not json', 'invalid_json'],
    ['a VARIANT holding a JSON scalar string', '"abc"', 'invalid_json'],
    ['an array mixing strings and objects', [{ a: 1 }, 'b'], 'invalid_array_item'],
    ['objects nested 4 levels', { a: { b: { c: { d: 1 } } } }, 'invalid_object'],
    ['an object key Batch refuses', { 'Bad Key': 1 }, 'invalid_object'],
  ])('drops %s alone, the event still goes', (_what, value, reason) => {
    const { record, rejections } = transform.toEvent(row({ ITEMS: value }));
    expect(record?.event.attributes).toEqual({ amount: 19.9 });
    expect(rejections).toMatchObject([{ scope: 'attribute', column: 'ITEMS', reason }]);
  });

  it('takes a VARIANT object given as JSON text', () => {
    expect(transform.toEvent(row({ ITEMS: '{"sku":"A1"}' })).record?.event.attributes?.items).toEqual({ sku: 'A1' });
  });

  it('drops a bad $label / $tags alone', () => {
    const { record, rejections } = transform.toEvent(row({ LABEL: 'x'.repeat(201), TAGS: Array.from({ length: 11 }, (_, i) => `t${i}`) }));
    expect(record?.event.name).toBe('purchase');
    expect(rejections.map((r) => r.reason)).toEqual(['invalid_label', 'invalid_tags']);
  });

  it('rejects an event over 25 KB whole', () => {
    const big = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, Array.from({ length: 10 }, () => ({ v: 'x'.repeat(150) }))]));
    const { record, rejections } = transform.toEvent(row({ ITEMS: big }));
    expect(record).toBeNull();
    expect(rejections.map((r) => r.reason)).toEqual(['event_too_large']);
  });
});

describe('time window at send time', () => {
  const now = Date.parse('2026-12-06T12:00:00Z');
  const record = (iso: string): EventRecord => ({ customId: 'u1', timeMs: Date.parse(iso), event: { name: 'e', time: iso } });
  it.each([
    ['25 h old', '2026-12-05T11:00:00Z', 'too_old'],
    ['in the future', '2026-12-06T12:00:05Z', 'in_future'],
  ])('%s → %s', (_what, iso, reason) => {
    expect(eventWindow(record(iso), now)).toMatchObject({ reason, scope: 'row', customId: 'u1' });
  });
  it('23 h 59 old and now itself pass', () => {
    expect(eventWindow(record('2026-12-05T12:01:00Z'), now)).toBeNull();
    expect(eventWindow(record('2026-12-06T12:00:00Z'), now)).toBeNull();
  });
});

describe('grouping', () => {
  it('≤ 15 events per operation, split in order, never dropped; a new profile starts a new operation', () => {
    const builder = new EventOperationBuilder();
    const ops = [];
    const events = [...Array.from({ length: 17 }, (_, i) => ['a', i]), ['b', 0]] as Array<[string, number]>;
    for (const [id, i] of events) {
      const done = builder.add({ customId: id, timeMs: i, event: { name: 'e', time: `t${i}` } });
      if (done) ops.push(done);
    }
    ops.push(builder.flush()!);
    expect(ops.map((o) => [o.identifiers.custom_id, o.events.length])).toEqual([['a', 15], ['a', 2], ['b', 1]]);
    expect(ops[1]!.events.map((e) => e.time)).toEqual(['t15', 't16']);
  });
});

describe('columns', () => {
  it('a source without the event time column is refused with the fix', () => {
    const columns = [col('USER_ID'), col('EVENT_NAME')];
    const { ok, issues } = validateEventColumns(columns, mapping({ labelColumn: undefined, tagsColumn: undefined, urlColumns: [] }));
    expect(ok).toBe(false);
    expect(issues[0]).toMatchObject({ code: 'missing_time_column' });
    expect(issues[0]!.message).toContain('--event-time-column');
    let thrown: unknown;
    try {
      createEventTransform(columns, mapping({ labelColumn: undefined, tagsColumn: undefined, urlColumns: [] }));
    } catch (error) {
      thrown = error;
    }
    expect(isUserError(thrown)).toBe(true);
  });
  it('an invalid constant name and more than 20 attribute columns are refused', () => {
    const many = [...COLUMNS, ...Array.from({ length: 16 }, (_, i) => col(`A${i}`))];
    const codes = validateEventColumns(many, mapping({ eventName: { constant: 'Bad Name' } })).issues.map((i) => i.code);
    expect(codes).toEqual(['invalid_event_name', 'too_many_attributes']);
  });
});
