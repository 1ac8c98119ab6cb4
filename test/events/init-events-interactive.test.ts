/** The wizard's event questions with a scripted prompter (runInit, the code main() runs), dry run. */
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createOutput } from '../../src/adapters/ui/output.js';
import { defaultDeps, runInit } from '../../src/commands/init.js';
import type { CommandContext } from '../../src/runtime/context.js';
import { createSnowflakeContext } from '../../src/runtime/snowflake-context.js';
import { connect } from '../../shared/snowflake/client.js';
import { createScriptedPrompter } from '../init/scripted-prompter.js';
import { READ_ONLY, startRecordingStandin, tempDir, type RecordingStandin } from '../init/support.js';
import { createEventSource, insertEvents, utcText } from './helpers/events-env.js';

let sf: RecordingStandin;
let work: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  sf = await startRecordingStandin();
  const u = sf.standin.defaultUser;
  const admin = await connect({ account: sf.standin.account, accessUrl: sf.standin.accessUrl, username: u.user, password: u.password, role: u.role, warehouse: u.warehouse, database: u.database, schema: u.schema });
  await createEventSource(admin);
  await insertEvents(admin, [
    { user: 'u1', name: 'purchase', time: utcText(-60_000), amount: 5, label: 'app' },
    { user: 'u1', name: 'refund', time: utcText(-30_000), amount: 5 },
  ]);
  await admin.destroy();
  work = await tempDir('bs-init-events-tty-');
}, 120_000);
afterAll(async () => {
  await sf?.close();
  await work?.cleanup();
});

it('asks what to sync, then the event columns, and plans an APPEND_ONLY event sync without initial backfill', async () => {
  const u = sf.standin.defaultUser;
  let stderr = '';
  const env = { HOME: work.dir, SNOWFLAKE_PASSWORD: u.password, SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true' };
  const output = createOutput({ json: false, verbose: false, stdout: { write: () => true }, stderr: { write: (t: string) => (stderr += t) }, env });
  const connectionFlags = { accessUrl: sf.standin.accessUrl, account: sf.standin.account, user: u.user, role: u.role, warehouse: u.warehouse };
  const signal = new AbortController().signal;
  const ctx: CommandContext = {
    cwd: work.dir, configPath: path.join(work.dir, 'batch-snowflake.json'), json: false, interactive: true, yes: false, verbose: false, env, output, signal, connectionFlags,
    snowflake: createSnowflakeContext({ connectionFlags, interactive: false, env, output, signal }),
  };
  const script = [
    { match: 'What should Batch receive?', answer: 'event' },
    { match: 'Which column holds the Batch custom user ID?', answer: 'USER_ID' },
    { match: 'Date attributes', answer: [] },
    { match: 'URL attributes', answer: [] },
    { match: 'Which column holds the event name?', answer: 'EVENT_NAME' },
    { match: 'When did the event happen', answer: 'EVENT_TIME' },
    { match: '$label', answer: 'LABEL' },
    { match: '$tags', answer: '(none)' },
    { match: 'Event attributes', answer: ['AMOUNT'] },
    { match: 'Batch project key', answer: 'PK_EVENTS' },
    { match: 'Where should the Batch REST API key be stored', answer: 'table' },
    { match: 'Compute pool', answer: 'BATCH_SYNC_POOL' },
    { match: 'Image repository', answer: 'BATCH_SYNC_REPOSITORY' },
    { match: 'How often', answer: '60 MINUTE' },
    { match: 'Alerts from Snowflake', answer: 'none' },
  ];
  const asked: string[] = [];
  sf.statements.length = 0;
  const deps = { ...defaultDeps(ctx), prompter: createScriptedPrompter(script, asked) };
  const outcome = await runInit({ dryRun: true, skipImage: true, restApiKeyStdin: false, runNow: false, view: 'DEMO_DB.PUBLIC.ORDER_EVENTS_V', target: 'DEMO_DB.PUBLIC', imageTag: 'e1' } as never, ctx, deps).catch((e: unknown) => e);
  expect(outcome, stderr).not.toBeInstanceOf(Error);
  expect(script).toEqual([]);
  expect(asked.some((q) => q.includes('initial backfill'))).toBe(false);
  const text = (outcome as { text: string }).text;
  expect(text).toMatch(/APPEND_ONLY = TRUE\s+SHOW_INITIAL_ROWS = FALSE/);
  expect(text).toMatch(/"--kind"\s+- "event"\s+- "--event-name-column"\s+- "EVENT_NAME"\s+- "--event-time-column"\s+- "EVENT_TIME"\s+- "--event-attribute-columns"\s+- "AMOUNT"\s+- "--label-column"\s+- "LABEL"/);
  expect(stderr).toContain('"events":[{"name":"purchase"');
  expect(stderr).toContain('"attributes":{"amount":5,"$label":"app"}');
  expect(sf.statements.filter((s) => !READ_ONLY.test(s))).toEqual([]);
});
