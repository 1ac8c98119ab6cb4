/**
 * Event sync end to end through real parts: the real snowflake-sdk against the Snowflake stand-in (an
 * APPEND_ONLY stream on a view), real HTTP to the Batch sandbox (which checks the event rules itself).
 * Each bad input is rejected alone with its reason; the stream is never blocked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorker } from '../../worker/main.js';
import { createJsonLogger } from '../../worker/sync/log.js';
import { startWorkerEnvironment, type WorkerEnvironment } from '../worker/helpers/e2e.js';
import { EVENTS_STREAM, createEventSource, eventArgs, insertEvents, rejectedReasons, utcText, type EventRow } from './helpers/events-env.js';

let env: WorkerEnvironment;
beforeAll(async () => {
  env = await startWorkerEnvironment();
  await createEventSource(env.admin);
});
afterAll(() => env?.close());

async function run(...extra: string[]) {
  let output = '';
  const log = createJsonLogger((line) => (output += line));
  const code = await runWorker(eventArgs(env, ...extra), { env: env.env, log, signal: new AbortController().signal });
  const lines = output.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  return { code, lines, summary: lines.find((l) => l.event === 'run.summary') ?? {} };
}
const MIN = 60_000;
const base = Date.now();

describe('event sync end to end', () => {
  it('dry run: builds the first events from the stream, sends and consumes nothing', async () => {
    await insertEvents(env.admin, [{ user: 'u8', name: 'signup', time: utcText(-5 * MIN, base), label: 'web' }]);
    const { code, lines } = await run('--dry-run');
    expect(code).toBe(0);
    expect(lines.find((l) => l.event === 'dry_run.summary')).toMatchObject({ kind: 'event', events: [{ customId: 'u8', event: { name: 'signup', attributes: { $label: 'web' } }, rejections: [] }] });
    expect(env.batch.requests()).toEqual([]);
    const pending = await env.admin.query<{ N: number }>(`SELECT COUNT(*) AS N FROM ${EVENTS_STREAM}`);
    expect(Number(pending.rows[0]!.N)).toBe(1);
  });

  it('sends valid events grouped per profile, splits 17 events of one profile, rejects each bad one alone', async () => {
    const rows: EventRow[] = [
      // 17 events of u1 in one run: 15 + 2, in time order, none dropped. Inserted newest first.
      ...Array.from({ length: 17 }, (_, i) => ({ user: 'u1', name: 'page_view', time: utcText(-(i + 1) * MIN, base), amount: i })),
      { user: 'u2', name: 'Purchase', time: utcText(-MIN, base) },
      { user: 'u2', name: 'add to cart', time: utcText(-MIN, base) },
      { user: 'u2', name: '$purchase', time: utcText(-MIN, base) },
      { user: 'u2', name: 'a'.repeat(31), time: utcText(-MIN, base) },
      { user: 'u3', name: null, time: utcText(-MIN, base) },
      { user: 'u3', name: 'purchase', time: null },
      { user: 'u4', name: 'purchase', time: utcText(60 * MIN, base) },
      { user: 'u4', name: 'purchase', time: utcText(-25 * 60 * MIN, base) },
      { user: 'u5', name: 'purchase', time: utcText(-2 * MIN, base), itemsSql: `TO_VARIANT('not json')` },
      { user: 'u6', name: 'purchase', time: utcText(-3 * MIN, base), amount: 19.9, label: 'web', itemsSql: `PARSE_JSON('[{"sku":"a1","qty":2,"meta":{"color":"red"}},{"sku":"b2","qty":1}]')`, tagsSql: `ARRAY_CONSTRUCT('promo','xmas')` },
    ];
    await insertEvents(env.admin, rows);
    // A row deleted before the run: an APPEND_ONLY stream records no delete and still returns the inserted row
    // (https://docs.snowflake.com/en/user-guide/streams-intro#types-of-streams), so the event is sent.
    await insertEvents(env.admin, [{ user: 'u7', name: 'purchase', time: utcText(-MIN, base) }]);
    await env.admin.query(`DELETE FROM DEMO_DB.PUBLIC.ORDER_EVENTS WHERE USER_ID = 'u7'`);

    const { code, lines, summary } = await run();
    expect(code).toBe(0);
    expect(summary).toMatchObject({ status: 'PARTIAL', eventsSent: 21, eventsRejected: 8, tooOld: 1, operationsSent: 6 });
    expect(lines.find((l) => l.event === 'capture.done')?.note).toContain('deletes of event rows are not events');

    const u1 = env.batch.profile('u1')!.events;
    expect(u1).toHaveLength(17);
    expect(u1.map((e) => e.time)).toEqual([...u1.map((e) => e.time!)].sort());
    // Two operations for u1 (15 + 2) in one /profiles/update call, each within Batch's 15.
    const bodies = env.batch.requests().map((r) => r.body as Array<{ identifiers: { custom_id: string }; events: unknown[] }>);
    expect(bodies.flat().filter((op) => op.identifiers.custom_id === 'u1').map((op) => op.events.length)).toEqual([15, 2]);
    expect(env.batch.profile('u5')!.events).toMatchObject([{ name: 'purchase' }]);
    expect(env.batch.profile('u5')!.events[0]!.attributes).toBeUndefined();
    expect(env.batch.profile('u6')!.events[0]).toMatchObject({
      name: 'purchase',
      attributes: { amount: 19.9, items: [{ sku: 'a1', qty: 2, meta: { color: 'red' } }, { sku: 'b2', qty: 1 }], $label: 'web', $tags: ['promo', 'xmas'] },
    });
    expect(env.batch.profile('u7')!.events).toMatchObject([{ name: 'purchase' }]);
    for (const id of ['u2', 'u3', 'u4']) expect(env.batch.profile(id)).toBeUndefined();

    const reasons = (await rejectedReasons(env.admin, String(summary.runId))).map((r) => `${r.CUSTOM_ID}:${r.REASON}`);
    expect(reasons).toEqual([
      'u2:invalid_event_name', 'u2:invalid_event_name', 'u2:invalid_event_name', 'u2:invalid_event_name',
      'u3:missing_event_name', 'u3:missing_event_time', 'u4:in_future', 'u4:too_old', 'u5:invalid_json',
    ]);
    expect(env.batch.events()).toMatchObject({ total: 21, duplicates: 0 });
    const outbox = await env.admin.query<{ N: number }>('SELECT COUNT(*) AS N FROM DEMO_DB.PUBLIC.BATCH_SYNC_EVENTS_OUTBOX');
    expect(Number(outbox.rows[0]!.N)).toBe(0);
  });

  it('an update or delete of an event row is not an event; nothing is resent', async () => {
    await env.admin.query(`UPDATE DEMO_DB.PUBLIC.ORDER_EVENTS SET AMOUNT = 99 WHERE USER_ID = 'u6'`);
    await env.admin.query(`DELETE FROM DEMO_DB.PUBLIC.ORDER_EVENTS WHERE USER_ID = 'u1' AND AMOUNT = 0`);
    const before = env.batch.requests().length;
    const { code, summary } = await run();
    expect(code).toBe(0);
    expect(summary).toMatchObject({ status: 'SUCCESS', rowsCaptured: 0, eventsSent: 0 });
    expect(env.batch.requests().length).toBe(before);
    expect(env.batch.events()).toMatchObject({ total: 21, duplicates: 0 });
  });

  it('a source without the event time column stops the run before anything is written, with the fix', async () => {
    const args = eventArgs(env).map((a) => (a === 'EVENT_TIME' ? 'ORDERED_AT' : a));
    let output = '';
    const code = await runWorker(args, { env: env.env, log: createJsonLogger((line) => (output += line)), signal: new AbortController().signal });
    expect(code).toBe(2);
    expect(output).toContain('--event-time-column');
    expect(output).toContain('no event time column');
    const runs = await env.admin.query<{ N: number }>(`SELECT COUNT(*) AS N FROM DEMO_DB.PUBLIC.BATCH_SYNC_RUNS WHERE SOURCE_STREAM = '${EVENTS_STREAM}'`);
    expect(Number(runs.rows[0]!.N)).toBe(2);
  });
});
