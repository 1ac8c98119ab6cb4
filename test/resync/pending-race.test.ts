/**
 * Issue 20, the race between the pending-changes marker and a resync request (SPCS path, the task runs the
 * worker as a job process; real driver, both stand-ins). A run that ends with an empty outbox clears the marker
 * (DELETE, then a DML that consumes the marker's stream). A resync requested while that run is in flight
 * (`run --resync` or `init` elsewhere) writes RESYNC_REQUEST and a marker row; if those land before the run's
 * DELETE, or between the DELETE and the consume, the run wipes the marker: the request stays recorded but the
 * task's WHEN (view stream or marker stream has data) is false, so it waits until the view next changes.
 *
 * Deterministic: the stand-in's statement hook holds the worker's DELETE (or consume) until the request's
 * statements, sent through a separate driver session, have committed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newResyncRequest, resyncRequestStatements } from '../../shared/state/resync.js';
import { cli, count, install, STREAM, TARGET, type Installed } from '../operate/helpers/installed.js';

const VIEW = 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES';
const CONTROL = `${TARGET}.BATCH_SYNC_CONTROL`;
const PENDING = `${TARGET}.BATCH_SYNC_PENDING`;
let inst: Installed;
let total: number;
let changes = 0;

type StatementHook = (session: unknown, sql: string, ...rest: unknown[]) => Promise<unknown>;
const core = () => (inst.sandbox.snowflake.engine as unknown as { core: { hooks: { statement?: StatementHook } } }).core;

/** Before the first statement matching `when` runs (from any session), records a resync request as the CLI does. */
function requestResyncBefore(when: RegExp): { fired: () => boolean } {
  const previous = core().hooks.statement;
  let fired = false;
  core().hooks.statement = async (session, sql, ...rest) => {
    if (!fired && when.test(sql)) {
      fired = true;
      const request = newResyncRequest(VIEW, [], new Date());
      for (const s of resyncRequestStatements(CONTROL, STREAM, request, PENDING, [])) await inst.admin.query(s.sql, s.binds);
    }
    return previous ? previous(session, sql, ...rest) : undefined;
  };
  return { fired: () => fired };
}

const run = () => cli(inst, ['run', '--json', '--timeout', '120']);
const resyncRequest = async () => (await inst.admin.query<{ R: string | null }>(`SELECT RESYNC_REQUEST AS R FROM ${CONTROL}`)).rows[0]?.R ?? null;
const change = (id: number) => inst.admin.query(`UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET FIRST_NAME = 'Race${id}' WHERE ID = ${id}`);

beforeAll(async () => {
  inst = await install();
  total = await count(inst.admin, `SELECT COUNT(*) AS N FROM ${VIEW}`);
  const first = await run();
  expect(first.code, first.stderr + first.stdout).toBe(0);
}, 120_000);
afterAll(async () => inst?.close());

describe('a resync requested while a run clears the pending marker', () => {
  it.each([
    ['just before the run deletes the marker rows', new RegExp(`^DELETE FROM ${PENDING}$`)],
    ['between the delete and the DML that consumes the marker stream', new RegExp(`^INSERT INTO ${PENDING} .* FROM ${PENDING}_STREAM WHERE FALSE$`)],
  ])('%s: the request survives and the next scheduled run starts and re-sends every row', async (_, when) => {
    await change(++changes);
    const hook = requestResyncBefore(when);
    const racing = await run();
    expect(racing.code, racing.stderr + racing.stdout).toBe(0);
    expect(hook.fired()).toBe(true);
    expect(racing.json().result.run).toMatchObject({ outcome: 'succeeded', profilesSent: 1 });
    // The request arrived after the run read the control row: it is still there, and so is a marker for it.
    expect(await resyncRequest()).not.toBeNull();
    // Nothing changed in the view since: the task's next run starts only if the marker stream has data.
    const next = await run();
    expect(next.code, next.stderr + next.stdout).toBe(0);
    expect(next.json().result.skipped ?? false).toBe(false);
    expect(next.json().result.run).toMatchObject({ outcome: 'succeeded', rowsCaptured: 0, profilesSent: total });
    expect(await resyncRequest()).toBeNull();
    // And it does not keep itself alive: the run after is skipped.
    expect((await run()).json().result).toMatchObject({ skipped: true });
  }, 240_000);

  it('a run honouring one request, with a newer one written just before it clears its own: the newer one survives and runs next', async () => {
    for (const s of resyncRequestStatements(CONTROL, STREAM, newResyncRequest(VIEW, [], new Date()), PENDING, [])) await inst.admin.query(s.sql, s.binds);
    const first = await resyncRequest();
    const hook = requestResyncBefore(new RegExp(`^UPDATE ${CONTROL} SET RESYNC_REQUEST = NULL`));
    const racing = await run();
    expect(racing.code, racing.stderr + racing.stdout).toBe(0);
    expect(hook.fired()).toBe(true);
    expect(racing.json().result.run).toMatchObject({ outcome: 'succeeded', profilesSent: total });
    const newer = await resyncRequest();
    expect(newer).not.toBeNull();
    expect(newer).not.toBe(first);
    const next = await run();
    expect(next.json().result.run).toMatchObject({ outcome: 'succeeded', rowsCaptured: 0, profilesSent: total });
    expect(await resyncRequest()).toBeNull();
    expect((await run()).json().result).toMatchObject({ skipped: true });
  }, 240_000);

  it('a control table made before the resync columns existed: the run clears the marker, and the next run is skipped', async () => {
    await inst.admin.query(`DROP TABLE ${CONTROL}`);
    await inst.admin.query(`CREATE TABLE ${CONTROL} (SYNC_NAME VARCHAR NOT NULL, PAUSED BOOLEAN, LOCK_HOLDER VARCHAR, LOCK_ACQUIRED_AT TIMESTAMP_LTZ, LOCK_EXPIRES_AT TIMESTAMP_LTZ, UPDATED_AT TIMESTAMP_LTZ)`);
    await change(++changes);
    const ran = await run();
    expect(ran.code, ran.stderr + ran.stdout).toBe(0);
    expect(ran.json().result.run).toMatchObject({ outcome: 'succeeded', profilesSent: 1 });
    expect((await run()).json().result).toMatchObject({ skipped: true });
  }, 120_000);
});
