/**
 * `init --kind event` through the real CLI, the real snowflake-sdk and the stand-in (dry run): the APPEND_ONLY
 * stream and the event-mode task in the plan, the event preview (exact operations, "updates and deletes are
 * not events", the warning on rows older than 24 h), and the refusal of a source without an event time column.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../shared/snowflake/client.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { connectionArgs, READ_ONLY, runCli, startRecordingStandin, tempDir, type RecordingStandin } from '../init/support.js';
import { createEventSource, insertEvents, utcText } from './helpers/events-env.js';

let sf: RecordingStandin;
let admin: SnowflakeSession;
let work: Awaited<ReturnType<typeof tempDir>>;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  sf = await startRecordingStandin();
  const u = sf.standin.defaultUser;
  admin = await connect({ account: sf.standin.account, accessUrl: sf.standin.accessUrl, username: u.user, password: u.password, role: u.role, warehouse: u.warehouse, database: u.database, schema: u.schema });
  await createEventSource(admin);
  await insertEvents(admin, [
    { user: 'u1', name: 'purchase', time: utcText(-60_000), amount: 12.5, label: 'web', tagsSql: `ARRAY_CONSTRUCT('promo')` },
    { user: 'u1', name: 'purchase', time: utcText(-120_000), amount: 3 },
    { user: 'u2', name: 'Bad Name', time: utcText(-60_000) },
    { user: 'u3', name: 'purchase', time: utcText(-30 * 3_600_000) },
  ]);
  await admin.query('CREATE OR REPLACE VIEW DEMO_DB.PUBLIC.ORDER_EVENTS_NO_TIME AS SELECT USER_ID, EVENT_NAME, AMOUNT FROM DEMO_DB.PUBLIC.ORDER_EVENTS');
  work = await tempDir('bs-init-events-');
  env = { PATH: process.env.PATH, HOME: work.dir, SNOWFLAKE_PASSWORD: sf.standin.defaultUser.password, SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true', BATCH_REST_API_KEY: 'rest-key-never-printed-456' };
}, 120_000);
afterAll(async () => {
  await admin?.destroy().catch(() => undefined);
  await sf?.close();
  await work?.cleanup();
});

const EVENT_FLAGS = ['--kind', 'event', '--id-column', 'USER_ID', '--event-name-column', 'EVENT_NAME', '--event-time-column', 'EVENT_TIME', '--label-column', 'LABEL', '--tags-column', 'TAGS', '--url-columns', 'PAGE_URL', '--project-key', 'PROJECT_KEY_EVENTS', '--target', 'DEMO_DB.PUBLIC', '--skip-image', '--image-tag', 'ev1'];

describe('init --kind event', () => {
  it('plans an APPEND_ONLY stream and an event-mode task, previews the events and warns about rows older than 24 h', async () => {
    sf.statements.length = 0;
    const run = await runCli(['init', ...connectionArgs(sf.standin), '--view', 'DEMO_DB.PUBLIC.ORDER_EVENTS_V', ...EVENT_FLAGS, '--dry-run'], { env, cwd: work.dir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/CREATE STREAM IF NOT EXISTS DEMO_DB\.PUBLIC\.BATCH_SYNC_STREAM\s+ON VIEW DEMO_DB\.PUBLIC\.ORDER_EVENTS_V\s+APPEND_ONLY = TRUE\s+SHOW_INITIAL_ROWS = FALSE/);
    expect(run.stdout).toMatch(/- "--kind"\s+- "event"\s+- "--event-name-column"\s+- "EVENT_NAME"\s+- "--event-time-column"\s+- "EVENT_TIME"/);
    expect(run.stdout).not.toContain('"--date-columns"');
    expect(run.stderr).toContain('{"identifiers":{"custom_id":"u1"},"events":[{"name":"purchase"');
    expect(run.stderr).toContain('"$label":"web","$tags":["promo"]');
    expect(run.stderr).toContain('updates and deletes of event rows are not sent');
    expect(run.stderr).toMatch(/1 of the 4 sampled row\(s\) are older than 24 h.*events cannot be backfilled/);
    expect(run.stderr).toMatch(/1 × invalid_event_name/);
    expect(`${run.stdout}${run.stderr}`).not.toContain('rest-key-never-printed-456');
    expect(sf.statements.filter((s) => !READ_ONLY.test(s))).toEqual([]);
  });

  it('refuses a view without the event time column, with the fix', async () => {
    const run = await runCli(['init', ...connectionArgs(sf.standin), '--view', 'DEMO_DB.PUBLIC.ORDER_EVENTS_NO_TIME', ...EVENT_FLAGS.filter((f) => !['--label-column', 'LABEL', '--tags-column', 'TAGS', '--url-columns', 'PAGE_URL'].includes(f)), '--dry-run'], { env, cwd: work.dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no event time column "EVENT_TIME"');
    expect(run.stderr).toContain('--event-time-column EVENT_TIME');
  });

  it('without --event-time-column, a source with no DATE/TIMESTAMP column is refused before any question', async () => {
    const flags = EVENT_FLAGS.filter((f, i, all) => !['--event-time-column', '--label-column', '--tags-column', '--url-columns'].includes(f) && !['--event-time-column', '--label-column', '--tags-column', '--url-columns'].includes(all[i - 1] ?? ''));
    const run = await runCli(['init', ...connectionArgs(sf.standin), '--view', 'DEMO_DB.PUBLIC.ORDER_EVENTS_NO_TIME', ...flags, '--dry-run'], { env, cwd: work.dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no DATE or TIMESTAMP column for the event time');
    expect(run.stderr).toContain('--event-time-column');
    expect(path.basename(work.dir)).toMatch(/^bs-init-events-/);
  });
});
