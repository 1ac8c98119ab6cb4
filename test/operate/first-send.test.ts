/**
 * Issue 17 item 3, end to end through the real driver and both stand-ins: `run --limit N` / `--ids` on an SPCS
 * install send only those rows now (the worker's own run function, from here), print each operation with
 * Batch's answer and a link, and leave every other change in the outbox; the normal run (EXECUTE TASK, the
 * job) then sends the rest, each profile exactly once. Bad input stops before anything is read or sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, count, install, STREAM, TARGET, type Installed } from './helpers/installed.js';

const OUTBOX = `${TARGET}.BATCH_SYNC_OUTBOX`;
const VIEW = 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES';

let inst: Installed;
let env: NodeJS.ProcessEnv;
let total: number;
beforeAll(async () => {
  inst = await install({ resume: false });
  env = { BATCH_REST_API_KEY: inst.sandbox.connection.batch.restApiKey };
  total = await count(inst.admin, `SELECT COUNT(*) AS N FROM ${VIEW}`);
}, 60_000);
afterAll(async () => inst?.close());

const sentIds = () => inst.sandbox.batch.profiles().map((p) => String((p.identifiers as { custom_id: string }).custom_id));

describe('bad input: a clear message and the fix, nothing read or sent', () => {
  it.each([
    ['0', 'sends nothing: it must be at least 1', 'e.g. --limit 10'],
    ['-3', 'sends nothing: it must be at least 1', 'e.g. --limit 10'],
    ['ten', 'must be a number of profiles to send (got "ten")', 'e.g. --limit 10'],
    ['201', 'more than a first look (at most 200', 'run without --limit'],
  ])('--limit %s', async (limit, message, fix) => {
    const { code, stderr } = await cli(inst, ['run', '--limit', limit], env);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toContain(fix);
    expect(inst.sandbox.batch.profiles()).toHaveLength(0);
  });

  it('--ids with an ID absent from the view names it and sends nothing, not even the valid ones', async () => {
    const { code, stderr } = await cli(inst, ['run', '--ids', '1,no-such-id'], env);
    expect(code).toBe(2);
    expect(stderr).toContain(`Not in ${VIEW} (column CUSTOMER_ID): no-such-id. Nothing was sent.`);
    expect(stderr).toContain('--limit N');
    expect(inst.sandbox.batch.profiles()).toHaveLength(0);
    expect(await count(inst.admin, `SELECT COUNT(*) AS N FROM ${STREAM}`)).toBe(total);
  });

  it('--limit and --ids together are refused', async () => {
    const { code, stderr } = await cli(inst, ['run', '--limit', '2', '--ids', '1'], env);
    expect(code).toBe(2);
    expect(stderr).toContain('--limit and --ids cannot be combined');
  });

  it('without the REST API key (it is in a SECRET only the job reads) it says where to give it', async () => {
    const { code, stderr } = await cli(inst, ['run', '--limit', '2']);
    expect(code).toBe(2);
    expect(stderr).toContain('only the job can read');
    expect(stderr).toContain('--rest-api-key-stdin');
  });
});

describe('limited send, then the normal run sends the rest exactly once', () => {
  it('--limit 3 captures the whole stream, sends 3 rows with Batch\'s answers, leaves the rest in the outbox', async () => {
    const { code, stdout, stderr } = await cli(inst, ['run', '--limit', '3'], env);
    expect(code, stderr).toBe(0);
    expect(sentIds()).toHaveLength(3);
    expect(stdout).toContain(`Sent 3 profile(s) to Batch, one /profiles/update request each (${total} new change(s) captured from the stream first):`);
    for (const id of sentIds()) {
      expect(stdout).toContain(`  ✓ ${id}  → Batch answered HTTP 202 SUCCESS`);
      expect(stdout).toContain(`look it up: ${inst.sandbox.connection.batch.apiUrl}/_sandbox/profiles/${id}`);
    }
    expect(stdout).toMatch(/sent: \{"identifiers":\{"custom_id":"\d+"\},"attributes":\{/);
    expect(stdout).toContain(`${total - 3} other change(s) stay in the outbox for the task`);
    // Nothing lost: the stream is consumed (offset advanced by the capture), every other change waits in the outbox.
    expect(await count(inst.admin, `SELECT COUNT(*) AS N FROM ${STREAM}`)).toBe(0);
    expect(await count(inst.admin, `SELECT COUNT(*) AS N FROM ${OUTBOX}`)).toBe(total - 3);
    const sent = sentIds().map((id) => `'${id}'`).join(', ');
    expect(await count(inst.admin, `SELECT COUNT(*) AS N FROM ${OUTBOX} WHERE BATCH_SYNC_ID IN (${sent})`)).toBe(0);
  });

  it('--ids sends a pending ID, and says an already sent one has no pending change (not sent again)', async () => {
    const already = sentIds()[0]!;
    const { rows } = await inst.admin.query<{ ID: unknown }>(`SELECT BATCH_SYNC_ID AS ID FROM ${OUTBOX} ORDER BY BATCH_SYNC_ID DESC LIMIT 1`);
    const pending = String(rows[0]!.ID);
    const { code, stdout, stderr } = await cli(inst, ['run', '--ids', `${pending},${already}`, '--json'], env);
    expect(code, stderr).toBe(0);
    const { result } = JSON.parse(stdout);
    const byId = Object.fromEntries(result.summary.selected.map((s: { customId: string }) => [s.customId, s]));
    expect(byId[pending]).toMatchObject({ outcome: 'sent', response: { status: 202, code: 'SUCCESS' } });
    expect(byId[pending].operation.identifiers).toEqual({ custom_id: pending });
    expect(byId[already]).toMatchObject({ outcome: 'not_pending', operation: null, response: null });
    expect(result.summary.outboxLeft).toBe(total - 4);
    expect(result.links[pending]).toBe(`${inst.sandbox.connection.batch.apiUrl}/_sandbox/profiles/${pending}`);
    expect(inst.sandbox.batch.profiles().find((p) => (p.identifiers as { custom_id: string }).custom_id === already)!.updates).toBe(1);
    expect(await count(inst.admin, `SELECT COUNT(*) AS N FROM ${OUTBOX}`)).toBe(total - 4);
  });

  it('the normal run (EXECUTE TASK, the job) sends the other changes, each profile exactly once', async () => {
    const { code, stdout } = await cli(inst, ['run', '--timeout', '120'], env);
    expect(code, stdout).toBe(0);
    expect(stdout).toContain(`profiles sent ${total - 4}`);
    const profiles = inst.sandbox.batch.profiles();
    expect(profiles).toHaveLength(total);
    expect(profiles.filter((p) => p.updates !== 1)).toEqual([]);
    expect(await count(inst.admin, `SELECT COUNT(*) AS N FROM ${OUTBOX}`)).toBe(0);
  });

  it('the runs table records the restricted runs like any run (status reads them)', async () => {
    const { rows } = await inst.admin.query<{ PROFILES_SENT: unknown; ENDPOINT: unknown }>(`SELECT PROFILES_SENT, ENDPOINT FROM ${TARGET}.BATCH_SYNC_RUNS ORDER BY STARTED_AT`);
    expect(rows.map((r) => Number(r.PROFILES_SENT))).toEqual([3, 1, total - 4]);
    expect(rows[0]!.ENDPOINT).toBe('update');
  });
});
