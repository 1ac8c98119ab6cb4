import { createTransform, type PayloadMapping } from '../../shared/payload/index.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import type { ProfileOperation } from '../batch/types.js';
import type { DeletePolicy } from '../options-types.js';
import { previewSql } from './capture.js';
import { streamDataColumns } from './run-sync.js';
import { OUTBOX_BOOKKEEPING, OUTBOX_COLUMNS, STATE_TABLE_NAMES, type StateTables } from './state-tables.js';
import type { Rejection } from '../../shared/payload/types.js';
import { findIdColumn } from '../../shared/payload/index.js';
import { usageError } from '../../shared/errors.js';

export interface PreviewSpec {
  session: SnowflakeSession;
  streamSql: string;
  tables: StateTables;
  stateSchemaSql: string | null;
  mapping: PayloadMapping;
  deletePolicy: DeletePolicy;
  sampleSize?: number;
}

export interface PreviewResult {
  pendingChanges: number;
  operations: number;
  rowsRejected: number;
  attributesRejected: number;
  deletesIgnored: number;
  /** Rows left in the outbox by an interrupted run (they would be sent too), null when it does not exist. */
  outboxLeftover: number | null;
  sample: ProfileOperation[];
  sampleRejections: Rejection[];
}

/**
 * --dry-run: builds the payloads the next run would send from a plain SELECT on the stream (which never
 * advances its offset, snowflake-spcs.md §1.5) and creates, writes and sends nothing.
 */
export async function previewRun(spec: PreviewSpec): Promise<PreviewResult> {
  const { session } = spec;
  const dataColumns = await streamDataColumns(session, spec.streamSql);
  const id = findIdColumn(dataColumns, spec.mapping.idColumn);
  if (!id) throw usageError('ID_COLUMN_NOT_FOUND', `--id-column ${spec.mapping.idColumn} is not a column of ${spec.streamSql}.`, { suggestion: `Use one of: ${dataColumns.map((c) => c.name).join(', ')}` });
  const sampleSize = spec.sampleSize ?? 3;
  const result: PreviewResult = { pendingChanges: 0, operations: 0, rowsRejected: 0, attributesRejected: 0, deletesIgnored: 0, outboxLeftover: null, sample: [], sampleRejections: [] };
  const { columns, rows } = session.stream<Record<string, unknown>>(
    previewSql({ streamSql: spec.streamSql, dataColumns, idColumn: id.name, deletePolicy: spec.deletePolicy }),
  );
  const transform = createTransform(await columns, { ...spec.mapping, ignoreColumns: [...(spec.mapping.ignoreColumns ?? []), ...OUTBOX_BOOKKEEPING] });
  for await (const row of rows) {
    result.pendingChanges++;
    const isDelete = row[OUTBOX_COLUMNS.action] === 'DELETE';
    if (isDelete && spec.deletePolicy === 'ignore') {
      result.deletesIgnored++;
      continue;
    }
    const transformed = isDelete ? transform.toDeleteOperation(row) : transform.toOperation(row);
    for (const rejection of transformed.rejections) {
      if (rejection.scope === 'row') result.rowsRejected++;
      else result.attributesRejected++;
      if (result.sampleRejections.length < sampleSize * 3) result.sampleRejections.push(rejection);
    }
    if (transformed.operation) {
      result.operations++;
      if (result.sample.length < sampleSize) result.sample.push(transformed.operation);
    }
  }
  result.outboxLeftover = await countIfExists(session, spec);
  return result;
}

async function countIfExists(session: SnowflakeSession, spec: PreviewSpec): Promise<number | null> {
  const where = spec.stateSchemaSql ? ` IN SCHEMA ${spec.stateSchemaSql}` : '';
  const tables = await session.query(`SHOW TABLES LIKE '${STATE_TABLE_NAMES.outbox}'${where}`);
  if (tables.rows.length === 0) return null;
  const count = await session.query<{ N: unknown }>(`SELECT COUNT(*) AS N FROM ${spec.tables.outbox}`);
  return Number(count.rows[0]?.N ?? 0);
}
