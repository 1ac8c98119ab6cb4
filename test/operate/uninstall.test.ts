/**
 * uninstall end to end: --dry-run executes nothing (statements the stand-in received), no confirmation
 * without a TTY, then drops exactly what init created (after a run, so the worker's tables and a job exist),
 * plus the job service that run left (JOB_<uuid>), and keeps the user's view and data; the config forgets
 * the dropped objects atomically. Also: a view init made from the user's SELECT is kept, and every command
 * refuses to run without batch-snowflake.json.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { UninstallOptions } from '../../src/commands/options.js';
import type { CommandContext } from '../../src/runtime/context.js';
import { runUninstall } from '../../src/commands/uninstall.js';
import { createScriptedPrompter } from '../init/scripted-prompter.js';
import { cli, count, install, TASK, type Installed } from './helpers/installed.js';

const OURS = /^(DROP|ALTER|CREATE|EXECUTE|INSERT|UPDATE|DELETE|MERGE|GRANT|REVOKE|TRUNCATE)\b/i;

async function names(inst: Installed, show: string): Promise<string[]> {
  const { rows } = await inst.admin.query<{ name: string }>(show);
  return rows.map((r) => r.name).sort();
}

/** The job services the task's runs left in the target schema (JOB_<uuid>, reference §3.1). */
const jobServices = (inst: Installed) => names(inst, 'SHOW JOB SERVICES IN SCHEMA DEMO_DB.BATCH_SYNC');

async function inventory(inst: Installed) {
  return {
    jobServices: await jobServices(inst),
    tables: await names(inst, 'SHOW TABLES IN SCHEMA DEMO_DB.BATCH_SYNC'),
    streams: await names(inst, 'SHOW STREAMS IN SCHEMA DEMO_DB.BATCH_SYNC'),
    tasks: await names(inst, 'SHOW TASKS IN SCHEMA DEMO_DB.BATCH_SYNC'),
    secrets: await names(inst, 'SHOW SECRETS IN SCHEMA DEMO_DB.BATCH_SYNC'),
    networkRules: await names(inst, 'SHOW NETWORK RULES IN SCHEMA DEMO_DB.BATCH_SYNC'),
    repositories: await names(inst, 'SHOW IMAGE REPOSITORIES IN SCHEMA DEMO_DB.BATCH_SYNC'),
    integrations: await names(inst, "SHOW INTEGRATIONS LIKE 'BATCH_API_INTEGRATION'"),
    pools: await names(inst, "SHOW COMPUTE POOLS LIKE 'BATCH_SYNC_POOL'"),
  };
}

describe('uninstall of an install that has run', () => {
  let inst: Installed;
  beforeAll(async () => {
    inst = await install();
    const first = await cli(inst, ['run', '--timeout', '120']);
    expect(first.code, first.stdout).toBe(0);
  }, 90_000);
  afterAll(async () => inst?.close());

  it('--dry-run prints every DROP in dependency order and executes nothing', async () => {
    const configBefore = await readFile(inst.configPath, 'utf8');
    const objectsBefore = await inventory(inst);
    const from = inst.statements.length;
    const jobs = await jobServices(inst);
    expect(jobs).toHaveLength(1); // the run of beforeAll
    expect(jobs[0]).toMatch(/^JOB_[0-9A-F]+$/);
    const { code, stdout, stderr } = await cli(inst, ['uninstall', '--dry-run']);
    expect(code).toBe(0);
    const drops = stdout.split('\n').filter((l) => /^(DROP|ALTER)/.test(l));
    expect(drops).toEqual([
      `DROP TASK IF EXISTS ${TASK};`,
      `DROP SERVICE IF EXISTS DEMO_DB.BATCH_SYNC.${jobs[0]};`,
      'DROP STREAM IF EXISTS DEMO_DB.BATCH_SYNC.BATCH_SYNC_STREAM;',
      'DROP STREAM IF EXISTS DEMO_DB.BATCH_SYNC.BATCH_SYNC_PENDING_STREAM;',
      'DROP TABLE IF EXISTS DEMO_DB.BATCH_SYNC.BATCH_SYNC_PENDING;',
      'DROP TABLE IF EXISTS DEMO_DB.BATCH_SYNC.BATCH_SYNC_OUTBOX;',
      'DROP TABLE IF EXISTS DEMO_DB.BATCH_SYNC.BATCH_SYNC_RUNS;',
      'DROP TABLE IF EXISTS DEMO_DB.BATCH_SYNC.BATCH_SYNC_REJECTED;',
      'DROP TABLE IF EXISTS DEMO_DB.BATCH_SYNC.BATCH_SYNC_CONTROL;',
      'DROP SECRET IF EXISTS DEMO_DB.BATCH_SYNC.BATCH_API_KEY_SECRET;',
      'DROP INTEGRATION IF EXISTS BATCH_API_INTEGRATION;',
      'DROP NETWORK RULE IF EXISTS DEMO_DB.BATCH_SYNC.BATCH_API_NETWORK_RULE;',
      'DROP IMAGE REPOSITORY IF EXISTS DEMO_DB.BATCH_SYNC.BATCH_SYNC_REPOSITORY;',
      'ALTER COMPUTE POOL IF EXISTS BATCH_SYNC_POOL STOP ALL;',
      'DROP COMPUTE POOL IF EXISTS BATCH_SYNC_POOL;',
    ]);
    expect(stdout).not.toContain('CUSTOMER_PROFILES;');
    expect(stderr).toContain('Dry run: nothing was executed');
    const sent = inst.statements.slice(from);
    expect(sent.length).toBeGreaterThan(0); // it did read the live state
    expect(sent.filter((s) => OURS.test(s.trim()))).toEqual([]);
    expect(await inventory(inst)).toEqual(objectsBefore);
    expect(await readFile(inst.configPath, 'utf8')).toBe(configBefore);
  });

  it('--dry-run --json: the plan as a stable envelope', async () => {
    const { code, json } = await cli(inst, ['uninstall', '--dry-run', '--json']);
    expect(code).toBe(0);
    const { result } = json();
    expect(result).toMatchObject({ dryRun: true, offline: false, plan: { command: 'uninstall', counts: { create: 0, change: 1, drop: 14 } } });
    expect(result.plan.steps[0]).toMatchObject({ id: `drop:TASK:${TASK}`, action: 'drop', text: `DROP TASK IF EXISTS ${TASK};` });
  });

  it('without a terminal and without --yes: refuses, drops nothing', async () => {
    const from = inst.statements.length;
    const { code, json } = await cli(inst, ['uninstall', '--json']);
    expect(code).toBe(2);
    expect(json().error).toMatchObject({ code: 'CONFIRMATION_REQUIRED', suggestion: expect.stringContaining('batch-snowflake uninstall --yes') });
    expect(inst.statements.slice(from).filter((s) => OURS.test(s.trim()))).toEqual([]);
  });

  it('--yes drops everything init created, keeps the view and its data, and records it in the config', async () => {
    const configBefore = JSON.parse(await readFile(inst.configPath, 'utf8'));
    const { code, stdout } = await cli(inst, ['uninstall', '--yes']);
    expect(code).toBe(0);
    expect(stdout).toContain('Uninstalled: dropped 13 object(s) created by batch-snowflake and 1 job service(s) its task ran.');
    expect(await inventory(inst)).toEqual({ jobServices: [], tables: [], streams: [], tasks: [], secrets: [], networkRules: [], repositories: [], integrations: [], pools: [] });
    expect(await count(inst.admin, 'SELECT COUNT(*) AS N FROM DEMO_DB.PUBLIC.CUSTOMER_PROFILES')).toBe(1000);
    expect(await count(inst.admin, 'SELECT COUNT(*) AS N FROM DEMO_DB.PUBLIC.CUSTOMERS')).toBe(1000);
    const after = JSON.parse(await readFile(inst.configPath, 'utf8'));
    expect(after.created).toEqual([]);
    expect(after.answers).toEqual(configBefore.answers);
    expect((await readFile(inst.configPath, 'utf8')).includes(inst.sandbox.connection.batch.restApiKey)).toBe(false);
    const leftovers = (await import('node:fs')).readdirSync(inst.dir).filter((f) => f.endsWith('.tmp'));
    expect(leftovers).toEqual([]);
  });

  it('a second uninstall has nothing to do; status then says "not installed" (exit 13), not "failing"', async () => {
    const again = await cli(inst, ['uninstall', '--yes']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing to uninstall');
    const status = await cli(inst, ['status', '--json']);
    expect(status.code).toBe(13);
    expect(status.json().result).toMatchObject({ installed: false, verdict: { level: 'not installed', next: 'batch-snowflake init' } });
    const human = await cli(inst, ['status']);
    expect(human.code).toBe(13);
    expect(human.stdout.split('\n')[0]).toMatch(/^○ not installed — /);
    expect(human.stdout).not.toMatch(/failing|task is missing|RESULT/);
  });
});

describe('uninstall while the outbox holds changes not yet sent', () => {
  let inst: Installed;
  beforeAll(async () => {
    inst = await install();
    // A run that captures changes and cannot send them: they stay in the outbox.
    await inst.admin.query("ALTER SECRET DEMO_DB.BATCH_SYNC.BATCH_API_KEY_SECRET SET SECRET_STRING = 'wrong-key'");
    const failed = await cli(inst, ['run', '--timeout', '120']);
    expect(failed.code, failed.stdout).toBe(11);
    expect(await count(inst.admin, 'SELECT COUNT(*) AS N FROM DEMO_DB.BATCH_SYNC.BATCH_SYNC_OUTBOX')).toBe(1000);
  }, 120_000);
  afterAll(async () => inst?.close());

  it('--yes alone refuses (exit 2), says how many changes would be lost and how to send or drop them; nothing dropped', async () => {
    const before = await inventory(inst);
    const { code, json } = await cli(inst, ['uninstall', '--yes', '--json']);
    expect(code).toBe(2);
    expect(json().error).toMatchObject({ code: 'OUTBOX_NOT_EMPTY', details: { unsentChanges: 1000 } });
    expect(json().error.message).toContain('1000 captured change(s)');
    expect(json().error.suggestion).toContain('batch-snowflake run');
    expect(json().error.suggestion).toContain('--force');
    expect(await inventory(inst)).toEqual(before);
  });

  it('interactive: the question says how many unsent changes are dropped', async () => {
    const asked: string[] = [];
    const prompter = {
      loadImplementation: async () => async (options: unknown, context: CommandContext) =>
        runUninstall(options as UninstallOptions, context, { prompter: createScriptedPrompter([{ match: '1000 captured change(s)', answer: false }], asked), now: () => new Date() }),
    };
    const { code } = await cli(inst, ['uninstall'], {}, prompter);
    expect(code).toBe(130);
    expect(asked[0]).toMatch(/^confirm: Drop these \d+ object\(s\)/);
  });

  it('--yes --force drops it all, and says how many changes were dropped', async () => {
    const { code, stdout } = await cli(inst, ['uninstall', '--yes', '--force']);
    expect(code).toBe(0);
    expect(stdout).toContain('1000 captured change(s) that were never sent to Batch were dropped with the outbox.');
    expect((await inventory(inst)).tables).toEqual([]);
  });
});

describe('uninstall of an install whose view init made from a SELECT', () => {
  it('keeps that view (the user\'s SELECT) and says how to drop it', async () => {
    const inst = await install({ answers: { source: { kind: 'select', sql: 'SELECT ID AS CUSTOMER_ID, EMAIL, PROFILE_URL, SIGNUP_DATE, LAST_LOGIN_AT FROM DEMO_DB.PUBLIC.CUSTOMERS', viewName: 'BATCH_SYNC_VIEW' } } });
    try {
      const { code, stdout } = await cli(inst, ['uninstall', '--yes']);
      expect(code).toBe(0);
      expect(stdout).toContain('Kept view DEMO_DB.BATCH_SYNC.BATCH_SYNC_VIEW (your SELECT); drop it yourself with DROP VIEW DEMO_DB.BATCH_SYNC.BATCH_SYNC_VIEW;');
      expect(await count(inst.admin, 'SELECT COUNT(*) AS N FROM DEMO_DB.BATCH_SYNC.BATCH_SYNC_VIEW')).toBe(1000);
      expect(await names(inst, 'SHOW STREAMS IN SCHEMA DEMO_DB.BATCH_SYNC')).toEqual([]);
      const after = JSON.parse(await readFile(inst.configPath, 'utf8'));
      expect(after.created).toEqual([{ type: 'VIEW', name: 'DEMO_DB.BATCH_SYNC.BATCH_SYNC_VIEW' }]);
    } finally {
      await inst.close();
    }
  }, 60_000);
});

describe('confirmation and offline dry run', () => {
  let inst: Installed;
  beforeAll(async () => {
    inst = await install();
  }, 60_000);
  afterAll(async () => inst?.close());

  const withPrompter = (answer: boolean, asked: string[]) => ({
    loadImplementation: async () => async (options: unknown, context: CommandContext) =>
      runUninstall(options as UninstallOptions, context, { prompter: createScriptedPrompter([{ match: 'Drop these 9 object(s)', answer }], asked), now: () => new Date() }),
  });

  it('interactive, answered no: exit 130, nothing dropped, config unchanged', async () => {
    const configBefore = await readFile(inst.configPath, 'utf8');
    const objectsBefore = await inventory(inst);
    const asked: string[] = [];
    const { code, stderr } = await cli(inst, ['uninstall'], {}, withPrompter(false, asked));
    expect(asked).toEqual(['confirm: Drop these 9 object(s) from your Snowflake account? This cannot be undone.']);
    expect(code).toBe(130);
    expect(stderr).toContain('Not uninstalled: nothing was dropped');
    expect(await inventory(inst)).toEqual(objectsBefore);
    expect(await readFile(inst.configPath, 'utf8')).toBe(configBefore);
  });

  it('without a configured connection, --dry-run plans offline: DROP … IF EXISTS for every recorded object', async () => {
    let stdout = '';
    const code = await main(['uninstall', '--dry-run', '--json'], {
      stdout: { write: (t: string) => (stdout += t), isTTY: false },
      stderr: { write: () => true, isTTY: false },
      stdinIsTTY: false,
      env: { HOME: inst.dir, SNOWFLAKE_HOME: inst.dir },
      cwd: inst.dir,
    });
    expect(code).toBe(0);
    const { result } = JSON.parse(stdout);
    expect(result).toMatchObject({ dryRun: true, offline: true });
    expect(result.plan.steps.filter((s: { action: string }) => s.action === 'drop')).toHaveLength(inst.config.created.length);
    expect(result.plan.notes).toContain('Planned without a connection: every recorded object is dropped IF EXISTS.');
  });

  it('interactive, answered yes: drops', async () => {
    const { code } = await cli(inst, ['uninstall'], {}, withPrompter(true, []));
    expect(code).toBe(0);
    expect((await inventory(inst)).tasks).toEqual([]);
  });
});

describe('without batch-snowflake.json', () => {
  it.each(['status', 'run', 'logs', 'pause', 'resume', 'uninstall'])('%s: NOT_INSTALLED (exit 2) with the command to run, before connecting', async (command) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'operate-empty-'));
    try {
      let stdout = '';
      let stderr = '';
      const code = await main([command, '--account', 'nowhere', '--access-url', 'http://127.0.0.1:9', '--user', 'U'], {
        stdout: { write: (t: string) => (stdout += t), isTTY: false },
        stderr: { write: (t: string) => (stderr += t), isTTY: false },
        stdinIsTTY: false,
        env: { HOME: dir, SNOWFLAKE_HOME: dir },
        cwd: dir,
      });
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain('no batch-snowflake.json here — run `batch-snowflake init` first');
      expect(stderr).not.toContain('Connect');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
