/**
 * Several syncs per project, end to end through the built CLI and the stand-ins (external runner, so no
 * docker): an event sync added next to the profile sync with `init --sync orders --kind event` gets its own
 * APPEND_ONLY stream and, on its first `sync --sync orders`, its own events outbox; the profile sync's objects
 * are untouched; operate commands on the project need --sync.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventSource, insertEvents, utcText } from '../events/helpers/events-env.js';
import { startExternalInstall, TARGET, type ExternalInstall } from './support.js';

let t: ExternalInstall;
beforeAll(async () => {
  t = await startExternalInstall();
  await createEventSource(t.admin);
}, 180_000);
afterAll(async () => t?.close());

const tables = async () =>
  (await t.admin.query<{ name: string }>(`SHOW TABLES LIKE 'BATCH_SYNC_%' IN SCHEMA ${TARGET}`)).rows.map((r) => r.name).sort();

describe('an event sync added to a profile project', () => {
  it('is set up with its own stream and kept in batch-snowflake.json next to the profile sync', async () => {
    expect((await t.cli(['sync'])).code).toBe(0);
    const add = await t.cli([
      'init', '--sync', 'orders', '--no-interactive', '--yes', '--kind', 'event', '--view', 'DEMO_DB.PUBLIC.ORDER_EVENTS_V', '--id-column', 'USER_ID',
      '--event-name-column', 'EVENT_NAME', '--event-time-column', 'EVENT_TIME', '--project-key', t.sandbox.connection.batch.projectKey,
    ]);
    expect(add.code, add.stderr).toBe(0);
    expect(add.stderr).toContain('Adding sync orders');
    expect(add.stderr).toMatch(/\[orders\] .*stream DEMO_DB\.BATCH_SYNC\.BATCH_SYNC_STREAM__ORDERS/);
    const config = JSON.parse(await readFile(path.join(t.dir, 'batch-snowflake.json'), 'utf8')) as { syncs: Array<{ name: string; kind: string; event?: unknown }> };
    expect(config.syncs.map((s) => [s.name, s.kind])).toEqual([['default', 'profile'], ['orders', 'event']]);
    expect(config.syncs[1]?.event).toMatchObject({ eventNameColumn: 'EVENT_NAME', eventTimeColumn: 'EVENT_TIME' });
    const streams = (await t.admin.query<{ name: string; mode: string }>(`SHOW STREAMS LIKE 'BATCH_SYNC_STREAM%' IN SCHEMA ${TARGET}`)).rows;
    expect(streams.find((s) => s.name === 'BATCH_SYNC_STREAM__ORDERS')?.mode).toBe('APPEND_ONLY');
    expect(streams.find((s) => s.name === 'BATCH_SYNC_STREAM')?.mode).not.toBe('APPEND_ONLY');
  }, 180_000);

  it('operate commands ask which sync; `sync --sync orders` sends the new events through its own outbox', async () => {
    const ambiguous = await t.cli(['status', '--json']);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stdout).toContain('SYNC_REQUIRED');
    const before = await t.sentIds();
    await insertEvents(t.admin, [
      { user: 'u1', name: 'purchase', time: utcText(-60_000) },
      { user: 'u2', name: 'purchase', time: utcText(-30_000) },
    ]);
    const run = await t.cli(['sync', '--sync', 'orders']);
    expect(run.code, run.stderr).toBe(0);
    const sent = (await t.sentIds()).slice(before.length);
    expect(sent.sort()).toEqual(['u1', 'u2']);
    const names = await tables();
    expect(names).toContain('BATCH_SYNC_EVENTS_OUTBOX__ORDERS');
    expect(names).not.toContain('BATCH_SYNC_EVENTS_OUTBOX');
    const status = await t.cli(['status', '--sync', 'orders', '--json']);
    expect(status.stdout).not.toContain('SYNC_REQUIRED');
    // The profile sync has nothing new: its run sends nothing.
    expect((await t.cli(['sync', '--sync', 'default'])).code).toBe(0);
    expect((await t.sentIds()).length).toBe(before.length + 2);
  }, 180_000);
});
