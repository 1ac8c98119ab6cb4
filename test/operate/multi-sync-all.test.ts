/**
 * The operating commands without --sync on a project of two syncs (issue 16 §3), SPCS path, through the real
 * CLI, the real driver, the stand-in (each task runs the worker as a job) and the Batch sandbox: `run` runs each
 * sync in turn and prints one table, `logs` shows each sync's last run under its heading, `pause`/`resume`
 * toggle every task and say what changed, `verify` checks the profile sync and skips the event sync; each on
 * one sign-in; `run --resync` re-sends the profile sync only. Flags for one sync (--limit, --ids, --run) are
 * refused before connecting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertEvents, utcText } from '../events/helpers/events-env.js';
import { cli, count, TARGET, type Installed } from './helpers/installed.js';
import { installTwoSyncs, logins } from './helpers/two-syncs.js';

let inst: Installed;
const taskStates = async () =>
  Object.fromEntries((await inst.admin.query<{ name: string; state: string }>(`SHOW TASKS IN SCHEMA ${TARGET}`)).rows.map((r) => [r.name, r.state]));
const runsBySync = async () =>
  (await inst.admin.query<{ SYNC_NAME: string; RUN_ID: string; PROFILES_SENT: unknown; STATUS: string }>(`SELECT SYNC_NAME, RUN_ID, PROFILES_SENT, STATUS FROM ${TARGET}.BATCH_SYNC_RUNS ORDER BY STARTED_AT`)).rows;

beforeAll(async () => {
  inst = await installTwoSyncs();
}, 240_000);
afterAll(async () => inst?.close());

describe('operating every sync of a project at once', () => {
  it('run: each sync in turn, one table (sync, kind, outcome, sent, rejected, duration), one sign-in, exit 0', async () => {
    await insertEvents(inst.admin, [{ user: '1', name: 'purchase', time: utcText(-60_000) }, { user: '2', name: 'purchase', time: utcText(-30_000) }, { user: '2', name: 'refund', time: utcText(-20_000) }]);
    const before = logins(inst);
    const s0 = inst.statements.length;
    const human = await cli(inst, ['run', '--timeout', '120']);
    expect(human.code, human.stderr + human.stdout).toBe(0);
    expect(logins(inst) - before).toBe(1);
    // One session: its facts read once; one EXECUTE TASK per sync, in config order.
    const sent = inst.statements.slice(s0);
    expect(sent.filter((sql) => sql.startsWith('SELECT CURRENT_ROLE() AS ROLE'))).toHaveLength(1);
    expect(sent.filter((sql) => sql.startsWith('EXECUTE TASK'))).toEqual([`EXECUTE TASK ${TARGET}.BATCH_SYNC_TASK`, `EXECUTE TASK ${TARGET}.BATCH_SYNC_TASK__ORDERS`]);
    const runs = await runsBySync();
    expect(runs.map((r) => [r.SYNC_NAME, r.STATUS])).toEqual([['default', 'SUCCESS'], ['orders', 'SUCCESS']]);
    const lines = human.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^sync +kind +outcome +sent +rejected +duration$/);
    expect(lines[1]).toMatch(/^─+( +─+){5}$/);
    expect(lines[2]).toMatch(new RegExp(`^default +profile +succeeded +${Number(runs[0]!.PROFILES_SENT)} +0 +\\d+\\.\\d s$`));
    expect(lines[3]).toMatch(new RegExp(`^orders +event +succeeded +${Number(runs[1]!.PROFILES_SENT)} +0 +\\d+\\.\\d s$`));
    expect(lines).toHaveLength(4);
    // The progress on stderr says which sync is running.
    expect(human.stderr.indexOf('── sync default (profile)')).toBeLessThan(human.stderr.indexOf('── sync orders (event)'));
    expect(human.stderr.indexOf('── sync orders (event)')).toBeGreaterThan(-1);
  }, 240_000);

  it('run --json: one entry per sync with its outcome and what run --sync NAME returns; nothing new: both skipped', async () => {
    const json = await cli(inst, ['run', '--timeout', '120', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const { syncs } = json.json().result as { syncs: Array<Record<string, any>> };
    expect(syncs.map((s) => [s.sync, s.kind, s.outcome, s.exitCode, s.error])).toEqual([['default', 'profile', 'skipped', 0, null], ['orders', 'event', 'skipped', 0, null]]);
    expect(syncs[0]!.result).toMatchObject({ task: `${TARGET}.BATCH_SYNC_TASK`, skipped: true });
    expect(syncs[1]!.result).toMatchObject({ task: `${TARGET}.BATCH_SYNC_TASK__ORDERS`, skipped: true });
  }, 240_000);

  it.each([
    [['run', '--limit', '2'], '--limit'],
    [['run', '--ids', '1,2'], '--ids'],
    [['logs', '--run', 'abc'], '--run'],
  ])('%j needs --sync: SYNC_REQUIRED naming the flag, before connecting', async (args, flag) => {
    const before = logins(inst);
    const { code, stdout } = await cli(inst, [...args, '--json']);
    expect(code).toBe(2);
    const { error } = JSON.parse(stdout) as { error: { code: string; message: string; suggestion: string } };
    expect(error.code).toBe('SYNC_REQUIRED');
    expect(error.message).toBe(`${flag} applies to one sync, and this project has 2 (default, orders): say which one.`);
    expect(error.suggestion).toBe(`Pass --sync NAME with ${flag}, e.g. --sync default.`);
    expect(logins(inst)).toBe(before);
  });

  it('run --resync --sync orders is refused: events are never re-sent', async () => {
    const { code, stdout } = await cli(inst, ['run', '--resync', '--sync', 'orders', '--json']);
    expect(code).toBe(2);
    expect(JSON.parse(stdout).error).toMatchObject({ code: 'EVENT_SYNC_UNSUPPORTED' });
  });

  it('logs: each sync\'s last run under a heading with its name, its own job\'s lines, one sign-in', async () => {
    const runs = (await runsBySync()).filter((r) => r.STATUS === 'SUCCESS');
    const own = (sync: string) => runs.find((r) => r.SYNC_NAME === sync)!.RUN_ID;
    const before = logins(inst);
    const human = await cli(inst, ['logs']);
    expect(human.code, human.stderr).toBe(0);
    expect(logins(inst) - before).toBe(1);
    const [first, second] = human.stdout.split('\n\n══ sync orders (event) ══\n');
    expect(first!.startsWith('══ sync default (profile) ══\nRun ')).toBe(true);
    expect(first).toContain(own('default'));
    expect(first).not.toContain(own('orders'));
    expect(second!.startsWith('Run ')).toBe(true);
    expect(second).toContain(own('orders'));
    expect(second).not.toContain(own('default'));
    const json = await cli(inst, ['logs', '--json']);
    const { syncs } = json.json().result as { syncs: Array<{ sync: string; kind: string; job: string; lines: string[] }> };
    expect(syncs.map((s) => [s.sync, s.kind])).toEqual([['default', 'profile'], ['orders', 'event']]);
    expect(JSON.stringify(syncs[1]!.lines)).toContain(own('orders'));
  }, 120_000);

  it('run --resync: the profile sync re-sends its whole view, the event sync runs without it (said so)', async () => {
    const profiles = await count(inst.admin, 'SELECT COUNT(DISTINCT CUSTOMER_ID) AS N FROM DEMO_DB.PUBLIC.CUSTOMER_PROFILES');
    const json = await cli(inst, ['run', '--resync', '--timeout', '120', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stderr).toContain('orders is an event sync: events are sent once, never re-sent; it runs without --resync.');
    const { syncs } = json.json().result as { syncs: Array<Record<string, any>> };
    expect(syncs.map((s) => [s.sync, s.outcome, s.sent])).toEqual([['default', 'succeeded', profiles], ['orders', 'skipped', 0]]);
  }, 240_000);

  it('pause / resume: every task, a table of what changed, idempotent; the statements of both single toggles on one session', async () => {
    const statements = () => inst.statements.length;
    const singles: number[] = [];
    for (const sync of ['default', 'orders']) {
      const s0 = statements();
      expect((await cli(inst, ['pause', '--sync', sync])).code).toBe(0);
      singles.push(statements() - s0);
    }
    expect((await cli(inst, ['resume', '--sync', 'default'])).code).toBe(0);
    expect((await cli(inst, ['resume', '--sync', 'orders'])).code).toBe(0);

    const dry = await cli(inst, ['pause', '--dry-run']);
    expect(dry.stdout).toBe(`-- sync default\nALTER TASK ${TARGET}.BATCH_SYNC_TASK SUSPEND;\n-- sync orders\nALTER TASK ${TARGET}.BATCH_SYNC_TASK__ORDERS SUSPEND;\n`);
    expect(await taskStates()).toEqual({ BATCH_SYNC_TASK: 'started', BATCH_SYNC_TASK__ORDERS: 'started' });

    const before = { logins: logins(inst), statements: statements() };
    const paused = await cli(inst, ['pause']);
    expect(paused.code, paused.stderr).toBe(0);
    expect(logins(inst) - before.logins).toBe(1);
    // The session's facts are read once, not once per sync.
    expect(statements() - before.statements).toBe(singles[0]! + singles[1]! - 1);
    expect(await taskStates()).toEqual({ BATCH_SYNC_TASK: 'suspended', BATCH_SYNC_TASK__ORDERS: 'suspended' });
    const lines = paused.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^sync +kind +task +state +changed$/);
    expect(lines[2]).toMatch(new RegExp(`^default +profile +${TARGET}.BATCH_SYNC_TASK +started → suspended +yes$`));
    expect(lines[3]).toMatch(new RegExp(`^orders +event +${TARGET}.BATCH_SYNC_TASK__ORDERS +started → suspended +yes$`));
    expect(lines[5]).toBe('Paused 2 of 2 sync(s). No scheduled runs until `batch-snowflake resume`.');

    const again = await cli(inst, ['pause', '--json']);
    expect(again.code).toBe(0);
    expect((again.json().result.syncs as Array<Record<string, unknown>>).map((s) => [s.sync, s.before, s.state, s.changed])).toEqual([['default', 'suspended', 'suspended', false], ['orders', 'suspended', 'suspended', false]]);

    // One task resumed by hand: resume changes only the other one.
    expect((await cli(inst, ['resume', '--sync', 'default'])).code).toBe(0);
    const resumed = await cli(inst, ['resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/^default +profile +\S+ +started → started +no \(already\)$/m);
    expect(resumed.stdout).toMatch(/^orders +event +\S+ +suspended → started +yes$/m);
    expect(resumed.stdout).toContain('Resumed 1 of 2 sync(s).');
    expect(await taskStates()).toEqual({ BATCH_SYNC_TASK: 'started', BATCH_SYNC_TASK__ORDERS: 'started' });
  }, 120_000);

  it('a sync whose task is gone is its row\'s error; the other sync is still toggled; exit code the error\'s', async () => {
    await inst.admin.query(`ALTER TASK ${TARGET}.BATCH_SYNC_TASK__ORDERS SUSPEND`);
    await inst.admin.query(`DROP TASK ${TARGET}.BATCH_SYNC_TASK__ORDERS`);
    const paused = await cli(inst, ['pause', '--json']);
    expect(paused.code).toBe(5);
    const { syncs } = paused.json().result as { syncs: Array<Record<string, any>> };
    expect(syncs[0]).toMatchObject({ sync: 'default', changed: true, state: 'suspended', error: null });
    expect(syncs[1]).toMatchObject({ sync: 'orders', changed: false, error: { code: 'TASK_MISSING' } });
    expect(await taskStates()).toEqual({ BATCH_SYNC_TASK: 'suspended' });
    const human = await cli(inst, ['resume']);
    expect(human.code).toBe(5);
    expect(human.stdout).toMatch(/^orders +event +\S+ +error +-$/m);
    expect(human.stdout).toContain(`orders: TASK_MISSING The task ${TARGET}.BATCH_SYNC_TASK__ORDERS does not exist`);
    expect(await taskStates()).toEqual({ BATCH_SYNC_TASK: 'started' });
  }, 120_000);

  it('verify: the profile sync is compared, the event sync is skipped with a note; exit 0 when equal', async () => {
    const env = { BATCH_REST_API_KEY: inst.sandbox.connection.batch.restApiKey, BATCH_EXPORT_POLL_INTERVAL_MS: '50' };
    const human = await cli(inst, ['verify', '--sample', '5'], env);
    expect(human.code, human.stderr + human.stdout).toBe(0);
    expect(human.stdout).toMatch(/^default +profile +equal +5 +0$/m);
    expect(human.stdout).toMatch(/^orders +event +skipped +- +- +event sync: verify compares profile attributes$/m);
    const json = await cli(inst, ['verify', '--sample', '5', '--json'], env);
    expect((json.json().result.syncs as Array<Record<string, unknown>>).map((s) => [s.sync, s.outcome])).toEqual([['default', 'equal'], ['orders', 'skipped']]);
    const noKey = await cli(inst, ['verify', '--json']);
    expect(noKey.code).toBe(2);
    expect(noKey.json().error.code).toBe('REST_API_KEY_MISSING');
  }, 120_000);
});
