/**
 * The stand-in refuses what Snowflake refuses in the statements the product emits (issue 14 item 5), so a
 * mistake in our SQL fails a test instead of a customer's first run. Both drivers.
 */
import { probeSuite } from './probe-runner.js';

const TYPO = 'CREATE COMPUTE POOL FID_POOL_TYPO MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_XS AUTO_SUSPEND_SEC = 300';

probeSuite('product statements refused as Snowflake refuses them', [
  {
    title: 'CREATE COMPUTE POOL with the documented properties succeeds (https://docs.snowflake.com/en/sql-reference/sql/create-compute-pool)',
    setup: ['DROP COMPUTE POOL IF EXISTS FID_POOL_OK'],
    sql: 'CREATE COMPUTE POOL FID_POOL_OK MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_XS AUTO_RESUME = TRUE INITIALLY_SUSPENDED = TRUE AUTO_SUSPEND_SECS = 300 COMMENT = \'fidelity\'',
    check: (result) => {
      if (!/FID_POOL_OK successfully created/.test(String(result.rows[0]?.status))) throw new Error(String(result.rows[0]?.status));
    },
  },
  {
    title: 'an INSTANCE_FAMILY that does not exist is refused (https://docs.snowflake.com/en/developer-guide/snowpark-container-services/instance-families-aws; code not documented: 001008 chosen)',
    sql: 'CREATE COMPUTE POOL FID_POOL_BAD MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_XXL',
    error: { code: '001008', sqlState: '22023', message: /^Invalid instance family CPU_X64_XXL\. Please refer to Snowflake documentation for supported instance families\.$/ },
  },
  {
    title: 'a misspelt property (AUTO_SUSPEND_SEC) is a syntax error (https://docs.snowflake.com/en/sql-reference/sql/create-compute-pool; docs silent on the text: stricter choice)',
    sql: TYPO,
    error: { code: '001003', sqlState: '42000', message: new RegExp(`^SQL compilation error:\nsyntax error line 1 at position ${TYPO.indexOf('AUTO_SUSPEND_SEC ')} unexpected 'AUTO_SUSPEND_SEC`) },
  },
  {
    title: 'MIN_NODES must be greater than 0 (https://docs.snowflake.com/en/sql-reference/sql/create-compute-pool)',
    sql: 'CREATE COMPUTE POOL FID_POOL_ZERO MIN_NODES = 0 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_XS',
    error: { code: '001008', sqlState: '22023', message: /invalid value \[0\] for parameter 'MIN_NODES'/ },
  },
]);
