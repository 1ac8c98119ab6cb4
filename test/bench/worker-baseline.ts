/**
 * A faithful re-implementation of Batch's own Snowpark job (BatchLabs/Snowpark-sync-job batch_sync.py,
 * described in shared/reference/batch-api.md §6) for comparison in bench:worker. Deliberately keeps its
 * behaviour: SELECT * from the stream (everything in memory, offset never advanced), 1000 operations per
 * call to /profiles/update, time.sleep(1) between calls, a 202 counted as success whatever the body, no
 * retry of 429/5xx, COMMIT only when nothing failed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';

export interface BaselineOptions {
  session: SnowflakeSession;
  stream: string;
  idColumn: string;
  dateColumns: string[];
  urlColumns: string[];
  apiUrl: string;
  apiKey: string;
  projectKey: string;
  /** 1000 in Batch's job; the variant "fixed for the 200 limit only" passes 200. */
  batchSize?: number;
  /** time.sleep(1) in Batch's job. */
  sleepMs?: number;
}

export interface BaselineResult {
  rows: number;
  requests: number;
  successCount: number;
  failCount: number;
  statuses: Record<string, number>;
  durationMs: number;
}

function isoSeconds(value: unknown): string | undefined {
  return value instanceof Date ? value.toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined;
}

export async function runBaselineJob(options: BaselineOptions): Promise<BaselineResult> {
  const started = performance.now();
  const batchSize = options.batchSize ?? 1000;
  const sleepMs = options.sleepMs ?? 1000;
  const dates = new Set(options.dateColumns.map((c) => c.toUpperCase()));
  const urls = new Set(options.urlColumns.map((c) => c.toUpperCase()));
  await options.session.query('BEGIN');
  // changes_df = session.sql(f"SELECT * FROM {stream}").to_pandas(): the whole stream in memory.
  const { rows } = await options.session.query(`SELECT * FROM ${options.stream}`);
  const result: BaselineResult = { rows: rows.length, requests: 0, successCount: 0, failCount: 0, statuses: {}, durationMs: 0 };
  let batch: unknown[] = [];
  const flush = async () => {
    const response = await fetch(`${options.apiUrl}/2.4/profiles/update`, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.apiKey}`, 'x-batch-project': options.projectKey, 'content-type': 'application/json' },
      body: JSON.stringify(batch),
    }).catch(() => undefined);
    result.requests++;
    const status = String(response?.status ?? 'network-error');
    result.statuses[status] = (result.statuses[status] ?? 0) + 1;
    await response?.text();
    if (response?.status === 202) result.successCount += batch.length;
    else result.failCount += batch.length;
    batch = [];
    await sleep(sleepMs);
  };
  for (const [index, row] of rows.entries()) {
    // Kept bug (§6.1): the final flush sits after this `continue`, so a trailing DELETE row loses the last batch.
    if (row['METADATA$ACTION'] === 'DELETE') continue; // "Batch doesn't support deletion"
    const attributes: Record<string, unknown> = {};
    for (const [column, value] of Object.entries(row)) {
      if (column.startsWith('METADATA$') || column === options.idColumn || value === null) continue;
      const name = column.toLowerCase();
      if (dates.has(column)) attributes[`date(${name})`] = isoSeconds(value);
      else if (urls.has(column)) attributes[`url(${name})`] = value;
      else attributes[name] = value instanceof Date ? isoSeconds(value) : value;
    }
    batch.push({ identifiers: { custom_id: String(row[options.idColumn]) }, attributes });
    if (batch.length === batchSize || index === rows.length - 1) await flush();
  }
  await options.session.query(result.failCount === 0 ? 'COMMIT' : 'ROLLBACK');
  result.durationMs = Math.round(performance.now() - started);
  return result;
}
