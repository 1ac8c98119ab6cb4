/**
 * The statements the operate commands send, as text (quoting and the documented argument forms), and the
 * rendering of the worker's JSON log lines. The end-to-end tests run the same statements against the stand-in.
 */
import { describe, expect, it } from 'vitest';

import { resolveNames, parseInitAnswers } from '../../src/plan/names.js';
import { formatLogLine } from '../../src/operate/service-logs.js';
import { accountUsageJobSql } from '../../src/operate/job-resolve.js';
import { taskHistorySql } from '../../src/operate/task-history.js';
import { executeTaskSql, imageTagOf, taskToggleSql } from '../../src/operate/task-state.js';
import { oneLine } from '../../src/operate/verdict.js';

const names = resolveNames(parseInitAnswers({
  target: 'ANALYTICS."Batch Sync"', source: { kind: 'view', view: 'ANALYTICS.PUBLIC.USERS_V' }, idColumn: 'ID', projectKey: 'P', warehouse: 'WH', role: 'SYNC_ROLE', imageRepository: 'ANALYTICS.PUBLIC.REPO',
  names: { task: '"my task"' },
}));

describe('statements', () => {
  it('TASK_HISTORY: qualified with the database, unqualified TASK_NAME, filtered to the schema, newest first (§5.3)', () => {
    expect(taskHistorySql(names, { limit: 50 })).toBe(
      `SELECT * FROM TABLE(ANALYTICS.INFORMATION_SCHEMA.TASK_HISTORY(SCHEDULED_TIME_RANGE_START => DATEADD('minute', -10079, CURRENT_TIMESTAMP()), RESULT_LIMIT => 50, TASK_NAME => 'my task')) WHERE SCHEMA_NAME = 'Batch Sync' AND NAME = 'my task' ORDER BY SCHEDULED_TIME DESC`,
    );
    expect(taskHistorySql(names, { since: new Date('2026-01-02T03:04:05Z'), limit: 99_999 })).toContain("SCHEDULED_TIME_RANGE_START => TO_TIMESTAMP_LTZ('2026-01-02T03:04:05.000Z'), RESULT_LIMIT => 10000,");
  });

  it('ALTER TASK / EXECUTE TASK quote the names exactly', () => {
    expect(taskToggleSql(names, 'suspend')).toBe('ALTER TASK ANALYTICS."Batch Sync"."my task" SUSPEND');
    expect(taskToggleSql(names, 'resume')).toBe('ALTER TASK ANALYTICS."Batch Sync"."my task" RESUME');
    expect(executeTaskSql(names)).toBe('EXECUTE TASK ANALYTICS."Batch Sync"."my task"');
  });

  it('SPCS_JOB_ID is looked up as SERVICE_ID in ACCOUNT_USAGE.SERVICES; only digits reach the SQL', () => {
    expect(accountUsageJobSql('4100000001')).toBe('SELECT SERVICE_CATALOG, SERVICE_SCHEMA, SERVICE_NAME FROM SNOWFLAKE.ACCOUNT_USAGE.SERVICES WHERE SERVICE_ID = 4100000001');
    expect(() => accountUsageJobSql('1 OR 1=1')).toThrow();
  });

  it('reads the deployed image tag from the task definition', () => {
    expect(imageTagOf('image: "/db/s/repo/batch-snowflake-worker:1.2.3-rc.1"\n args:')).toBe('1.2.3-rc.1');
    expect(imageTagOf('image: "/db/s/repo/other:1"')).toBeNull();
  });
});

describe('log lines and messages', () => {
  it('formats the worker JSON lines and leaves other lines as they are', () => {
    expect(formatLogLine('{"ts":"2026-01-01T00:00:00Z","level":"warn","event":"batch.retry","status":429,"endpoint":"update"}')).toBe('2026-01-01T00:00:00Z WARN  batch.retry status=429 endpoint=update');
    expect(formatLogLine('plain text from the runtime')).toBe('plain text from the runtime');
    expect(formatLogLine('{not json')).toBe('{not json');
  });

  it('one line of bounded length', () => {
    expect(oneLine('SQL compilation error:\nObject X does not exist')).toBe('SQL compilation error: Object X does not exist');
    expect(oneLine('x'.repeat(300))).toHaveLength(240);
  });
});
