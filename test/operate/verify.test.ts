/**
 * Issue 17 item 4 end to end: `verify --sample N` compares the view (through the worker's payload transform)
 * with Batch's profile export (the sandbox's request → poll → download): equal after a sync, a mismatch by
 * attribute (exit 14) after a profile is changed in Batch; `--sample 0` is refused with the fix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, install, type Installed } from './helpers/installed.js';

let inst: Installed;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  inst = await install({ resume: false });
  env = { BATCH_REST_API_KEY: inst.sandbox.connection.batch.restApiKey, BATCH_EXPORT_POLL_INTERVAL_MS: '50' };
  const synced = await cli(inst, ['run', '--timeout', '120'], env);
  if (synced.code !== 0) throw new Error(`sync failed: ${synced.stdout}${synced.stderr}`);
}, 180_000);
afterAll(async () => inst?.close());

describe('verify --sample N', () => {
  it('--sample 0 is refused with the fix', async () => {
    const { code, stderr } = await cli(inst, ['verify', '--sample', '0'], env);
    expect(code).toBe(2);
    expect(stderr).toContain('a sample of 0 compares nothing');
    expect(stderr).toContain('e.g. --sample 10');
  });

  it('equal after a sync: exit 0', async () => {
    const { code, stdout, stderr } = await cli(inst, ['verify', '--sample', '25'], env);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^Equal: 25 profile\(s\) of DEMO_DB\.PUBLIC\.CUSTOMER_PROFILES match what Batch holds/);
  });

  it('a profile changed in Batch: the mismatch by attribute, exit 14', async () => {
    const target = inst.sandbox.batch.profiles().find((p) => typeof p.attributes.first_name?.value === 'string')!;
    const id = (target.identifiers as { custom_id: string }).custom_id;
    const before = target.attributes.first_name!.value;
    const { connection } = inst.sandbox;
    const changed = await fetch(`${connection.batch.apiUrl}/2.11/profiles/update`, {
      method: 'POST',
      headers: { authorization: `Bearer ${connection.batch.restApiKey}`, 'x-batch-project': connection.batch.projectKey, 'content-type': 'application/json' },
      body: JSON.stringify([{ identifiers: { custom_id: id }, attributes: { first_name: 'Changed-in-Batch' } }]),
    });
    expect(changed.status).toBe(202);
    // The whole view: the changed profile is always in the sample.
    const { code, stdout } = await cli(inst, ['verify', '--sample', '1000', '--json'], env);
    expect(code).toBe(14);
    const { result } = JSON.parse(stdout);
    expect(result.mismatches).toEqual([{ customId: id, attribute: 'first_name', snowflake: before, batch: 'Changed-in-Batch' }]);
    const human = await cli(inst, ['verify', '--sample', '1000'], env);
    expect(human.code).toBe(14);
    expect(human.stdout).toContain(`✗ ${id}.first_name: Snowflake ${JSON.stringify(before)} ≠ Batch "Changed-in-Batch"`);
  });
});
