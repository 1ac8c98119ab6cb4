import { expect } from 'vitest';
import type { StoredAttribute } from '../../../standins/batch/index.js';
import type { WorkerEnvironment } from './e2e.js';

/**
 * What Batch must hold for one row of the demo view CUSTOMER_PROFILES, written independently of the
 * worker's transform from the rules in issue 4 / batch-api.md §3 (null policy skip: NULL → no attribute).
 */
export function expectedAttributes(row: Record<string, unknown>): Record<string, StoredAttribute> {
  const out: Record<string, StoredAttribute> = {};
  const text = (key: string, value: unknown) => {
    if (typeof value === 'string' && value.trim() !== '') out[key] = { type: 'string', value };
  };
  const date = (key: string, value: unknown) => {
    if (value instanceof Date) out[key] = { type: 'date', value: value.toISOString().replace(/\.000Z$/, 'Z') };
  };
  text('email', row.EMAIL);
  text('first_name', row.FIRST_NAME);
  text('last_name', row.LAST_NAME);
  date('signup_date', row.SIGNUP_DATE);
  date('last_login_at', row.LAST_LOGIN_AT);
  if (typeof row.PROFILE_URL === 'string') out.profile_url = { type: 'url', value: row.PROFILE_URL };
  if (row.LIFETIME_VALUE !== null) out.lifetime_value = { type: 'number', value: Number(row.LIFETIME_VALUE) };
  if (typeof row.IS_SUBSCRIBED === 'boolean') out.is_subscribed = { type: 'boolean', value: row.IS_SUBSCRIBED };
  if (Array.isArray(row.TAGS) && row.TAGS.length > 0) out.tags = { type: 'array', value: row.TAGS as string[] };
  return out;
}

export async function viewRows(env: WorkerEnvironment): Promise<Array<Record<string, unknown>>> {
  return (await env.admin.query('SELECT * FROM DEMO_DB.PUBLIC.CUSTOMER_PROFILES ORDER BY CUSTOMER_ID')).rows;
}

/** Every row of the view arrived in the sandbox exactly as specified (and nothing else did). */
export async function expectSandboxMatchesView(env: WorkerEnvironment, extraProfiles: string[] = []): Promise<void> {
  const rows = await viewRows(env);
  const mismatches: string[] = [];
  for (const row of rows) {
    const id = String(row.CUSTOMER_ID);
    const stored = env.batch.profile(id);
    const expected = expectedAttributes(row);
    try {
      expect(stored?.attributes).toEqual(expected);
    } catch {
      mismatches.push(`${id}: expected ${JSON.stringify(expected)} got ${JSON.stringify(stored?.attributes)}`);
    }
  }
  expect(mismatches.slice(0, 5)).toEqual([]);
  const known = new Set([...rows.map((r) => String(r.CUSTOMER_ID)), ...extraProfiles]);
  expect(env.batch.profiles().filter((p) => 'custom_id' in p.identifiers && !known.has(p.identifiers.custom_id))).toEqual([]);
}

export async function pendingInStream(env: WorkerEnvironment): Promise<number> {
  const result = await env.admin.query<{ N: unknown }>('SELECT COUNT(*) AS N FROM DEMO_DB.PUBLIC.CUSTOMER_STREAM');
  return Number(result.rows[0]?.N);
}

export async function outboxCount(env: WorkerEnvironment): Promise<number> {
  const result = await env.admin.query<{ N: unknown }>('SELECT COUNT(*) AS N FROM DEMO_DB.PUBLIC.BATCH_SYNC_OUTBOX');
  return Number(result.rows[0]?.N);
}

export async function lastRun(env: WorkerEnvironment): Promise<Record<string, unknown> | undefined> {
  const result = await env.admin.query('SELECT * FROM DEMO_DB.PUBLIC.BATCH_SYNC_RUNS ORDER BY STARTED_AT DESC LIMIT 1');
  return result.rows[0];
}
