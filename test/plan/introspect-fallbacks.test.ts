import { migrateV1 } from '../../src/config/project-config.js';
/**
 * Introspection fallbacks must not hide a change (issue 12, item 4): when DESC NETWORK RULE is not available,
 * our rule is assumed to hold the hosts it was SAVED with, never the hosts wanted now — so a changed Batch
 * host still shows in the plan. When SHOW IMAGES is not available, the image tags are marked unverified.
 */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../shared/errors.js';
import { introspectLiveState } from '../../src/introspect/read-live-state.js';
import { planInit } from '../../src/plan/init-plan.js';
import { resolveAnswers } from '../../src/plan/names.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { BASE_ANSWERS } from './fixtures.js';

const notAvailable = (sql: string) => new UserError('sql', 'SQL_SYNTAX', `syntax error: ${sql}`, { details: { snowflakeCode: '001003' } });
const OURS = 'created by batch-snowflake';

/** An account where every object of the install exists, and DESC / SHOW IMAGES are not understood. */
function accountWithoutDesc(): SnowflakeSession {
  const rows = (sql: string): Array<Record<string, unknown>> => {
    const like = /LIKE '([^']+)'/.exec(sql)?.[1];
    if (/^DESC /.test(sql) || /^SHOW IMAGES/.test(sql)) throw notAvailable(sql);
    if (/^SHOW IMAGE REPOSITORIES/.test(sql)) return [{ name: like, repository_url: 'org-acct.registry.example/analytics/batch_sync/batch_sync_repository', comment: OURS }];
    if (/^SHOW (NETWORK RULES|INTEGRATIONS|SECRETS)/.test(sql)) return [{ name: like, comment: OURS, enabled: 'true' }];
    if (/^SHOW SCHEMAS/.test(sql)) return [{ name: like }];
    return [];
  };
  return {
    query: async <Row>(sql: string) => ({ rows: rows(sql) as Row[], columns: [] }) as never,
    stream: () => {
      throw new Error('not used');
    },
    destroy: async () => undefined,
  } as unknown as SnowflakeSession;
}

describe('introspection fallbacks', () => {
  const answers = resolveAnswers({ ...BASE_ANSWERS, batchApiHost: 'api.batch.com' });
  const moved = resolveAnswers({ ...BASE_ANSWERS, batchApiHost: 'batch-proxy.example.com:8443' });

  it('DESC NETWORK RULE not available: the rule holds the saved hosts, so a new host is a change in the plan', async () => {
    const live = await introspectLiveState(accountWithoutDesc(), moved.names, { credentials: 'secret', savedHosts: ['api.batch.com:443'] });
    expect(live.networkRule).toEqual({ valueList: ['api.batch.com:443'] });
    const plan = planInit(moved, live, { previous: migrateV1({ version: 1, answers: answers.answers, created: [] }) });
    const step = plan.steps.find((s) => s.id === 'network-rule');
    expect(step?.action).toBe('change');
    expect(step?.summary).toContain('batch-proxy.example.com:8443');
  });

  it('nothing saved: the rule is rewritten rather than assumed to be right', async () => {
    const live = await introspectLiveState(accountWithoutDesc(), moved.names, { credentials: 'secret', savedHosts: [] });
    expect(planInit(moved, live).steps.find((s) => s.id === 'network-rule')?.action).toBe('change');
  });

  it('SHOW IMAGES not available: the deployed tag is reported, marked unverified', async () => {
    const live = await introspectLiveState(accountWithoutDesc(), answers.names, { credentials: 'secret', savedHosts: [], deployedImageTag: '0.1.0' });
    expect(live.imageRepository).toMatchObject({ imageTags: ['0.1.0'], tagsVerified: false });
  });
});
