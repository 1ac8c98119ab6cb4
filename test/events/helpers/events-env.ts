/**
 * An event source in the Snowflake stand-in (table ORDER_EVENTS, view ORDER_EVENTS_V, APPEND_ONLY stream)
 * beside the demo seed, and the worker's event-sync arguments for it.
 */
import type { SnowflakeSession } from '../../../shared/snowflake/types.js';
import type { WorkerEnvironment } from '../../worker/helpers/e2e.js';

export const EVENTS_STREAM = 'DEMO_DB.PUBLIC.ORDER_EVENTS_STREAM';

export async function createEventSource(admin: SnowflakeSession): Promise<void> {
  await admin.query(`CREATE OR REPLACE TABLE DEMO_DB.PUBLIC.ORDER_EVENTS (
    USER_ID VARCHAR, EVENT_NAME VARCHAR, EVENT_TIME TIMESTAMP_NTZ, AMOUNT NUMBER(10,2), ITEMS VARIANT,
    PAGE_URL VARCHAR, LABEL VARCHAR, TAGS ARRAY)`);
  await admin.query(`CREATE OR REPLACE VIEW DEMO_DB.PUBLIC.ORDER_EVENTS_V AS SELECT * FROM DEMO_DB.PUBLIC.ORDER_EVENTS`);
  await admin.query(`CREATE OR REPLACE STREAM ${EVENTS_STREAM} ON VIEW DEMO_DB.PUBLIC.ORDER_EVENTS_V APPEND_ONLY = TRUE`);
}

/** The worker's arguments for the event source (the customer arguments of `env.args` replaced). */
export function eventArgs(env: WorkerEnvironment, ...extra: string[]): string[] {
  return [
    '--project-key', env.batch.projectKey, '--source-stream', EVENTS_STREAM, '--id-column', 'USER_ID',
    '--date-columns', '', '--url-columns', 'PAGE_URL', '--kind', 'event', '--event-name-column', 'EVENT_NAME',
    '--event-time-column', 'EVENT_TIME', '--label-column', 'LABEL', '--tags-column', 'TAGS', ...extra,
  ];
}

/** 'YYYY-MM-DD HH:MM:SS' UTC, `offsetMs` from now (NTZ wall clock, read as UTC by the worker). */
export const utcText = (offsetMs: number, base = Date.now()): string => new Date(base + offsetMs).toISOString().slice(0, 19).replace('T', ' ');

export interface EventRow {
  user: string | null;
  name: string | null;
  time: string | null;
  amount?: number | null;
  /** SQL expression for ITEMS (e.g. PARSE_JSON('…')), default NULL. */
  itemsSql?: string;
  label?: string | null;
  tagsSql?: string;
}

const lit = (v: string | number | null | undefined) => (v === null || v === undefined ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`);

/** Inserts rows with INSERT … SELECT (expressions such as PARSE_JSON are not allowed in VALUES). */
export async function insertEvents(admin: SnowflakeSession, rows: readonly EventRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const selects = rows.slice(i, i + 500).map(
      (r) => `SELECT ${lit(r.user)}, ${lit(r.name)}, ${r.time === null ? 'NULL' : `TO_TIMESTAMP_NTZ(${lit(r.time)})`}, ${lit(r.amount ?? null)}, ${r.itemsSql ?? 'NULL'}, NULL, ${lit(r.label ?? null)}, ${r.tagsSql ?? 'NULL'}`,
    );
    await admin.query(`INSERT INTO DEMO_DB.PUBLIC.ORDER_EVENTS (USER_ID, EVENT_NAME, EVENT_TIME, AMOUNT, ITEMS, PAGE_URL, LABEL, TAGS) ${selects.join(' UNION ALL ')}`);
  }
}

export async function rejectedReasons(admin: SnowflakeSession, runId?: string): Promise<Array<{ CUSTOM_ID: string | null; REASON: string; ATTRIBUTE: string | null }>> {
  const where = runId ? `WHERE RUN_ID = '${runId}'` : '';
  return (await admin.query<{ CUSTOM_ID: string | null; REASON: string; ATTRIBUTE: string | null }>(`SELECT CUSTOM_ID, REASON, ATTRIBUTE FROM DEMO_DB.PUBLIC.BATCH_SYNC_REJECTED ${where} ORDER BY CUSTOM_ID, REASON`)).rows;
}
