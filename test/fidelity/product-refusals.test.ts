/**
 * Issue 14 item 5: the stand-in refuses what Snowflake refuses in the statements the product emits, in accounts
 * shaped like a customer's (restricted role, admin-only), through both drivers. Codes and texts Snowflake does
 * not document are marked; the refusal itself is what each doc states.
 */
import { probeSuite } from './probe-runner.js';

const JOB_DOC = 'https://docs.snowflake.com/en/sql-reference/sql/execute-job-service';
const job = (pool: string, props = '') => `EXECUTE JOB SERVICE IN COMPUTE POOL ${pool} NAME = DEMO_DB.PUBLIC.FID_JOB ${props}FROM SPECIFICATION $$
spec:
  containers:
  - name: main
    image: /demo_db/public/repo/probe:1
$$`;

// SYNC_ROLE may see ADMIN_POOL (MONITOR) but not use it; OTHER_POOL is invisible to it.
const restricted = {
  name: 'fidelity-restricted',
  description: 'SYNC_ROLE sees ADMIN_POOL but may not use it',
  defaultRole: 'SYNC_ROLE',
  userRoles: ['SYNC_ROLE'],
  setup: [
    'CREATE ROLE SYNC_ROLE', 'GRANT USAGE ON DATABASE DEMO_DB TO ROLE SYNC_ROLE', 'GRANT USAGE ON SCHEMA DEMO_DB.PUBLIC TO ROLE SYNC_ROLE',
    'GRANT USAGE ON WAREHOUSE SANDBOX_WH TO ROLE SYNC_ROLE', 'GRANT SELECT ON VIEW DEMO_DB.PUBLIC.CUSTOMER_PROFILES TO ROLE SYNC_ROLE',
    'GRANT CREATE STREAM, CREATE SERVICE, CREATE TASK ON SCHEMA DEMO_DB.PUBLIC TO ROLE SYNC_ROLE',
    'CREATE COMPUTE POOL ADMIN_POOL MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_XS', 'GRANT MONITOR ON COMPUTE POOL ADMIN_POOL TO ROLE SYNC_ROLE',
    'CREATE COMPUTE POOL OTHER_POOL MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_XS',
  ],
};

probeSuite('product statements refused in a restricted account', [
  {
    title: `EXECUTE JOB SERVICE in a pool the role cannot see: 002003 "does not exist or not authorized" (${JOB_DOC}: USAGE or OWNERSHIP on the pool is required)`,
    sql: job('OTHER_POOL'),
    error: { code: '002003', sqlState: '02000', message: /^SQL compilation error:\nCompute pool 'OTHER_POOL' does not exist or not authorized\.$/ },
  },
  {
    title: `EXECUTE JOB SERVICE in a pool the role sees (MONITOR) but may not use: 003001 insufficient privileges (${JOB_DOC}; text per https://docs.snowflake.com/en/user-guide/security-access-control-overview)`,
    sql: job('ADMIN_POOL'),
    error: { code: '003001', sqlState: '42501', message: /^SQL access control error:\nInsufficient privileges to operate on compute pool 'ADMIN_POOL'$/ },
  },
  {
    title: `a misspelt EXECUTE JOB SERVICE property (QUERY_WAREHOUSES) is a syntax error (${JOB_DOC}; docs silent on the text: stricter choice)`,
    sql: job('ADMIN_POOL', 'QUERY_WAREHOUSES = SANDBOX_WH '),
    error: { code: '001003', sqlState: '42000', message: /syntax error line 1 at position \d+ unexpected 'QUERY_WAREHOUSES'/ },
  },
  {
    title: 'a stream on a view whose base table lacks change tracking, by a role that does not own it, is refused (https://docs.snowflake.com/en/sql-reference/sql/create-stream#usage-notes: only the owner can enable change tracking; code and text not documented: 003001 chosen)',
    sql: 'CREATE STREAM DEMO_DB.PUBLIC.FID_S ON VIEW DEMO_DB.PUBLIC.CUSTOMER_PROFILES',
    error: { code: '003001', sqlState: '42501', message: /^SQL access control error:\nInsufficient privileges to operate on table '[^']+'\. Change tracking is not enabled/ },
  },
  {
    title: "a misspelt task parameter (SCHEDUEL) is a syntax error (https://docs.snowflake.com/en/sql-reference/sql/create-task; docs silent on the text: stricter choice)",
    sql: "CREATE TASK DEMO_DB.PUBLIC.FID_T WAREHOUSE = SANDBOX_WH SCHEDUEL = '60 MINUTE' AS SELECT 1",
    error: { code: '001003', sqlState: '42000', message: /unexpected 'SCHEDUEL'/ },
  },
], { profile: restricted, spcs: true });

probeSuite('product statements refused in an admin-only account', [
  {
    title: `ACCOUNTADMIN cannot own a service, so it cannot run a job service (${JOB_DOC}; https://docs.snowflake.com/en/developer-guide/snowpark-container-services/working-with-services#privileges; code and text not documented: 003001 chosen)`,
    setup: ['CREATE COMPUTE POOL IF NOT EXISTS FID_POOL MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_XS'],
    sql: job('FID_POOL'),
    error: { code: '003001', sqlState: '42501', message: /privileged role ACCOUNTADMIN/ },
  },
], { profile: 'admin-only', spcs: true });
