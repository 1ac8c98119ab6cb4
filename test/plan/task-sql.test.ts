/**
 * The task init creates, against the documented forms: serverless (no WAREHOUSE; the job's queries use
 * QUERY_WAREHOUSE), EXECUTE JOB SERVICE with pool, then properties, then the specification
 * (https://docs.snowflake.com/en/developer-guide/snowpark-container-services/jobs-as-tasks,
 * https://docs.snowflake.com/en/sql-reference/sql/execute-job-service usage note). The stand-in's own parser of
 * EXECUTE JOB SERVICE (which takes exactly that order) must accept the body.
 */
import { describe, expect, it } from 'vitest';
import { resolveAnswers } from '../../src/plan/names.js';
import { renderTaskSql } from '../../src/plan/task-steps.js';
import { forTask, forTaskOperate } from '../../src/plan/requirements.js';
import { tokenize } from '../../standins/snowflake/engine/lexer.js';
import { parseJobStatement } from '../../standins/snowflake/jobs/job-spec.js';
import { BASE_ANSWERS } from './fixtures.js';

const IMAGE = { repository: ['ANALYTICS', 'BATCH_SYNC', 'REPO'], repositoryUrl: null, name: 'batch-snowflake-worker', tag: '0.1.0', specPath: '/analytics/batch_sync/repo/batch-snowflake-worker:0.1.0' };

describe('the task SQL', () => {
  const { answers, names } = resolveAnswers(BASE_ANSWERS);
  const { sql } = renderTaskSql(answers, names, IMAGE as never);
  const [head, body] = sql.split(/\nAS\n/) as [string, string];

  it('is a serverless task: no WAREHOUSE on the task, QUERY_WAREHOUSE on the job', () => {
    expect(head).not.toMatch(/\bWAREHOUSE\b/);
    expect(body).toContain('QUERY_WAREHOUSE = COMPUTE_WH');
  });

  it('puts the job properties between the pool and the specification, and the stand-in parser accepts it', () => {
    const at = (text: string) => body.indexOf(text);
    expect(at('IN COMPUTE POOL')).toBeLessThan(at('QUERY_WAREHOUSE'));
    expect(at('QUERY_WAREHOUSE')).toBeLessThan(at('EXTERNAL_ACCESS_INTEGRATIONS'));
    expect(at('EXTERNAL_ACCESS_INTEGRATIONS')).toBeLessThan(at('FROM SPECIFICATION'));
    const job = parseJobStatement(body, tokenize(body));
    expect(job).toMatchObject({ computePool: 'BATCH_SYNC_POOL', queryWarehouse: 'COMPUTE_WH', externalAccessIntegrations: ['BATCH_API_INTEGRATION'], async: false });
  });

  it('asks the preflight for EXECUTE MANAGED TASK (serverless) besides EXECUTE TASK, both granted by ACCOUNTADMIN', () => {
    for (const needs of [forTask(names, 'secret'), forTaskOperate(names)]) {
      const account = needs.filter((p) => p.on === 'ACCOUNT').map((p) => `${p.privilege} by ${p.grantor}`);
      expect(account).toEqual(expect.arrayContaining(['EXECUTE TASK by ACCOUNTADMIN', 'EXECUTE MANAGED TASK by ACCOUNTADMIN']));
    }
    expect(forTask(names, 'secret').some((p) => p.on === 'WAREHOUSE' && p.privilege === 'USAGE')).toBe(true);
  });
});
