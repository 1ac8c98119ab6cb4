/**
 * Several syncs per project, end to end through the built CLI and the stand-ins (external runner, so no
 * docker): an event sync added next to the profile sync with `init --sync orders --kind event` gets its own
 * APPEND_ONLY stream and, on its first `sync --sync orders`, its own events outbox; the profile sync's objects
 * are untouched; `run` without --sync runs each sync in turn (stdin's REST key read once for both).
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

  it('flags for one sync ask which sync; `sync --sync orders` sends the new events through its own outbox', async () => {
    const ambiguous = await t.cli(['run', '--limit', '2', '--json']);
    expect(ambiguous.code).toBe(2);
    expect(JSON.parse(ambiguous.stdout).error).toMatchObject({ code: 'SYNC_REQUIRED', details: { flag: '--limit' } });
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

const logins = () => t.sandbox.snowflake.observed.loginLog.filter((l) => l.application === 'batch-snowflake').length;
const workerLogins = () => t.sandbox.snowflake.observed.loginLog.filter((l) => l.application === 'batch-snowflake-worker').length;

describe('run without --sync on an external install of several syncs', () => {
  it('runs `sync` for each sync in turn (each worker signs in), prints one table; the key from stdin serves both', async () => {
    const before = { sent: (await t.sentIds()).length, workers: workerLogins(), cli: logins() };
    await insertEvents(t.admin, [{ user: 'u3', name: 'purchase', time: utcText(-10_000) }]);
    await t.admin.query(`UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET EMAIL = 'run.all@example.com' WHERE ID = 7`);
    const run = await t.cli(['run', '--rest-api-key-stdin'], { env: { BATCH_REST_API_KEY: undefined }, stdin: `${t.sandbox.connection.batch.restApiKey}\n` });
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(workerLogins() - before.workers).toBe(2);
    expect(logins()).toBe(before.cli);
    expect((await t.sentIds()).slice(before.sent).sort()).toEqual(['7', 'u3']);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^sync +kind +outcome +sent +rejected +duration$/);
    expect(lines[2]).toMatch(/^default +profile +succeeded +1 +0 +\d+\.\d s$/);
    expect(lines[3]).toMatch(/^orders +event +succeeded +1 +0 +\d+\.\d s$/);
    expect(lines).toHaveLength(4);
  }, 120_000);
});


describe('status without --sync on a project of several syncs', () => {
  it('prints one line per sync and the command for one, with one sign-in; the exit code is the worst verdict\'s', async () => {
    const observed = t.sandbox.snowflake.observed.statements;
    const statements = () => observed.reduce((n, c) => n + c.statements, 0);
    const one = [];
    const singles: number[] = [];
    const metadataReads: Array<Set<string>> = [];
    for (const sync of ['default', 'orders']) {
      const s0 = statements();
      const sessions0 = observed.length;
      one.push(await t.cli(['status', '--sync', sync, '--json']));
      singles.push(statements() - s0);
      metadataReads.push(new Set(observed.slice(sessions0).flatMap((c) => c.heads ?? []).filter((sql) => /^(SHOW|DESC) /.test(sql))));
    }
    // Project-level objects both syncs read (pool, integration, schema, …): one SHOW / DESC for the two.
    const sharedReads = [...metadataReads[0]!].filter((sql) => metadataReads[1]!.has(sql)).length;
    expect(sharedReads).toBeGreaterThan(0);
    const levels = one.map((r) => (JSON.parse(r.stdout) as { result: { verdict: { level: string } } }).result.verdict.level);
    const before = { logins: logins(), statements: statements() };
    const human = await t.cli(['status']);
    expect(logins() - before.logins).toBe(1);
    // What each `status --sync NAME` reads, on one session: the session's facts are read once, and each SHOW / DESC
    // the two syncs share is sent once (src/operate/metadata-reads.ts).
    expect(statements() - before.statements).toBe(singles[0]! + singles[1]! - 1 - sharedReads);
    expect(human.code, human.stderr).toBe(Math.max(...one.map((r) => r.code ?? -1)));
    const lines = human.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^. default +profile +${levels[0]} +last run succeeded \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC +pending \\d+$`));
    expect(lines[1]).toMatch(new RegExp(`^. orders +event +${levels[1]} +last run succeeded .* UTC +pending \\d+$`));
    expect(lines[2]).toBe('next: batch-snowflake status --sync NAME   (one of: default, orders)');
    const json = await t.cli(['status', '--json']);
    expect(json.code).toBe(human.code);
    const { syncs } = (JSON.parse(json.stdout) as { result: { syncs: Array<Record<string, unknown>> } }).result;
    expect(syncs.map((s) => [s.sync, s.kind, s.level])).toEqual([['default', 'profile', levels[0]], ['orders', 'event', levels[1]]]);
    expect(syncs[1]).toMatchObject({ lastRun: { outcome: 'succeeded' }, pending: 0 });
    // One sync paused: that sync is degraded, and so is the command's exit code (10).
    expect((await t.cli(['pause', '--sync', 'orders'])).code).toBe(0);
    const paused = await t.cli(['status']);
    expect(paused.code).toBe(10);
    expect(paused.stdout).toMatch(/^. default +profile +healthy /m);
    expect(paused.stdout).toMatch(/^⚠ orders +event +degraded /m);
    expect((await t.cli(['resume', '--sync', 'orders'])).code).toBe(0);
  }, 60_000);
});

describe('profile-only operations on the event sync (issue 16 polish)', () => {

  it.each([
    [['verify', '--sync', 'orders', '--sample', '5'], 'verify compares profile attributes with what Batch holds, and sync orders is an event sync', 'verify does not apply to an event sync; send its pending events with `batch-snowflake run --sync orders`'],
    [['run', '--sync', 'orders', '--limit', '2'], "--limit sends a few profiles' attributes now (/profiles/update), and sync orders is an event sync", 'Send its pending events with `batch-snowflake run --sync orders`'],
    [['run', '--sync', 'orders', '--ids', 'u1'], "--ids sends a few profiles' attributes now (/profiles/update), and sync orders is an event sync", 'Send its pending events with `batch-snowflake run --sync orders`'],
  ])('%j is refused before connecting, with the command that applies', async (args, message, fix) => {
    const before = { logins: logins(), sent: (await t.sentIds()).length };
    const { code, stderr } = await t.cli(args);
    expect(code, stderr).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toContain(fix);
    expect(logins()).toBe(before.logins);
    expect((await t.sentIds()).length).toBe(before.sent);
    const json = await t.cli([...args, '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).error.code).toBe('EVENT_SYNC_UNSUPPORTED');
  }, 60_000);

  it('init --first-send on an event sync is refused before anything is applied', async () => {
    const file = path.join(t.dir, 'batch-snowflake.json');
    const config = await readFile(file, 'utf8');
    const add = await t.cli([
      'init', '--sync', 'clicks', '--no-interactive', '--yes', '--kind', 'event', '--view', 'DEMO_DB.PUBLIC.ORDER_EVENTS_V', '--id-column', 'USER_ID',
      '--event-name', 'click', '--event-time-column', 'EVENT_TIME', '--project-key', t.sandbox.connection.batch.projectKey, '--first-send', '5',
    ]);
    expect(add.code, add.stderr).toBe(2);
    expect(add.stderr).toContain("--first-send sends a few profiles' attributes now (/profiles/update), and sync clicks is an event sync");
    expect(add.stderr).toContain('nothing was applied');
    expect(add.stderr).toContain('Rerun without --first-send; once it is set up, `batch-snowflake run --sync clicks` sends its pending events.');
    expect(await readFile(file, 'utf8')).toBe(config);
    const streams = (await t.admin.query<{ name: string }>(`SHOW STREAMS LIKE 'BATCH_SYNC_STREAM__CLICKS' IN SCHEMA ${TARGET}`)).rows;
    expect(streams).toEqual([]);
  }, 180_000);
});
