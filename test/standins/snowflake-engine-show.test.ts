/** Engine catalog: SHOW (lowercase documented columns, LIKE/IN), DESCRIBE, INFORMATION_SCHEMA, SPCS objects, tasks, grants. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnowflakeEngine } from '../../standins/snowflake/engine/index.js';
import { demoEngine, login, type TestSession } from '../../standins/snowflake/engine/testing.js';

let engine: SnowflakeEngine;
let s: TestSession;

beforeAll(async () => {
  engine = await demoEngine('demo');
  s = await login(engine);
  await s.run('CREATE SCHEMA DEMO_DB.SYNC');
  await s.run('USE SCHEMA DEMO_DB.PUBLIC');
});

afterAll(async () => {
  await s.raw.close();
  await engine.close();
});

const names = async (sql: string) => (await s.rows(sql)).map((r) => r.name);

describe('SHOW databases, schemas, tables, views', () => {
  it('uses lowercase column names and filters with LIKE (case-insensitive) and IN', async () => {
    const r = await s.run('SHOW DATABASES');
    expect(r.columns.map((c) => c.name)).toContain('is_current');
    expect(await names("SHOW DATABASES LIKE 'demo%'")).toEqual(['DEMO_DB']);
    expect(await names('SHOW SCHEMAS IN DATABASE DEMO_DB')).toEqual(['INFORMATION_SCHEMA', 'PUBLIC', 'SYNC']);
    expect(await names('SHOW TABLES IN SCHEMA DEMO_DB.PUBLIC')).toEqual(['CUSTOMERS']);
    expect(await names('SHOW TABLES IN SCHEMA DEMO_DB.SYNC')).toEqual([]);
    expect(await names("SHOW VIEWS LIKE '%PROFILES' IN ACCOUNT")).toEqual(['CUSTOMER_PROFILES']);
    const [view] = await s.rows("SHOW VIEWS LIKE 'CUSTOMER_PROFILES'");
    expect(view).toMatchObject({ database_name: 'DEMO_DB', schema_name: 'PUBLIC', owner: 'SYSADMIN', is_secure: 'false', change_tracking: 'OFF', kind: 'VIEW' });
    expect(view!.text).toContain('FROM CUSTOMERS');
    await expect(s.run('SHOW TABLES IN SCHEMA DEMO_DB.NOPE')).rejects.toMatchObject({ code: '002003' });
  });

  it('DESCRIBE VIEW and INFORMATION_SCHEMA.COLUMNS give the column types', async () => {
    const desc = await s.rows('DESC VIEW CUSTOMER_PROFILES');
    expect(desc.map((r) => `${r.name} ${r.type} ${r['null?']}`)).toEqual([
      'CUSTOMER_ID NUMBER(38,0) Y', 'EMAIL VARCHAR(255) Y', 'FIRST_NAME VARCHAR(100) Y', 'LAST_NAME VARCHAR(100) Y', 'SIGNUP_DATE DATE Y',
      'LAST_LOGIN_AT TIMESTAMP_TZ(9) Y', 'PROFILE_URL VARCHAR(16777216) Y', 'LIFETIME_VALUE NUMBER(10,2) Y', 'IS_SUBSCRIBED BOOLEAN Y', 'TAGS ARRAY Y',
    ]);
    const cols = await s.rows("SELECT COLUMN_NAME, DATA_TYPE, NUMERIC_SCALE, IS_NULLABLE FROM DEMO_DB.INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = 'CUSTOMER_PROFILES' ORDER BY ORDINAL_POSITION");
    expect(cols[0]).toEqual({ COLUMN_NAME: 'CUSTOMER_ID', DATA_TYPE: 'NUMBER', NUMERIC_SCALE: '0', IS_NULLABLE: 'YES' });
    expect(cols.filter((c) => ['DATE', 'TIMESTAMP_TZ'].includes(c.DATA_TYPE as string)).map((c) => c.COLUMN_NAME)).toEqual(['SIGNUP_DATE', 'LAST_LOGIN_AT']);
    expect(cols.find((c) => c.COLUMN_NAME === 'EMAIL')!.DATA_TYPE).toBe('TEXT');
  });
});

describe('SPCS objects, warehouses, integrations, secrets (reference §2, §4, §7)', () => {
  it('compute pools: created with their properties, suspended/resumed, dropped', async () => {
    await s.run('CREATE COMPUTE POOL IF NOT EXISTS SYNC_POOL MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_XS AUTO_RESUME = TRUE INITIALLY_SUSPENDED = TRUE AUTO_SUSPEND_SECS = 300');
    const [pool] = await s.rows('SHOW COMPUTE POOLS');
    expect(pool).toMatchObject({ name: 'SYNC_POOL', state: 'SUSPENDED', min_nodes: '1', max_nodes: '1', instance_family: 'CPU_X64_XS', auto_suspend_secs: '300', auto_resume: 'true', owner: 'SYSADMIN' });
    await s.run('ALTER COMPUTE POOL SYNC_POOL RESUME');
    expect((await s.rows("SHOW COMPUTE POOLS LIKE 'sync%'"))[0]!.state).toBe('IDLE');
    await expect(s.run('CREATE COMPUTE POOL P2 MIN_NODES = 1')).rejects.toMatchObject({ code: '001003' });
    await s.run('DROP COMPUTE POOL SYNC_POOL');
    expect(await names('SHOW COMPUTE POOLS')).toEqual([]);
  });

  it('image repositories show a lowercase repository_url', async () => {
    await s.run('CREATE IMAGE REPOSITORY IF NOT EXISTS DEMO_DB.SYNC.REPO');
    const [repo] = await s.rows('SHOW IMAGE REPOSITORIES IN SCHEMA DEMO_DB.SYNC');
    expect(repo!.repository_url).toBe('sandbox-org-sandbox.registry.local/demo_db/sync/repo');
    expect(repo).toMatchObject({ database_name: 'DEMO_DB', schema_name: 'SYNC', encryption: 'SNOWFLAKE_FULL' });
  });

  it('network rules, external access integrations, secrets (value never shown)', async () => {
    await s.run("CREATE OR REPLACE NETWORK RULE DEMO_DB.SYNC.EGRESS TYPE = HOST_PORT MODE = EGRESS VALUE_LIST = ('api.example.com:443', 'example.com')");
    expect((await s.rows('SHOW NETWORK RULES IN SCHEMA DEMO_DB.SYNC'))[0]).toMatchObject({ name: 'EGRESS', type: 'HOST_PORT', mode: 'EGRESS', entries_in_valuelist: '2' });
    await s.run('CREATE EXTERNAL ACCESS INTEGRATION SYNC_EAI ALLOWED_NETWORK_RULES = (DEMO_DB.SYNC.EGRESS) ENABLED = TRUE');
    expect((await s.rows('SHOW INTEGRATIONS'))[0]).toMatchObject({ name: 'SYNC_EAI', type: 'EXTERNAL ACCESS', enabled: 'true' });
    await s.run("CREATE SECRET DEMO_DB.SYNC.API_TOKEN TYPE = GENERIC_STRING SECRET_STRING = 's3cr3t-value'");
    const secrets = await s.run('SHOW SECRETS IN SCHEMA DEMO_DB.SYNC');
    expect(secrets.rows).toHaveLength(1);
    expect(JSON.stringify(secrets.rows, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).not.toContain('s3cr3t-value');
    expect((await s.rows('SHOW SECRETS IN SCHEMA DEMO_DB.SYNC'))[0]!.secret_type).toBe('GENERIC_STRING');
  });

  it('warehouses and roles', async () => {
    expect((await s.rows('SHOW WAREHOUSES'))[0]).toMatchObject({ name: 'SANDBOX_WH', is_current: 'Y', state: 'STARTED' });
    expect(await names('SHOW ROLES')).toEqual(expect.arrayContaining(['ACCOUNTADMIN', 'SYSADMIN', 'PUBLIC']));
  });
});

describe('tasks (reference §5)', () => {
  it('CREATE TASK is stored suspended with schedule and WHEN condition; RESUME/SUSPEND change the lowercase state', async () => {
    await s.run(`CREATE OR REPLACE TASK DEMO_DB.SYNC.SYNC_TASK
      SCHEDULE = '60 MINUTE'
      WHEN SYSTEM$STREAM_HAS_DATA('DEMO_DB.SYNC.S')
      AS EXECUTE JOB SERVICE IN COMPUTE POOL SYNC_POOL FROM SPECIFICATION $$
spec:
  containers:
  - name: main
    image: /demo_db/sync/repo/sync:1
$$`);
    const [task] = await s.rows('SHOW TASKS IN SCHEMA DEMO_DB.SYNC');
    expect(task).toMatchObject({ name: 'SYNC_TASK', state: 'suspended', schedule: '60 MINUTE', condition: "SYSTEM$STREAM_HAS_DATA('DEMO_DB.SYNC.S')" });
    expect(task!.definition).toContain('EXECUTE JOB SERVICE IN COMPUTE POOL SYNC_POOL');
    expect(task!.definition).toContain('image: /demo_db/sync/repo/sync:1');
    await s.run('ALTER TASK DEMO_DB.SYNC.SYNC_TASK RESUME');
    expect((await s.rows('SHOW TASKS IN SCHEMA DEMO_DB.SYNC'))[0]!.state).toBe('started');
    await expect(s.run("ALTER TASK DEMO_DB.SYNC.SYNC_TASK SET SCHEDULE = '5 MINUTE'")).rejects.toMatchObject({ code: '091083' });
    await s.run('ALTER TASK DEMO_DB.SYNC.SYNC_TASK SUSPEND');
    expect((await s.rows('SHOW TASKS IN SCHEMA DEMO_DB.SYNC'))[0]!.state).toBe('suspended');
    await expect(s.run('EXECUTE TASK DEMO_DB.SYNC.SYNC_TASK')).rejects.toMatchObject({ sqlState: '0A000' });
  });
});

describe('grants (reference §6.4)', () => {
  it('SHOW GRANTS TO ROLE lists direct grants, role grants as USAGE on ROLE, and ownership', async () => {
    await s.run('CREATE ROLE SYNC_ROLE');
    await s.run('CREATE ROLE CHILD_ROLE');
    await s.run('GRANT ROLE CHILD_ROLE TO ROLE SYNC_ROLE');
    await s.run('GRANT USAGE ON DATABASE DEMO_DB TO ROLE SYNC_ROLE');
    await s.run('GRANT SELECT ON VIEW DEMO_DB.PUBLIC.CUSTOMER_PROFILES TO ROLE SYNC_ROLE');
    await s.run('GRANT ROLE SYNC_ROLE TO USER SANDBOX_USER');
    const grants = await s.rows('SHOW GRANTS TO ROLE SYNC_ROLE');
    expect(grants.map((g) => [g.privilege, g.granted_on, g.name])).toEqual([
      ['USAGE', 'ROLE', 'CHILD_ROLE'], ['USAGE', 'DATABASE', 'DEMO_DB'], ['SELECT', 'VIEW', 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES'],
    ]);
    expect((await s.rows('SHOW GRANTS TO USER SANDBOX_USER')).map((g) => g.role)).toContain('SYNC_ROLE');
    expect((await s.rows('SHOW GRANTS TO ROLE SYSADMIN')).some((g) => g.privilege === 'OWNERSHIP' && g.name === 'DEMO_DB.PUBLIC.CUSTOMERS')).toBe(true);
    await s.run('REVOKE SELECT ON VIEW DEMO_DB.PUBLIC.CUSTOMER_PROFILES FROM ROLE SYNC_ROLE');
    expect((await s.rows('SHOW GRANTS TO ROLE SYNC_ROLE'))).toHaveLength(2);
  });
});
