/**
 * init's introspection finds the view's base tables with GET_OBJECT_REFERENCES on a connection WITHOUT a current
 * database (init never runs USE DATABASE), for mixed-case names, and goes on when the function errors
 * (https://docs.snowflake.com/en/sql-reference/functions/get_object_references). Real driver, stand-in over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { introspectLiveState, objectReferencesSql } from '../../src/introspect/read-live-state.js';
import { InitAnswersSchema } from '../../src/config/answers.js';
import { resolveNames } from '../../src/plan/names.js';
import { connect } from '../../shared/snowflake/client.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { DEFAULT_ACCOUNT_NAME, defaultUserConfig, startSnowflakeStandin, type SnowflakeStandin } from '../../standins/snowflake/index.js';
import type { SnowflakeEngine } from '../../standins/snowflake/engine/index.js';
import { login } from '../../standins/snowflake/engine/testing.js';
import { BASE_ANSWERS } from '../plan/fixtures.js';

let standin: SnowflakeStandin;
let session: SnowflakeSession;

const namesFor = (view: string) => resolveNames(InitAnswersSchema.parse({ ...BASE_ANSWERS, target: 'SYNC_DB.BATCH_SYNC', source: { kind: 'view', view } }));

beforeAll(async () => {
  // The user has no default database or schema: the session has no current database, like many real users.
  standin = await startSnowflakeStandin({ seed: 'empty', account: { name: DEFAULT_ACCOUNT_NAME, users: [{ ...defaultUserConfig(), defaultDatabase: null, defaultSchema: null }] } });
  const setup = await login(standin.engine as SnowflakeEngine);
  for (const sql of [
    'CREATE DATABASE "Sales Db"',
    'CREATE SCHEMA "Sales Db"."Raw"',
    'CREATE TABLE "Sales Db"."Raw"."Orders" (ID NUMBER, EMAIL VARCHAR)',
    'CREATE VIEW "Sales Db".PUBLIC."Orders V" AS SELECT ID, EMAIL FROM "Sales Db"."Raw"."Orders"',
  ]) await setup.run(sql);
  await setup.raw.close();
  const admin = await login(standin.engine as SnowflakeEngine, { role: 'ACCOUNTADMIN' as never });
  await admin.run('CREATE SECURE VIEW "Sales Db".PUBLIC.HIDDEN AS SELECT ID, EMAIL FROM "Sales Db"."Raw"."Orders"');
  await admin.run('CREATE VIEW "Sales Db".PUBLIC.OVER_HIDDEN AS SELECT ID, EMAIL FROM "Sales Db".PUBLIC.HIDDEN');
  await admin.run('GRANT OWNERSHIP ON VIEW "Sales Db".PUBLIC.OVER_HIDDEN TO ROLE SYSADMIN');
  await admin.raw.close();
  const user = standin.defaultUser;
  session = await connect({ account: standin.account, accessUrl: standin.accessUrl, username: user.user, password: user.password, role: 'SYSADMIN', warehouse: user.warehouse });
});

afterAll(async () => {
  await session?.destroy();
  await standin?.close();
});

describe('base tables of the view (GET_OBJECT_REFERENCES)', () => {
  it('is qualified with the view database and quotes mixed-case names inside the literals', () => {
    expect(objectReferencesSql(['Sales Db', 'PUBLIC', 'Orders V'])).toBe(
      `SELECT * FROM TABLE("Sales Db".INFORMATION_SCHEMA.GET_OBJECT_REFERENCES(DATABASE_NAME => '"Sales Db"', SCHEMA_NAME => 'PUBLIC', OBJECT_NAME => '"Orders V"'))`,
    );
  });

  it('finds the base table on a session without a current database', async () => {
    const { rows } = await session.query<{ DATABASE_NAME: unknown }>('SELECT CURRENT_DATABASE() AS DATABASE_NAME');
    expect(rows[0]!.DATABASE_NAME).toBeNull();
    const fallbacks: string[] = [];
    const live = await introspectLiveState(session, namesFor('"Sales Db".PUBLIC."Orders V"'), { credentials: 'secret', wantedHosts: [], onFallback: (m) => fallbacks.push(m) });
    expect(fallbacks).toEqual([]);
    expect(live.baseTables).toEqual([{ name: ['Sales Db', 'Raw', 'Orders'], changeTracking: false }]);
  });

  it('goes on, and says why, when the function errors (a secure view the role does not own)', async () => {
    const fallbacks: string[] = [];
    const live = await introspectLiveState(session, namesFor('"Sales Db".PUBLIC.OVER_HIDDEN'), { credentials: 'secret', wantedHosts: [], onFallback: (m) => fallbacks.push(m) });
    expect(live.view).toBeDefined();
    expect(live.baseTables).toEqual([]);
    expect(fallbacks).toHaveLength(1);
    expect(fallbacks[0]).toContain('GET_OBJECT_REFERENCES failed for view "Sales Db".PUBLIC.OVER_HIDDEN');
    expect(fallbacks[0]).toContain("Insufficient privileges to operate on view 'HIDDEN'");
  });
});
