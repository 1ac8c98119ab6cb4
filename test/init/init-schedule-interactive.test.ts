/**
 * The wizard's schedule question (runInit with a scripted prompter, as main() runs it): the modes table (latency
 * and cost side by side) is printed before the question, and `triggered` picked there on an account without
 * triggered tasks stops before the plan with the preflight's answer and the scheduled mode as the fix; nothing
 * is created and no file is written.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/runtime/context.js';
import { createSnowflakeContext } from '../../src/runtime/snowflake-context.js';
import { UserError } from '../../shared/errors.js';
import { defaultDeps, runInit } from '../../src/commands/init.js';
import { createOutput } from '../../src/adapters/ui/output.js';
import { startSnowflakeStandin, type SnowflakeStandin } from '../../standins/snowflake/index.js';
import type { SnowflakeEngine } from '../../standins/snowflake/engine/index.js';
import { createScriptedPrompter } from './scripted-prompter.js';
import { tempDir } from './support.js';

let sf: SnowflakeStandin;
let work: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  sf = await startSnowflakeStandin({ seed: 'demo', triggeredTasks: false });
  work = await tempDir('bs-init-schedule-');
});
afterAll(async () => {
  await sf?.close();
  await work?.cleanup();
});

function context(stderr: { text: string }): CommandContext {
  const u = sf.defaultUser;
  const env = { HOME: work.dir, SNOWFLAKE_PASSWORD: u.password, SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true', BATCH_REST_API_KEY: 'restkey0123456789abcdef' };
  const output = createOutput({ json: false, verbose: false, stdout: { write: () => true }, stderr: { write: (t: string) => (stderr.text += t) }, env });
  const connectionFlags = { accessUrl: sf.accessUrl, account: sf.account, user: u.user, role: u.role, warehouse: u.warehouse };
  const signal = new AbortController().signal;
  return {
    cwd: work.dir, configPath: path.join(work.dir, 'batch-snowflake.json'), json: false, interactive: true, yes: false, verbose: false, env, output, signal, connectionFlags,
    snowflake: createSnowflakeContext({ connectionFlags, interactive: false, env, output, signal }),
  };
}

describe('init, the schedule question', () => {
  it('shows the modes table; triggered on an account without it stops before the plan, nothing written', async () => {
    const stderr = { text: '' };
    const ctx = context(stderr);
    const script = [
      { match: 'What should Batch receive?', answer: 'profile' },
      { match: 'Which column holds the Batch custom user ID?', answer: 'CUSTOMER_ID' },
      { match: 'Date attributes', answer: [] },
      { match: 'URL attributes', answer: [] },
      { match: 'Batch project key', answer: 'PK_SCHEDULE' },
      { match: 'Where should the Batch REST API key be stored', answer: 'secret' },
      { match: 'Compute pool', answer: 'BATCH_SYNC_POOL' },
      { match: 'Image repository', answer: 'BATCH_SYNC_REPOSITORY' },
      { match: 'How often', answer: 'triggered' },
      { match: 'initial backfill', answer: false },
      { match: 'Alerts from Snowflake', answer: 'none' },
    ];
    const deps = { ...defaultDeps(ctx), prompter: createScriptedPrompter(script) };
    const outcome = await runInit({ dryRun: false, skipImage: true, imageTag: '0.1.0', restApiKeyStdin: false, runNow: false, view: 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES', target: 'DEMO_DB.BATCH_SYNC' } as never, ctx, deps).catch((e: unknown) => e);
    expect(script).toEqual([]);
    expect(stderr.text).toMatch(/Schedule modes:\n\s+mode\s+latency \(change → Batch\)\s+cost\n\s+scheduled .*\n\s+triggered .*\n\s+continuous .*1\.44 credits\/day/);
    expect(outcome).toBeInstanceOf(UserError);
    expect((outcome as UserError).code).toBe('PREFLIGHT_TRIGGERED');
    expect((outcome as UserError).suggestion).toContain('--schedule "1 MINUTE"');
    expect(existsSync(path.join(work.dir, 'batch-snowflake.json'))).toBe(false);
    expect((sf.engine as SnowflakeEngine).core.catalog.schema('DEMO_DB', 'BATCH_SYNC')).toBeUndefined();
  }, 60_000);
});
