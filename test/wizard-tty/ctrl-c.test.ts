/**
 * Ctrl-C in a real terminal, at several prompts of `init`: exit status 130, a short "Cancelled" line and no
 * stack trace, the existing batch-snowflake.json byte-identical (or still absent), no other file written,
 * and nothing created in the account.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SnowflakeStandin } from '../../standins/snowflake/index.js';
import type { TmuxSession } from '../support/tmux.js';
import { answerUpToRestKey, asking, CONFIRM_APPLY, connectAs, startDemoStandinWithoutPoolPrivilege, ensureBuilt, freshFolders, startWizard } from './wizard-tty.js';

/** A config as a previous run saved it (reconfigure mode: its answers become the prompts' defaults). */
const SAVED_CONFIG = `${JSON.stringify({
  version: 1,
  answers: {
    target: 'DEMO_DB.PUBLIC',
    source: { kind: 'view', view: 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES' },
    idColumn: 'CUSTOMER_ID',
    dateColumns: ['SIGNUP_DATE'],
    urlColumns: [],
    projectKey: 'project_saved_before',
    credentials: 'secret',
    warehouse: 'SANDBOX_WH',
    role: 'SYSADMIN',
    computePool: 'BATCH_SYNC_POOL',
    instanceFamily: 'CPU_X64_XS',
    autoSuspendSecs: 300,
    imageRepository: 'BATCH_SYNC_REPOSITORY',
    schedule: '30 MINUTE',
    skipEmptyRuns: true,
    initialSync: true,
    imageTag: '0.1.0',
    skipImage: true,
    batchApiHost: 'api.batch.com',
    names: {},
  },
  created: [],
  updatedAt: '2026-01-01T00:00:00.000Z',
}, null, 2)}\n`;

const cleanups: Array<() => Promise<void>> = [];
beforeAll(() => ensureBuilt(), 180_000);
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(config: string | null): Promise<{ standin: SnowflakeStandin; t: TmuxSession; cwd: string }> {
  const standin = await startDemoStandinWithoutPoolPrivilege();
  cleanups.push(() => standin.close());
  const folders = await freshFolders();
  if (config !== null) await writeFile(path.join(folders.cwd, 'batch-snowflake.json'), config);
  const t = await startWizard(standin, folders, ['--skip-image', '--image-tag', '0.1.0']);
  cleanups.push(() => t.kill());
  return { standin, t, cwd: folders.cwd };
}

async function expectCleanExit(t: TmuxSession): Promise<string> {
  expect(await t.waitForExit()).toBe(130);
  const screen = await t.capture();
  expect(screen).toMatch(/Cancelled/);
  expect(screen).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(screen).not.toMatch(/ExitPromptError|AbortError|Internal error/);
  return screen;
}

async function streamsInDemo(standin: SnowflakeStandin): Promise<string[]> {
  const session = await connectAs(standin);
  try {
    const { rows } = await session.query<{ name: string }>('SHOW STREAMS IN DATABASE DEMO_DB');
    return rows.map((r) => r.name);
  } finally {
    await session.destroy();
  }
}

describe('Ctrl-C at a prompt of init', () => {
  it('at the first question of a rerun: exit 130, the saved config byte-identical', async () => {
    const { t, cwd } = await setUp(SAVED_CONFIG);
    // A saved config is a project (one sync after the v1 → v2 migration): the first question is what to do with it.
    const screen = await t.waitFor(asking('This project has 1 sync(s). What do you want to do?'));
    expect(screen).toContain('Reconfiguring');
    await t.keys('C-c');
    await expectCleanExit(t);
    expect(await readFile(path.join(cwd, 'batch-snowflake.json'), 'utf8')).toBe(SAVED_CONFIG);
    expect(await readdir(cwd)).toEqual(['batch-snowflake.json']);
  });

  it('while typing in a rerun (project key prompt, half typed): the saved config byte-identical', async () => {
    const { t, cwd } = await setUp(SAVED_CONFIG);
    for (const question of ['This project has 1 sync(s). What do you want to do?', 'Which data should be synced', 'View to sync']) {
      await t.waitFor(asking(question));
      await t.keys('Enter');
    }
    for (const question of ['Schema for the integration objects', 'Which column holds', 'Date attributes', 'URL attributes']) {
      await t.waitFor(asking(question));
      await t.keys('Enter');
    }
    await t.waitFor(asking('Batch project key'));
    await t.type('project_half');
    await t.waitFor('project_half');
    await t.keys('C-c');
    await expectCleanExit(t);
    expect(await readFile(path.join(cwd, 'batch-snowflake.json'), 'utf8')).toBe(SAVED_CONFIG);
    expect(await readdir(cwd)).toEqual(['batch-snowflake.json']);
  });

  it('at the hidden REST key prompt: no config written, no stream created', async () => {
    const { standin, t, cwd } = await setUp(null);
    await answerUpToRestKey(t, 'project_ctrl_c');
    await t.typeSecret('half-typed-key');
    await t.keys('C-c');
    const screen = await expectCleanExit(t);
    expect(screen).not.toContain('half-typed-key');
    expect(await readdir(cwd)).toEqual([]);
    expect(await streamsInDemo(standin)).toEqual([]);
  });

  it('at the final confirmation: nothing applied, not even the GRANTs chosen to run as ACCOUNTADMIN, no config written', async () => {
    const { standin, t, cwd } = await setUp(null);
    await answerUpToRestKey(t, 'project_ctrl_c');
    await t.typeSecret('key-then-cancel');
    await t.keys('Enter');
    const confirm = await t.waitFor(CONFIRM_APPLY);
    expect(CONFIRM_APPLY.exec(confirm)?.[2]).toBe('ACCOUNTADMIN');
    expect(confirm).not.toMatch(/as ACCOUNTADMIN: GRANT/);
    await t.keys('C-c');
    await expectCleanExit(t);
    expect(await readdir(cwd)).toEqual([]);
    expect(await streamsInDemo(standin)).toEqual([]);
    // Issue 12 §2: the GRANTs run only after the plan is confirmed.
    const admin = await connectAs(standin);
    try {
      const { rows } = await admin.query<{ privilege: string }>(`SHOW GRANTS TO ROLE ${standin.defaultUser.role}`);
      expect(rows.map((r) => r.privilege)).not.toContain('CREATE COMPUTE POOL');
    } finally {
      await admin.destroy();
    }
  });
});
