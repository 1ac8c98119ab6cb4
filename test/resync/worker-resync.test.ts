/**
 * Issue 20: the worker honours a resync request (shared/state/resync.ts) written into the control row: after
 * its capture it fills the outbox from the view's current rows, sends through mass-update, unsets the
 * attributes asked for, and clears the request only once the outbox is empty. External install (`batch-snowflake
 * sync` as a separate process), real driver, both stand-ins.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newResyncRequest, resyncRequestStatements } from '../../shared/state/resync.js';
import { CONTROL, startExternalInstall, STREAM, type ExternalInstall } from '../external/support.js';

let t: ExternalInstall;
const VIEW = 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES';

async function request(unset: string[] = []): Promise<void> {
  for (const s of resyncRequestStatements(CONTROL, STREAM, newResyncRequest(VIEW, unset, new Date()), null, [])) await t.admin.query(s.sql, s.binds);
}
async function profiles(): Promise<Array<{ identifiers: { custom_id: string }; attributes: Record<string, { type: string; value: unknown }> }>> {
  return (await (await fetch(`${t.sandbox.connection.batch.apiUrl}/_sandbox/profiles`)).json()) as never;
}
async function controlRow(): Promise<Record<string, unknown> | undefined> {
  return (await t.admin.query<Record<string, unknown>>(`SELECT * FROM ${CONTROL}`)).rows[0];
}

beforeAll(async () => {
  t = await startExternalInstall();
  const first = await t.cli(['sync', '--json']);
  if (first.code !== 0) throw new Error(`${first.stderr}\n${first.stdout}`);
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('worker: resync request', () => {
  it('re-sends every row of the view through mass-update, unsets the attributes asked for, and clears the request', async () => {
    const total = Number((await t.admin.query<{ N: number }>(`SELECT COUNT(*) AS N FROM ${VIEW}`)).rows[0]!.N);
    const before = (await t.sentIds()).length;
    await request(['city']);
    const run = await t.cli(['sync', '--json', '--verbose']);
    expect(run.code, run.stderr).toBe(0);
    const { result } = JSON.parse(run.stdout);
    expect(result.summary).toMatchObject({ endpoint: 'mass-update', resyncRows: total, profilesSent: total });
    expect((await t.sentIds()).length - before).toBe(total);
    const row = await controlRow();
    expect(row?.RESYNC_REQUEST ?? null).toBeNull();
    expect((await profiles()).every((p) => p.attributes.city === undefined)).toBe(true);
    // The next run has nothing to do.
    const again = JSON.parse((await t.cli(['sync', '--json'])).stdout).result;
    expect(again.summary.profilesSent).toBe(0);
  });
});
