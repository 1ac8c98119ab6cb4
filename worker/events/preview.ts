/** Dry run of an event sync: the first events the stream would give, built but not sent (a SELECT never advances the offset). */
import { createEventTransform, eventWindow } from '../../shared/events/index.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { toEventMapping } from '../options-events.js';
import type { WorkerOptions } from '../options-types.js';
import { streamDataColumns } from '../sync/run-sync.js';
import { eventSelectSql } from './capture.js';

const PREVIEW_ROWS = 5;

export async function previewEvents(session: SnowflakeSession, options: WorkerOptions): Promise<Record<string, unknown>> {
  const stream = options.sourceStream.sql;
  const dataColumns = await streamDataColumns(session, stream);
  const transform = createEventTransform(dataColumns, toEventMapping(options));
  const timeColumn = dataColumns.find((c) => c.name === transform.timeColumn)!;
  const sql = `${eventSelectSql({ streamSql: stream, dataColumns, idColumn: transform.idColumn, timeColumn })} ORDER BY 1 LIMIT ${PREVIEW_ROWS}`;
  const { rows } = await session.query<Record<string, unknown>>(sql);
  const now = Date.now();
  const events = rows.map((row) => {
    const { record, rejections } = transform.toEvent(row);
    const late = record ? eventWindow(record, now) : null;
    return { customId: record?.customId ?? null, event: late ? null : (record?.event ?? null), rejections: [...rejections, ...(late ? [late] : [])].map((r) => ({ reason: r.reason, message: r.message })) };
  });
  return { stream, kind: 'event', events };
}
