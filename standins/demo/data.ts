/**
 * The demo's data: the answers to init, saved in the working folder's batch-snowflake.json before init runs (on a
 * terminal the wizard offers each as the default, so the user just presses enter; a scripted run takes them as
 * saved), and the rows it changes between the two runs (one update, one insert, one delete) through the real
 * snowflake-sdk. Column choices are what the wizard itself suggests for the demo view (DATE/TIMESTAMP columns as
 * dates, the column of links as URLs). The Batch API host is the sandbox's (settable only through this file).
 * Exported so the demo's test checks that exactly these values arrived in Batch.
 */
import { migrateV1, type ProjectConfig } from '../../src/config/project-config.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { DEMO_OBJECTS } from '../snowflake/engine/seed.js';

/** A dedicated schema for the integration's objects (the demo creates it, as an admin would). */
export const TARGET_SCHEMA = 'DEMO_DB.BATCH_SYNC';
export const DEMO_VIEW = DEMO_OBJECTS.view;
export const DEMO_TABLE = DEMO_OBJECTS.table;
export const ID_COLUMN = 'CUSTOMER_ID';
export const IMAGE_TAG = 'demo';

export const CUSTOMERS_SYNC = 'customers';

/** The project with its first sync, `customers` (profile attributes); the demo adds `orders` with flags (orders.ts). */
export function demoAnswers(given: { projectKey: string; batchApiHost: string; role: string; warehouse: string }): ProjectConfig {
  const config = migrateV1({
    version: 1,
    answers: {
      kind: 'profile',
      target: TARGET_SCHEMA,
      source: { kind: 'view', view: DEMO_VIEW },
      idColumn: ID_COLUMN,
      runner: 'spcs',
      worker: { nullPolicy: 'skip', deletePolicy: 'ignore', endpoint: 'auto' },
      dateColumns: ['SIGNUP_DATE', 'LAST_LOGIN_AT'],
      urlColumns: ['PROFILE_URL'],
      projectKey: given.projectKey,
      credentials: 'secret',
      warehouse: given.warehouse,
      role: given.role,
      computePool: 'BATCH_SYNC_POOL',
      instanceFamily: 'CPU_X64_XS',
      autoSuspendSecs: 300,
      imageRepository: 'BATCH_SYNC_REPOSITORY',
      schedule: '60 MINUTE',
      skipEmptyRuns: true,
      initialSync: true,
      imageTag: IMAGE_TAG,
      skipImage: false,
      batchApiHost: given.batchApiHost,
      names: {},
    },
    created: [],
  });
  return { ...config, syncs: config.syncs.map((sync) => ({ ...sync, name: CUSTOMERS_SYNC })) };
}

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

