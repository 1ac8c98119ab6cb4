import { describe, expect, it } from 'vitest';
import { planInit } from '../../src/plan/init-plan.js';
import { renderPlanSql, renderPlanSummary } from '../../src/plan/render-plan.js';
import { BASE_ANSWERS, FRESH_ACCOUNT } from './fixtures.js';
import { resolveAnswers } from '../../src/plan/names.js';

describe('planInit on a fresh account', () => {
  it('creates everything, in dependency order, from a SELECT', () => {
    const plan = planInit(resolveAnswers(BASE_ANSWERS), FRESH_ACCOUNT);
    expect(plan.steps.map((s) => s.id)).toEqual([
      'schema', 'change-tracking:ANALYTICS.PUBLIC.USERS', 'view', 'stream', 'image-repository', 'compute-pool', 'network-rule',
      'integration', 'secret', 'docker-login', 'docker-build', 'docker-push', 'pending-table', 'pending-stream', 'task', 'task-resume',
    ]);
    expect(renderPlanSql(plan)).toMatchInlineSnapshot(`
      "-- [1/16] + schema ANALYTICS.BATCH_SYNC
      CREATE SCHEMA IF NOT EXISTS ANALYTICS.BATCH_SYNC
        COMMENT = 'created by batch-snowflake';

      -- [2/16] ~ change tracking on table ANALYTICS.PUBLIC.USERS
      ALTER TABLE ANALYTICS.PUBLIC.USERS SET CHANGE_TRACKING = TRUE;

      -- [3/16] + view ANALYTICS.BATCH_SYNC.BATCH_SYNC_VIEW
      CREATE VIEW IF NOT EXISTS ANALYTICS.BATCH_SYNC.BATCH_SYNC_VIEW
        CHANGE_TRACKING = TRUE
        COMMENT = 'created by batch-snowflake sha256:1195d4b692109181'
      AS
      SELECT user_id, email, signup_date, homepage FROM ANALYTICS.PUBLIC.USERS;

      -- [4/16] + stream ANALYTICS.BATCH_SYNC.BATCH_SYNC_STREAM on view ANALYTICS.BATCH_SYNC.BATCH_SYNC_VIEW (first run sends every existing row)
      CREATE STREAM IF NOT EXISTS ANALYTICS.BATCH_SYNC.BATCH_SYNC_STREAM
        ON VIEW ANALYTICS.BATCH_SYNC.BATCH_SYNC_VIEW
        SHOW_INITIAL_ROWS = TRUE
        COMMENT = 'created by batch-snowflake';

      -- [5/16] + image repository ANALYTICS.BATCH_SYNC.BATCH_SYNC_REPOSITORY
      CREATE IMAGE REPOSITORY IF NOT EXISTS ANALYTICS.BATCH_SYNC.BATCH_SYNC_REPOSITORY
        COMMENT = 'created by batch-snowflake';

      -- [6/16] + compute pool BATCH_SYNC_POOL (CPU_X64_XS, 1 node, suspends after 300 s idle)
      CREATE COMPUTE POOL IF NOT EXISTS BATCH_SYNC_POOL
        MIN_NODES = 1
        MAX_NODES = 1
        INSTANCE_FAMILY = CPU_X64_XS
        AUTO_RESUME = TRUE
        INITIALLY_SUSPENDED = TRUE
        AUTO_SUSPEND_SECS = 300
        COMMENT = 'created by batch-snowflake';

      -- [7/16] + network rule ANALYTICS.BATCH_SYNC.BATCH_API_NETWORK_RULE (egress to api.batch.com:443)
      CREATE NETWORK RULE ANALYTICS.BATCH_SYNC.BATCH_API_NETWORK_RULE
        TYPE = HOST_PORT
        MODE = EGRESS
        VALUE_LIST = ('api.batch.com:443')
        COMMENT = 'created by batch-snowflake';

      -- [8/16] + external access integration BATCH_API_INTEGRATION
      CREATE EXTERNAL ACCESS INTEGRATION BATCH_API_INTEGRATION
        ALLOWED_NETWORK_RULES = (ANALYTICS.BATCH_SYNC.BATCH_API_NETWORK_RULE)
        ENABLED = TRUE
        COMMENT = 'created by batch-snowflake';

      -- [9/16] + secret ANALYTICS.BATCH_SYNC.BATCH_API_KEY_SECRET (Batch REST API key)
      CREATE SECRET IF NOT EXISTS ANALYTICS.BATCH_SYNC.BATCH_API_KEY_SECRET
        TYPE = GENERIC_STRING
        SECRET_STRING = '<from BATCH_REST_API_KEY>'
        COMMENT = 'created by batch-snowflake';

      -- [10/16] + docker login to the registry of ANALYTICS.BATCH_SYNC.BATCH_SYNC_REPOSITORY
      docker login <registry host of ANALYTICS.BATCH_SYNC.BATCH_SYNC_REPOSITORY> --username 0sessiontoken --password-stdin
      # the session token of this connection is passed on stdin, never as an argument (read again right before the push)

      -- [11/16] + build worker image batch-snowflake-worker:0.1.0 (linux/amd64)
      batch-snowflake image build --tag 0.1.0 --context-dir ./batch-snowflake-image
      (cd ./batch-snowflake-image && docker build --platform linux/amd64 --network none -f Dockerfile -t <repository_url of ANALYTICS.BATCH_SYNC.BATCH_SYNC_REPOSITORY>/batch-snowflake-worker:0.1.0 .)

      -- [12/16] + push <registry host>/analytics/batch_sync/batch_sync_repository/batch-snowflake-worker:0.1.0 (the registry host of ANALYTICS.BATCH_SYNC.BATCH_SYNC_REPOSITORY, known once this plan creates it)
      docker push <repository_url of ANALYTICS.BATCH_SYNC.BATCH_SYNC_REPOSITORY>/batch-snowflake-worker:0.1.0

      -- [13/16] + pending-changes marker table ANALYTICS.BATCH_SYNC.BATCH_SYNC_PENDING
      CREATE TABLE IF NOT EXISTS ANALYTICS.BATCH_SYNC.BATCH_SYNC_PENDING (
        RUN_ID VARCHAR,
        MARKED_AT TIMESTAMP_LTZ
      )
        COMMENT = 'created by batch-snowflake';

      -- [14/16] + stream ANALYTICS.BATCH_SYNC.BATCH_SYNC_PENDING_STREAM on the marker
      CREATE STREAM IF NOT EXISTS ANALYTICS.BATCH_SYNC.BATCH_SYNC_PENDING_STREAM
        ON TABLE ANALYTICS.BATCH_SYNC.BATCH_SYNC_PENDING
        APPEND_ONLY = TRUE
        COMMENT = 'created by batch-snowflake';

      -- [15/16] + task ANALYTICS.BATCH_SYNC.BATCH_SYNC_TASK every 60 MINUTE, skipped when the stream is empty and nothing is pending
      CREATE OR REPLACE TASK ANALYTICS.BATCH_SYNC.BATCH_SYNC_TASK
        SCHEDULE = '60 MINUTE'
        COMMENT = 'created by batch-snowflake sha256:4e27f6d133c53e4c'
        WHEN SYSTEM$STREAM_HAS_DATA('ANALYTICS.BATCH_SYNC.BATCH_SYNC_STREAM')
          OR SYSTEM$STREAM_HAS_DATA('ANALYTICS.BATCH_SYNC.BATCH_SYNC_PENDING_STREAM')
      AS
        EXECUTE JOB SERVICE
          IN COMPUTE POOL BATCH_SYNC_POOL
          QUERY_WAREHOUSE = COMPUTE_WH
          EXTERNAL_ACCESS_INTEGRATIONS = (BATCH_API_INTEGRATION)
          FROM SPECIFICATION $$
          spec:
            containers:
            - name: batch-sync
              image: "/analytics/batch_sync/batch_sync_repository/batch-snowflake-worker:0.1.0"
              args:
              - "--project-key"
              - "PROJECT_KEY_1"
              - "--source-stream"
              - "ANALYTICS.BATCH_SYNC.BATCH_SYNC_STREAM"
              - "--id-column"
              - "USER_ID"
              - "--date-columns"
              - "SIGNUP_DATE"
              - "--url-columns"
              - "HOMEPAGE"
              - "--state-schema"
              - "ANALYTICS.BATCH_SYNC"
              - "--pending-marker"
              env:
                SNOWFLAKE_ROLE: "BATCH_SYNC_ROLE"
                SNOWFLAKE_WAREHOUSE: "COMPUTE_WH"
              secrets:
              - snowflakeSecret:
                  objectName: "ANALYTICS.BATCH_SYNC.BATCH_API_KEY_SECRET"
                secretKeyRef: secret_string
                envVarName: BATCH_REST_API_KEY
          $$;

      -- [16/16] ~ resume task ANALYTICS.BATCH_SYNC.BATCH_SYNC_TASK
      ALTER TASK ANALYTICS.BATCH_SYNC.BATCH_SYNC_TASK RESUME;
      "
    `);
  });

  it('reuses an existing compute pool, image repository and view, with a table for credentials', () => {
    const plan = planInit(
      resolveAnswers({ ...BASE_ANSWERS, source: { kind: 'view', view: 'ANALYTICS.PUBLIC.USERS_V' }, credentials: 'table', computePool: 'SHARED_POOL', skipEmptyRuns: false, initialSync: false, schedule: '30 MINUTES' }),
      {
        ...FRESH_ACCOUNT,
        targetSchema: {},
        baseTables: [{ name: ['ANALYTICS', 'PUBLIC', 'USERS'], changeTracking: true }],
        view: { comment: null, changeTracking: false },
        computePool: { autoSuspendSecs: 3600, instanceFamily: 'CPU_X64_S' },
        imageRepository: { url: 'myorg-acct.registry.snowflakecomputing.com/analytics/batch_sync/batch_sync_repository', imageTags: ['0.0.9'] },
      },
    );
    expect(plan.steps.map((s) => s.id)).toEqual([
      'view-change-tracking', 'stream', 'network-rule', 'integration', 'credentials-table', 'credentials-row',
      'docker-login', 'docker-build', 'docker-push', 'task', 'task-resume',
    ]);
    expect(renderPlanSummary(plan)).toMatchInlineSnapshot(`
      "Plan: 8 to create, 3 to change, 0 to drop.
        ~  change tracking on view ANALYTICS.PUBLIC.USERS_V
        +  stream ANALYTICS.BATCH_SYNC.BATCH_SYNC_STREAM on view ANALYTICS.PUBLIC.USERS_V
        +  network rule ANALYTICS.BATCH_SYNC.BATCH_API_NETWORK_RULE (egress to api.batch.com:443)
        +  external access integration BATCH_API_INTEGRATION
        +  credentials table ANALYTICS.BATCH_SYNC.BATCH_API_CREDENTIALS
        ~  credentials row for project PROJECT_KEY_1 in ANALYTICS.BATCH_SYNC.BATCH_API_CREDENTIALS
        +  docker login to the registry of ANALYTICS.BATCH_SYNC.BATCH_SYNC_REPOSITORY
        +  build worker image batch-snowflake-worker:0.1.0 (linux/amd64)
        +  push myorg-acct.registry.snowflakecomputing.com/analytics/batch_sync/batch_sync_repository/batch-snowflake-worker:0.1.0
        +  task ANALYTICS.BATCH_SYNC.BATCH_SYNC_TASK every 30 MINUTES
        ~  resume task ANALYTICS.BATCH_SYNC.BATCH_SYNC_TASK
        = 4 unchanged: schema ANALYTICS.BATCH_SYNC; change tracking on the 1 base table(s) of ANALYTICS.PUBLIC.USERS_V; image repository ANALYTICS.BATCH_SYNC.BATCH_SYNC_REPOSITORY; compute pool SHARED_POOL (CPU_X64_S)
      "
    `);
    const sql = renderPlanSql(plan);
    expect(sql).toContain('SHOW_INITIAL_ROWS = FALSE');
    expect(sql).not.toContain('SYSTEM$STREAM_HAS_DATA');
    expect(sql).not.toContain('snowflakeSecret');
    expect(sql).toContain('- "--api-credentials-table"\n        - "ANALYTICS.BATCH_SYNC.BATCH_API_CREDENTIALS"');
    expect(sql).toContain('docker push myorg-acct.registry.snowflakecomputing.com/analytics/batch_sync/batch_sync_repository/batch-snowflake-worker:0.1.0');
    expect(sql).toContain('docker login myorg-acct.registry.snowflakecomputing.com --username');
    expect(sql).toContain("SCHEDULE = '30 MINUTES'");
    expect(sql).toContain('IN COMPUTE POOL SHARED_POOL');
  });

  it('skips docker when the tag is already in the repository, and with --skip-image', () => {
    const live = { ...FRESH_ACCOUNT, imageRepository: { url: 'h/a/b/c', imageTags: ['0.1.0'] } };
    expect(planInit(resolveAnswers(BASE_ANSWERS), live).steps.filter((s) => s.kind.startsWith('docker'))).toEqual([]);
    const skipped = planInit(resolveAnswers({ ...BASE_ANSWERS, skipImage: true, imageTag: '0.2.0' }), live);
    expect(skipped.steps.filter((s) => s.kind.startsWith('docker'))).toEqual([]);
    expect(skipped.notes.join('\n')).toContain('was not found in ANALYTICS.BATCH_SYNC.BATCH_SYNC_REPOSITORY');
  });

  it('needs an image tag: from the answers or the previous deployment', () => {
    const { imageTag: _omitted, ...noTag } = BASE_ANSWERS;
    expect(() => planInit(resolveAnswers(noTag), FRESH_ACCOUNT)).toThrow(/No worker image tag/);
  });

  it('passes a non-default Batch API host to the network rule and the worker', () => {
    const sql = renderPlanSql(planInit(resolveAnswers({ ...BASE_ANSWERS, batchApiHost: 'batch-sandbox.internal:8443' }), FRESH_ACCOUNT));
    expect(sql).toContain("VALUE_LIST = ('batch-sandbox.internal:8443')");
    expect(sql).toContain('BATCH_API_URL: "https://batch-sandbox.internal:8443"');
  });

  it('adds EXECUTE TASK with runNow and a fixed job NAME when asked', () => {
    const plan = planInit(resolveAnswers({ ...BASE_ANSWERS, names: { jobName: 'BATCH_SYNC_JOB' } }), FRESH_ACCOUNT, { runNow: true });
    expect(plan.steps.at(-1)).toMatchObject({ kind: 'run-now', sql: 'EXECUTE TASK ANALYTICS.BATCH_SYNC.BATCH_SYNC_TASK' });
    expect(renderPlanSql(plan)).toContain('    NAME = BATCH_SYNC_JOB\n');
  });

  it('reports invalid answers with every problem', () => {
    expect(() => planInit(resolveAnswers({ ...BASE_ANSWERS, target: 'ONLY_DB', schedule: 'every hour', dateColumns: ['A,B'] }), FRESH_ACCOUNT)).toThrow(
      /target: Invalid target schema "ONLY_DB": expected DATABASE\.SCHEMA[\s\S]*dateColumns\.0: a date or URL column[\s\S]*schedule: a schedule/,
    );
  });

  it('refuses a source streams on views do not support, before any step (SELECT or an existing view\'s text)', () => {
    const select = () => planInit(resolveAnswers({ ...BASE_ANSWERS, source: { kind: 'select', sql: 'SELECT DISTINCT user_id FROM t', viewName: 'V' } }), FRESH_ACCOUNT);
    expect(select).toThrow(/The SELECT of --view-sql uses DISTINCT, which streams on views do not support/);
    const existing = { ...FRESH_ACCOUNT, view: { comment: null, changeTracking: true, text: "CREATE VIEW V COMMENT='group by' AS SELECT id FROM t WHERE id IN (SELECT id FROM u)" } };
    const view = () => planInit(resolveAnswers({ ...BASE_ANSWERS, source: { kind: 'view', view: 'ANALYTICS.PUBLIC.V' } }), existing);
    expect(view).toThrow(/View ANALYTICS\.PUBLIC\.V uses subqueries not in the FROM clause, which/);
    const nested = { ...existing, view: { ...existing.view, text: 'CREATE VIEW V AS SELECT id FROM W' }, viewChain: [{ name: ['ANALYTICS', 'PUBLIC', 'W'], text: 'CREATE VIEW W AS SELECT id, COUNT(*) AS n FROM t GROUP BY id' }] };
    expect(() => planInit(resolveAnswers({ ...BASE_ANSWERS, source: { kind: 'view', view: 'ANALYTICS.PUBLIC.V' } }), nested)).toThrow(/View ANALYTICS\.PUBLIC\.V reads view ANALYTICS\.PUBLIC\.W, which uses GROUP BY/);
    // Not when the stream already exists (nothing to create), and a plain view passes.
    expect(() => planInit(resolveAnswers({ ...BASE_ANSWERS, source: { kind: 'view', view: 'ANALYTICS.PUBLIC.V' } }), { ...existing, view: { ...existing.view, text: 'CREATE VIEW V AS SELECT id, name FROM t JOIN u ON u.id = t.id' } })).not.toThrow();
  });
});

describe('worker arguments', () => {
  it('quotes column list items the worker would otherwise trim or unquote', async () => {
    const { workerArgs } = await import('../../src/plan/task-steps.js');
    const { resolveNames } = await import('../../src/plan/names.js');
    const { parseInitAnswers } = await import('../../src/plan/names.js');
    const answers = parseInitAnswers({ ...BASE_ANSWERS, dateColumns: ['Birth Date', ' padded ', '"quoted"'], urlColumns: [] });
    const args = workerArgs(answers, resolveNames(answers));
    expect(args[args.indexOf('--date-columns') + 1]).toBe('Birth Date," padded ","""quoted"""');
    expect(args.slice(-3)).toEqual(['--state-schema', 'ANALYTICS.BATCH_SYNC', '--pending-marker']);
  });
});
