/**
 * Issue 18 item 1: on an account without Snowpark Container Services, the wizard offers the external runner
 * (the sync runs from the user's scheduler with `batch-snowflake sync`) instead of stopping; declining, or no
 * prompts at all, stops with the preflight error that names `--runner external`. Scripted prompter through
 * runInit (the code main() runs), the real driver against the stand-in's no-SPCS profile.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../shared/errors.js';
import { defaultDeps, runInit } from '../../src/commands/init.js';
import { createOutput } from '../../src/adapters/ui/output.js';
import type { CommandContext } from '../../src/runtime/context.js';
import { createSnowflakeContext } from '../../src/runtime/snowflake-context.js';
import { startSnowflakeStandin, type SnowflakeStandin } from '../../standins/snowflake/index.js';
import { createScriptedPrompter, type ScriptedAnswer } from './scripted-prompter.js';
import { tempDir } from './support.js';

const OFFER = 'Snowpark Container Services is not available on this account';
const FLAGS = { view: 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES', idColumn: 'CUSTOMER_ID', projectKey: 'PK_NO_SPCS', dryRun: true };

describe('init on an account without SPCS', () => {
  let standin: SnowflakeStandin;
  let work: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    standin = await startSnowflakeStandin({ seed: 'demo', profile: 'full', spcs: false });
    work = await tempDir('bs-init-no-spcs-');
  });
  afterAll(async () => {
    await standin?.close();
    await work?.cleanup();
  });

  function context(stderr: { text: string }, interactive: boolean): CommandContext {
    const u = standin.defaultUser;
    const env = { HOME: work.dir, SNOWFLAKE_PASSWORD: u.password, SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true' };
    const output = createOutput({ json: false, verbose: false, stdout: { write: () => true }, stderr: { write: (t: string) => (stderr.text += t) }, env });
    const connectionFlags = { accessUrl: standin.accessUrl, account: standin.account, user: u.user, role: u.role, warehouse: u.warehouse };
    const signal = new AbortController().signal;
    return {
      cwd: work.dir, configPath: path.join(work.dir, 'batch-snowflake.json'), json: false, interactive, yes: false, verbose: false, env, output, signal, connectionFlags,
      snowflake: createSnowflakeContext({ connectionFlags, interactive: false, env, output, signal }),
    };
  }

  async function runScripted(script: ScriptedAnswer[] | null, flags: Record<string, unknown>) {
    const stderr = { text: '' };
    const ctx = context(stderr, script !== null);
    const asked: string[] = [];
    const deps = { ...defaultDeps(ctx), prompter: script === null ? null : createScriptedPrompter(script, asked) };
    const outcome = await runInit({ skipImage: false, restApiKeyStdin: false, runNow: false, ...flags } as never, ctx, deps).catch((e: unknown) => e);
    return { outcome, asked, stderr: stderr.text, left: script ?? [] };
  }

  it('offers the external runner; yes plans the stream and state tables only, with no pool, image, integration or task', async () => {
    const { outcome, asked, left, stderr } = await runScripted(
      [
        { match: OFFER, answer: true },
        { match: 'Schema for the integration objects', answer: 'DEMO_DB.BATCH_SYNC' },
        { match: 'What should Batch receive?', answer: 'profile' },
        { match: 'Date attributes', answer: [] },
        { match: 'URL attributes', answer: [] },
        { match: 'Where should each sync run get the Batch REST API key', answer: 'none' },
        { match: 'initial backfill', answer: true },
        { match: 'Alerts from Snowflake', answer: 'none' },
      ],
      { ...FLAGS },
    );
    expect(outcome, String((outcome as Error)?.message)).not.toBeInstanceOf(Error);
    expect(asked[0]).toContain(OFFER);
    expect(stderr).toContain('Snowpark Container Services is not available (SHOW COMPUTE POOLS');
    expect(stderr).toContain('Runner external');
    const text = (outcome as { text: string }).text;
    expect(text).toMatch(/CREATE STREAM IF NOT EXISTS DEMO_DB\.BATCH_SYNC\.BATCH_SYNC_STREAM/);
    for (const absent of ['CREATE COMPUTE POOL', 'CREATE IMAGE REPOSITORY', 'CREATE NETWORK RULE', 'EXTERNAL ACCESS INTEGRATION', 'CREATE TASK', 'CREATE OR ALTER TASK']) expect(text).not.toContain(absent);
    expect(existsSync(path.join(work.dir, 'batch-snowflake.json'))).toBe(false); // a dry run
    expect(left).toEqual([]);
  });

  it('declining the offer stops with the preflight error and its fix; nothing is written', async () => {
    const { outcome } = await runScripted([{ match: OFFER, answer: false }], { ...FLAGS });
    expect(outcome).toBeInstanceOf(UserError);
    expect((outcome as UserError).code).toBe('PREFLIGHT_SPCS');
    expect((outcome as UserError).suggestion).toContain('--runner external');
    expect(existsSync(path.join(work.dir, 'batch-snowflake.json'))).toBe(false);
  });

  it('without prompts (--no-interactive): no question, the error names --runner external', async () => {
    const { outcome } = await runScripted(null, { ...FLAGS });
    expect(outcome).toBeInstanceOf(UserError);
    expect((outcome as UserError).code).toBe('PREFLIGHT_SPCS');
    expect((outcome as UserError).suggestion).toContain('Rerun with --runner external');
  });
});
