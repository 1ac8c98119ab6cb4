/**
 * Account profiles through the real snowflake-sdk: the privilege errors the wizard must explain, inherited
 * grants as SHOW GRANTS shows them (direct only, roles as USAGE on ROLE, reference §6.4), SPCS off (§2.1),
 * ACCOUNTADMIN refused for services (§6.3).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSnowflakeStandin, type SnowflakeStandin } from '../../standins/snowflake/index.js';
import { connect, destroy, query, standinOptions, type Connection } from '../../standins/snowflake/driver-helpers.js';

const POOL = 'CREATE COMPUTE POOL SYNC_POOL MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_XS INITIALLY_SUSPENDED = TRUE AUTO_SUSPEND_SECS = 300';
const EAI = "CREATE NETWORK RULE DEMO_DB.PUBLIC.EGRESS TYPE = HOST_PORT MODE = EGRESS VALUE_LIST = ('api.example.com')";
const JOB = `EXECUTE JOB SERVICE IN COMPUTE POOL SYNC_POOL NAME = PROBE_JOB FROM SPECIFICATION $$
spec:
  containers:
  - name: main
    image: /demo_db/public/repo/probe:1
$$`;

async function open(options: Parameters<typeof startSnowflakeStandin>[0]): Promise<{ standin: SnowflakeStandin; conn: Connection; run: (sql: string) => Promise<Array<Record<string, unknown>>> }> {
  const standin = await startSnowflakeStandin(options);
  const conn = await connect(standinOptions(standin));
  return { standin, conn, run: async (sql) => (await query(conn, sql)).rows };
}

const grantRows = (rows: Array<Record<string, unknown>>) => rows.map((r) => `${String(r.privilege)} ${String(r.granted_on)} ${String(r.name)}`);

describe('restricted profile', () => {
  let t: Awaited<ReturnType<typeof open>>;
  beforeAll(async () => {
    t = await open({ profile: 'restricted', registry: { host: '127.0.0.1:5999', username: 'SANDBOX_USER', password: 'unused-registry-password' } });
  });
  afterAll(async () => {
    await destroy(t.conn);
    await t.standin.close();
  });

  it('logs in with SYNC_ROLE and reads the view through the inherited DATA_READER role', async () => {
    expect(t.standin.defaultUser.role).toBe('SYNC_ROLE');
    expect(await t.run('SELECT CURRENT_ROLE() AS R')).toEqual([{ R: 'SYNC_ROLE' }]);
    expect(await t.run('SELECT COUNT(*) AS N FROM DEMO_DB.PUBLIC.CUSTOMER_PROFILES')).toEqual([{ N: 1000 }]);
  });

  it('refuses account privileges it lacks with 003001 on the account', async () => {
    await expect(t.run(POOL)).rejects.toMatchObject({ code: '003001', sqlState: '42501', message: "SQL access control error:\nInsufficient privileges to operate on account 'SANDBOX'" });
    await t.run(EAI);
    await expect(t.run('CREATE EXTERNAL ACCESS INTEGRATION SYNC_EAI ALLOWED_NETWORK_RULES = (DEMO_DB.PUBLIC.EGRESS) ENABLED = TRUE'))
      .rejects.toMatchObject({ code: '003001', message: expect.stringContaining("operate on account 'SANDBOX'") });
  });

  it('cannot enable change tracking on a view it does not own, nor resume a task without EXECUTE TASK', async () => {
    await expect(t.run('CREATE STREAM DEMO_DB.PUBLIC.S ON VIEW DEMO_DB.PUBLIC.CUSTOMER_PROFILES')).rejects.toMatchObject({ code: '003001' });
    await t.run("CREATE TASK DEMO_DB.PUBLIC.T WAREHOUSE = SANDBOX_WH SCHEDULE = '60 MINUTE' AS SELECT 1");
    await expect(t.run('ALTER TASK DEMO_DB.PUBLIC.T RESUME')).rejects.toMatchObject({ code: '003001', message: expect.stringContaining('EXECUTE TASK privilege must be granted to owner role') });
    await expect(t.run('EXECUTE TASK DEMO_DB.PUBLIC.T')).rejects.toMatchObject({ message: expect.stringContaining('EXECUTE TASK privilege') });
    expect((await t.run("SHOW TASKS LIKE 'T'"))[0]).toMatchObject({ state: 'suspended', owner: 'SYNC_ROLE' });
  });

  it('shows direct grants only, inherited roles as USAGE on ROLE', async () => {
    const own = grantRows(await t.run('SHOW GRANTS TO ROLE SYNC_ROLE'));
    expect(own).toContain('USAGE ROLE DATA_READER');
    expect(own).toContain('CREATE SERVICE SCHEMA DEMO_DB.PUBLIC');
    expect(own).toContain('USAGE WAREHOUSE SANDBOX_WH');
    expect(own.some((g) => g.startsWith('SELECT'))).toBe(false);
    const reader = grantRows(await t.run('SHOW GRANTS TO ROLE DATA_READER'));
    expect(reader).toEqual(expect.arrayContaining(['SELECT VIEW DEMO_DB.PUBLIC.CUSTOMER_PROFILES', 'USAGE DATABASE DEMO_DB', 'USAGE SCHEMA DEMO_DB.PUBLIC']));
    const [first] = await t.run('SHOW GRANTS TO ROLE DATA_READER');
    expect(Object.keys(first!)).toEqual(['created_on', 'privilege', 'granted_on', 'name', 'granted_to', 'grantee_name', 'grant_option', 'granted_by']);
    const user = await t.run('SHOW GRANTS TO USER SANDBOX_USER');
    expect(user.map((r) => r.role)).toEqual(['SYNC_ROLE']);
    const roles = await t.run('SHOW ROLES');
    expect(roles.find((r) => r.name === 'DATA_READER')).toMatchObject({ is_inherited: 'Y', is_current: 'N' });
  });

  it('refuses roles the user does not have, and grants it may not make', async () => {
    await expect(t.run('USE ROLE ACCOUNTADMIN')).rejects.toMatchObject({ code: '003013', message: expect.stringContaining("Requested role 'ACCOUNTADMIN' is not assigned") });
    await expect(connect(standinOptions(t.standin, { role: 'SYSADMIN' }))).rejects.toMatchObject({ code: '390189' });
    await expect(t.run('GRANT EXECUTE TASK ON ACCOUNT TO ROLE SYNC_ROLE')).rejects.toMatchObject({ code: '003102', message: 'Grant not executed: Insufficient privileges.' });
    await expect(t.run('GRANT SELECT ON TABLE DEMO_DB.PUBLIC.CUSTOMERS TO ROLE SYNC_ROLE')).rejects.toMatchObject({ code: '003102' });
  });

  it('hides objects the role has no privilege on and refuses DML it was not granted', async () => {
    await t.standin.runtime!.runAsAdmin('CREATE TABLE DEMO_DB.PUBLIC.SECRET_TABLE (ID INT)');
    await expect(t.run('SELECT * FROM DEMO_DB.PUBLIC.SECRET_TABLE')).rejects.toMatchObject({ code: '002003', message: expect.stringContaining('does not exist or not authorized') });
    expect(await t.run("SHOW TABLES LIKE 'SECRET_TABLE' IN SCHEMA DEMO_DB.PUBLIC")).toEqual([]);
    await expect(t.run('DELETE FROM DEMO_DB.PUBLIC.CUSTOMERS')).rejects.toMatchObject({ code: '003001', message: expect.stringContaining("operate on table 'CUSTOMERS'") });
  });

  it('succeeds once an administrator grants the missing privilege; image repositories name the registry', async () => {
    await t.standin.runtime!.runAsAdmin('GRANT CREATE COMPUTE POOL ON ACCOUNT TO ROLE SYNC_ROLE');
    await t.run(POOL);
    const [pool] = await t.run('SHOW COMPUTE POOLS');
    expect(pool).toMatchObject({ name: 'SYNC_POOL', state: 'SUSPENDED', instance_family: 'CPU_X64_XS', min_nodes: 1, max_nodes: 1, auto_suspend_secs: 300, owner: 'SYNC_ROLE' });
    await t.run('CREATE IMAGE REPOSITORY DEMO_DB.PUBLIC.REPO');
    const [repo] = await t.run('SHOW IMAGE REPOSITORIES IN SCHEMA DEMO_DB.PUBLIC');
    // repository_url names the account's registry host: the stand-in's token gateway in front of the registry.
    const gateway = t.standin.registryGateway!.host;
    expect(gateway).not.toBe('127.0.0.1:5999');
    expect(repo!.repository_url).toBe(`${gateway}/demo_db/public/repo`);
  });
});

describe('admin-only profile', () => {
  let t: Awaited<ReturnType<typeof open>>;
  beforeAll(async () => {
    t = await open({ profile: 'admin-only' });
  });
  afterAll(async () => {
    await destroy(t.conn);
    await t.standin.close();
  });

  it('ACCOUNTADMIN has the privileges but cannot own a service; SYSADMIN lacks them', async () => {
    expect(await t.run('SELECT CURRENT_ROLE() AS R')).toEqual([{ R: 'ACCOUNTADMIN' }]);
    await t.run(POOL);
    await t.run('CREATE IMAGE REPOSITORY DEMO_DB.PUBLIC.REPO');
    await expect(t.run(JOB)).rejects.toMatchObject({ code: '003001', message: expect.stringContaining('privileged role ACCOUNTADMIN') });
    // A task owned by ACCOUNTADMIN is created, but its job is refused when it runs (reference §5.1 INFERENCE, §6.3).
    await t.run(`CREATE TASK DEMO_DB.PUBLIC.ADMIN_TASK WAREHOUSE = SANDBOX_WH SCHEDULE = '60 MINUTE' AS ${JOB}`);
    const tasks = t.standin.runtime!.tasks;
    const after = tasks.lastRunSeq();
    await t.run('EXECUTE TASK DEMO_DB.PUBLIC.ADMIN_TASK');
    expect(await tasks.waitForRun('ADMIN_TASK', { after })).toMatchObject({ state: 'FAILED', errorCode: '003001', errorMessage: expect.stringContaining('privileged role ACCOUNTADMIN') });
    expect(grantRows(await t.run('SHOW GRANTS TO ROLE ACCOUNTADMIN'))).toEqual(expect.arrayContaining(['CREATE COMPUTE POOL ACCOUNT SANDBOX', 'EXECUTE TASK ACCOUNT SANDBOX', 'USAGE ROLE SYSADMIN']));
    await t.run('USE ROLE SYSADMIN');
    await expect(t.run('CREATE COMPUTE POOL P2 MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_XS')).rejects.toMatchObject({ code: '003001' });
    await expect(t.run('CREATE EXTERNAL ACCESS INTEGRATION E2 ALLOWED_NETWORK_RULES = () ENABLED = TRUE')).rejects.toMatchObject({ code: '003001' });
    expect(grantRows(await t.run('SHOW GRANTS TO ROLE SYSADMIN')).filter((g) => g.endsWith('ACCOUNT SANDBOX'))).toEqual(['CREATE DATABASE ACCOUNT SANDBOX', 'CREATE WAREHOUSE ACCOUNT SANDBOX']);
  });
});

describe('full profile with SPCS off', () => {
  let t: Awaited<ReturnType<typeof open>>;
  beforeAll(async () => {
    t = await open({ profile: 'full', spcs: false });
  });
  afterAll(async () => {
    await destroy(t.conn);
    await t.standin.close();
  });

  it('fails every SPCS statement with 395054 and keeps the rest working', async () => {
    for (const sql of ['SHOW COMPUTE POOLS', POOL, 'CREATE IMAGE REPOSITORY DEMO_DB.PUBLIC.REPO', 'SHOW IMAGE REPOSITORIES', JOB, 'SHOW JOB SERVICES']) {
      await expect(t.run(sql), sql).rejects.toMatchObject({ code: '395054', message: expect.stringContaining('is not available for this account') });
    }
    await t.run('CREATE DATABASE OTHER_DB');
    expect(grantRows(await t.run('SHOW GRANTS TO ROLE SYSADMIN'))).toEqual(expect.arrayContaining(['CREATE COMPUTE POOL ACCOUNT SANDBOX', 'CREATE INTEGRATION ACCOUNT SANDBOX', 'EXECUTE TASK ACCOUNT SANDBOX', 'OWNERSHIP DATABASE OTHER_DB']));
  });
});
