/**
 * The interactive path with a scripted prompter (runInit, the same code main() runs): prompts appear only
 * for answers not given as flags, defaults come from the data, and Ctrl-C at a prompt aborts cleanly with
 * nothing written. (Driving the real terminal with tmux is a separate suite.)
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/runtime/context.js';
import { createSnowflakeContext } from '../../src/runtime/snowflake-context.js';
import { UserError } from '../../shared/errors.js';
import { defaultDeps, runInit } from '../../src/commands/init.js';
import { createOutput } from '../../src/adapters/ui/output.js';
import { CANCEL, createScriptedPrompter, type ScriptedAnswer } from './scripted-prompter.js';
import { READ_ONLY, startRecordingStandin, tempDir, type RecordingStandin } from './support.js';

describe('init, interactive', () => {
  let sf: RecordingStandin;
  let work: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    sf = await startRecordingStandin();
    work = await tempDir('bs-init-interactive-');
  });
  afterAll(async () => {
    await sf?.close();
    await work?.cleanup();
  });

  function context(stderr: { text: string }): CommandContext {
    const u = sf.standin.defaultUser;
    const env = { HOME: work.dir, SNOWFLAKE_PASSWORD: u.password, SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true' };
    const output = createOutput({ json: false, verbose: false, stdout: { write: () => true }, stderr: { write: (t: string) => (stderr.text += t) }, env });
    const connectionFlags = { accessUrl: sf.standin.accessUrl, account: sf.standin.account, user: u.user, role: u.role, warehouse: u.warehouse };
    const signal = new AbortController().signal;
    return {
      cwd: work.dir, configPath: path.join(work.dir, 'batch-snowflake.json'), json: false, interactive: true, yes: false, verbose: false, env, output, signal, connectionFlags,
      snowflake: createSnowflakeContext({ connectionFlags, interactive: false, env, output, signal }),
    };
  }

  async function runScripted(script: ScriptedAnswer[], flags: Record<string, unknown>) {
    const stderr = { text: '' };
    const ctx = context(stderr);
    const asked: string[] = [];
    const deps = { ...defaultDeps(ctx), prompter: createScriptedPrompter(script, asked) };
    const outcome = await runInit({ dryRun: false, skipImage: false, restApiKeyStdin: false, runNow: false, ...flags } as never, ctx, deps).catch((e: unknown) => e);
    return { outcome, asked, stderr: stderr.text, left: script };
  }

  it('asks only what flags did not answer, offering defaults read from the data, and can dry-run the result', async () => {
    const { outcome, asked, left } = await runScripted(
      [
        { match: 'What should Batch receive?', answer: 'profile' },
        { match: 'Which column holds the Batch custom user ID?', answer: 'CUSTOMER_ID' },
        { match: 'Date attributes', answer: ['SIGNUP_DATE'] },
        { match: 'URL attributes', answer: ['PROFILE_URL'] },
        { match: 'Batch project key', answer: 'PK_INTERACTIVE' },
        { match: 'Where should the Batch REST API key be stored', answer: 'table' },
        { match: 'Compute pool', answer: 'BATCH_SYNC_POOL' },
        { match: 'Image repository', answer: 'BATCH_SYNC_REPOSITORY' },
        { match: 'How often', answer: '30 MINUTE' },
        { match: 'initial backfill', answer: false },
        { match: 'Alerts from Snowflake', answer: 'none' },
      ],
      { view: 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES', target: 'DEMO_DB.PUBLIC', imageTag: 'i1', dryRun: true },
    );
    expect(left).toEqual([]);
    expect(asked.some((q) => q.includes('Which data should be synced'))).toBe(false); // --view was given
    expect(outcome).not.toBeInstanceOf(Error);
    const text = (outcome as { text: string }).text;
    expect(text).toContain("SCHEDULE = '30 MINUTE'");
    expect(text).toContain('--api-credentials-table');
    expect(text).not.toContain('SHOW_INITIAL_ROWS = TRUE');
    expect(existsSync(path.join(work.dir, 'batch-snowflake.json'))).toBe(false);
  });

  it('asks where alerts go on a first install: email and a webhook (URL hidden), planned with the secret as a placeholder', async () => {
    const { outcome, left } = await runScripted(
      [
        { match: 'What should Batch receive?', answer: 'profile' },
        { match: 'Which column holds the Batch custom user ID?', answer: 'CUSTOMER_ID' },
        { match: 'Date attributes', answer: [] },
        { match: 'URL attributes', answer: [] },
        { match: 'Batch project key', answer: 'PK_ALERTS' },
        { match: 'Where should the Batch REST API key be stored', answer: 'table' },
        { match: 'Compute pool', answer: 'BATCH_SYNC_POOL' },
        { match: 'Image repository', answer: 'BATCH_SYNC_REPOSITORY' },
        { match: 'How often', answer: '60 MINUTE' },
        { match: 'initial backfill', answer: true },
        { match: 'Alerts from Snowflake', answer: 'both' },
        { match: 'Email address for alerts', answer: 'sandbox.user@example.com' },
        { match: 'Webhook URL for alerts', answer: 'https://hooks.slack.com/services/T1/B1/typedSecret' },
      ],
      { view: 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES', target: 'DEMO_DB.PUBLIC', imageTag: 'i1', dryRun: true },
    );
    expect(left).toEqual([]);
    expect(outcome).not.toBeInstanceOf(Error);
    const text = (outcome as { text: string }).text;
    expect(text).toContain("ALLOWED_RECIPIENTS = ('sandbox.user@example.com')");
    expect(text).toContain("WEBHOOK_URL = 'https://hooks.slack.com/services/SNOWFLAKE_WEBHOOK_SECRET'");
    expect(text).toContain('CREATE OR REPLACE ALERT DEMO_DB.PUBLIC.BATCH_SYNC_ALERT_RUN_FAILED');
    expect(text).not.toContain('typedSecret');
  });

  it('Ctrl-C at a prompt aborts with exit code 130, changes nothing and writes no file', async () => {
    sf.statements.length = 0;
    const { outcome } = await runScripted([{ match: 'Which data should be synced', answer: CANCEL }], {});
    expect(outcome).toBeInstanceOf(UserError);
    expect((outcome as UserError).kind).toBe('aborted');
    expect((outcome as UserError).exitCode).toBe(130);
    expect(sf.statements.filter((s) => !READ_ONLY.test(s))).toEqual([]);
    expect(existsSync(path.join(work.dir, 'batch-snowflake.json'))).toBe(false);
  });
});
