/**
 * The rows the demo changes in the base table between the two runs (through the real snowflake-sdk): one update,
 * one insert, one delete. Exported so the demo's test checks that exactly these values arrived in Batch.
 */
import type { SnowflakeSession } from '../../src/snowflake/types.js';
import { DEMO_TABLE, DEMO_VIEW } from './answers.js';

export const UPDATED = { id: '7', email: 'radia.perlman@batch-demo.example', lifetimeValue: 4242.42 } as const;
export const INSERTED = { id: '1001', email: 'hedy.lamarr@batch-demo.example', firstName: 'Hedy', signupDate: '2026-11-26' } as const;
export const DELETED = { id: '13' } as const;

export const CHANGES: Array<{ what: string; sql: string }> = [
  {
    what: `update customer ${UPDATED.id} (new email and lifetime value)`,
    sql: `UPDATE ${DEMO_TABLE} SET EMAIL = '${UPDATED.email}', LIFETIME_VALUE = ${UPDATED.lifetimeValue} WHERE ID = ${UPDATED.id}`,
  },
  {
    what: `insert customer ${INSERTED.id}`,
    sql: `INSERT INTO ${DEMO_TABLE} (ID, EMAIL, FIRST_NAME, LAST_NAME, SIGNUP_DATE, LAST_LOGIN_AT, PROFILE_URL, LIFETIME_VALUE, IS_SUBSCRIBED, UPDATED_AT) ` +
      `SELECT ${INSERTED.id}, '${INSERTED.email}', '${INSERTED.firstName}', 'Lamarr', '${INSERTED.signupDate}', '2026-11-26T09:30:00Z', ` +
      `'https://example.com/customers/${INSERTED.id}', 19.99, TRUE, CURRENT_TIMESTAMP()`,
  },
  {
    what: `delete customer ${DELETED.id}`,
    sql: `DELETE FROM ${DEMO_TABLE} WHERE ID = ${DELETED.id}`,
  },
];

export async function applyChanges(session: SnowflakeSession, say: (line: string) => void): Promise<void> {
  for (const change of CHANGES) {
    const result = await session.query(change.sql);
    say(`${change.what}: ${change.sql}  → ${result.rowsAffected ?? '?'} row(s)`);
  }
}

export async function viewRowCount(session: SnowflakeSession): Promise<number> {
  const { rows } = await session.query<{ N: unknown }>(`SELECT COUNT(*) AS N FROM ${DEMO_VIEW}`);
  return Number(rows[0]?.N);
}

/** Pending changes in the stream (what the next run will send). */
export async function streamRowCount(session: SnowflakeSession, stream: string): Promise<number> {
  const { rows } = await session.query<{ N: unknown }>(`SELECT COUNT(*) AS N FROM ${stream}`);
  return Number(rows[0]?.N);
}

