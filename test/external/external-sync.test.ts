/**
 * Issue 18, end to end on the no-SPCS stand-in profile: `init --runner external` plans and creates only what
 * runs in Snowflake, `batch-snowflake sync` (a separate process with a key pair, as a scheduler runs it)
 * sends the demo data, `status` reads its records, `pause`/`resume`/`run`/`uninstall` work without a task.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { counts, startExternalInstall, STREAM, type ExternalInstall } from './support.js';

let t: ExternalInstall;

beforeAll(async () => {
  t = await startExternalInstall();
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('init --runner external', () => {
  it('records the runner and creates no compute pool, image repository, network rule, integration, secret or task', async () => {
    const config = JSON.parse(await readFile(path.join(t.dir, 'batch-snowflake.json'), 'utf8'));
    expect(config.project.runner).toBe('external');
    expect(config.project.credentials).toBe('none');
    const types = new Set((config.created as Array<{ type: string }>).map((c) => c.type));
    for (const spcsOnly of ['COMPUTE POOL', 'IMAGE REPOSITORY', 'NETWORK RULE', 'INTEGRATION', 'SECRET', 'TASK']) expect(types.has(spcsOnly)).toBe(false);
    expect(types.has('STREAM')).toBe(true);
  });

  it('dry run shows the difference: the SPCS plan has the pool, integration and task, the external one does not', async () => {
    const common = ['init', '--dry-run', '--offline', '--no-interactive', '--view', 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES', '--id-column', 'CUSTOMER_ID', '--project-key', 'p', '--target', 'DEMO_DB.OTHER', '--role', 'SYNC_ROLE', '--warehouse', 'WH', '--config', 'other.json'];
    const external = await t.cli([...common, '--runner', 'external']);
    const spcs = await t.cli([...common, '--skip-image', '--image-tag', '1']);
    expect(external.code, external.stderr).toBe(0);
    expect(spcs.code, spcs.stderr).toBe(0);
    for (const object of ['COMPUTE POOL', 'NETWORK RULE', 'EXTERNAL ACCESS INTEGRATION', 'TASK', 'SECRET']) {
      const statement = new RegExp(`^CREATE (OR REPLACE )?${object} `, 'm');
      expect(spcs.stdout).toMatch(statement);
      expect(external.stdout).not.toMatch(statement);
    }
    expect(external.stdout).toMatch(/^CREATE (OR REPLACE )?STREAM /m);
    expect(external.stderr).toContain('Runner: external');
  });
});

describe('batch-snowflake sync (key pair from env, no TTY)', () => {
  it('sends the demo data end to end and prints a --json summary', async () => {
    const run = await t.cli(['sync', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const envelope = JSON.parse(run.stdout);
    expect(envelope.ok).toBe(true);
    expect(envelope.result.status).toBe('SUCCESS');
    const { rows } = await t.admin.query<{ N: number }>('SELECT COUNT(*) AS N FROM DEMO_DB.PUBLIC.CUSTOMER_PROFILES');
    const total = Number(rows[0]!.N);
    expect(envelope.result.summary.profilesSent).toBe(total);
    const profiles = (await (await fetch(`${t.sandbox.connection.batch.apiUrl}/_sandbox/profiles`)).json()) as unknown[];
    expect(profiles).toHaveLength(total);
  });

  it('status reads the run it recorded (no task needed)', async () => {
    const status = await t.cli(['status', '--json']);
    const report = JSON.parse(status.stdout).result;
    expect(report.runner).toBe('external');
    expect(report.verdict.level, JSON.stringify(report.verdict)).toBe('healthy');
    expect(report.runs[0].outcome).toBe('succeeded');
    expect(status.code).toBe(0);
  });

  it('pause makes sync send nothing (exit 0, PAUSED); resume sends what changed meanwhile', async () => {
    expect((await t.cli(['pause'])).code).toBe(0);
    await t.admin.query("UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET FIRST_NAME = 'Paused' WHERE ID IN (1, 2)");
    const before = (await t.sentIds()).length;
    const paused = await t.cli(['sync', '--json']);
    expect(paused.code).toBe(0);
    expect(JSON.parse(paused.stdout).result.status).toBe('PAUSED');
    expect((await t.sentIds()).length).toBe(before);
    const status = JSON.parse((await t.cli(['status', '--json'])).stdout).result;
    expect(status.paused).toBe(true);
    expect(status.verdict.next).toBe('batch-snowflake resume');

    expect((await t.cli(['resume'])).code).toBe(0);
    const resumed = await t.cli(['run', '--json']); // `run` of an external install is one `sync` from here
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout).result.summary.profilesSent).toBe(2);
    expect((await t.sentIds()).slice(before).sort()).toEqual(['1', '2']);
  });

  it('two overlapping sync processes send each change once', async () => {
    await t.admin.query("UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET FIRST_NAME = 'Twice?' WHERE ID <= 20");
    const before = (await t.sentIds()).length;
    const [a, b] = [t.startSync(), t.startSync()];
    const results = await Promise.all([a.done, b.done]);
    const codes = results.map((r) => r.code).sort();
    // 75: the other run held the lock; 0 with nothing sent: the other had already finished.
    for (const code of codes) expect([0, 75]).toContain(code);
    const sent = counts((await t.sentIds()).slice(before));
    expect(sent.size).toBe(20);
    expect([...sent.values()].every((n) => n === 1)).toBe(true);
  });
});

describe('uninstall of an external install', () => {
  it('drops the stream and the state tables, and there is no task to drop', async () => {
    const dry = await t.cli(['uninstall', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).not.toContain('DROP TASK');
    expect(dry.stdout).toContain('BATCH_SYNC_CONTROL');
    const done = await t.cli(['uninstall', '--yes', '--no-interactive']);
    expect(done.code, done.stderr).toBe(0);
    const { rows } = await t.admin.query(`SHOW STREAMS LIKE 'BATCH_SYNC_STREAM' IN SCHEMA DEMO_DB.BATCH_SYNC`);
    expect(rows).toHaveLength(0);
    expect(STREAM).toContain('BATCH_SYNC_STREAM');
  });
});
