/**
 * A resync request (issue 20): "re-send every current row of the view on the next run", written by the CLI
 * (`init` after a mapping change, `run --resync`) into the control row of the sync, honoured by the worker
 * (worker/sync/resync.ts). Two columns of BATCH_SYNC_CONTROL:
 *  - RESYNC_REQUEST: JSON {id, source, unset, requestedAt}; `source` is the view as a qualified SQL name,
 *    `unset` the attributes to send as null (columns removed from the mapping, when the user agreed);
 *  - RESYNC_FILLED: the id of the request whose rows the worker has put into the outbox.
 * The worker clears both only once the outbox is empty, with a compare on the request text, so a newer
 * request written meanwhile is never lost. Tables made before this existed get the columns from the request
 * itself (ALTER TABLE … ADD COLUMN IF NOT EXISTS), so a worker never has to alter its control table.
 */
import { randomUUID } from 'node:crypto';
import type { BindValue } from '../snowflake/types.js';
import { parseQualifiedName, renderQualifiedName } from '../sql/identifiers.js';
import { CONTROL_DDL } from './control-table.js';

export interface ResyncRequest {
  id: string;
  /** The view whose current rows are re-sent, as a qualified SQL name (validated again by the worker). */
  source: string;
  /** Batch attribute names sent as null with every re-sent row (lower case, [a-z0-9_] or a $native). */
  unset: string[];
  requestedAt: string;
}

export interface Statement {
  sql: string;
  binds: BindValue[];
}

/** The new request (s.R) with its unset list merged with the recorded one (t.RESYNC_REQUEST), as JSON text. */
const RECORDED_UNSET = 'TRY_PARSE_JSON(t.RESYNC_REQUEST):unset';
const MERGED_UNSET = `ARRAY_EXCEPT(ARRAY_DISTINCT(ARRAY_CAT(IFF(IS_ARRAY(${RECORDED_UNSET}), ${RECORDED_UNSET}, ARRAY_CONSTRUCT()), s.R:unset)), s.MAPPED)`;
const MERGED_REQUEST = `TO_JSON(OBJECT_CONSTRUCT('id', s.R:id, 'source', s.R:source, 'unset', ${MERGED_UNSET}, 'requestedAt', s.R:requestedAt))`;

const ATTRIBUTE = /^(\$[a-z_]{1,30}|[a-z0-9_]{1,30})$/;

export function newResyncRequest(source: string, unset: readonly string[], now: Date): ResyncRequest {
  return { id: randomUUID(), source, unset: [...new Set(unset)].filter((a) => ATTRIBUTE.test(a)).sort(), requestedAt: now.toISOString() };
}

/**
 * The statements that record a request (idempotent, in this order): the control table if missing, its two
 * resync columns if the table predates them, the request itself, and, when the task only runs WHEN a stream
 * has data, a row in the pending-changes marker so the next scheduled run starts even if the view did not change.
 *
 * The request replaces an unfinished one (which starts over) but keeps what that one was to unset: the MERGE
 * itself unions the unset list recorded when it runs with the new one, minus `mapped` (the attributes of the
 * columns in the mapping now, which must not be unset), so a request recorded between the caller's read and
 * this write (`init` reads when it plans and writes when it applies) keeps its unsets. An unset list that is
 * not an ARRAY (a request this code did not write) counts as empty. Functions: TRY_PARSE_JSON, IS_ARRAY,
 * ARRAY_CAT, ARRAY_DISTINCT, ARRAY_EXCEPT (multi-set, hence after ARRAY_DISTINCT), OBJECT_CONSTRUCT, TO_JSON
 * (https://docs.snowflake.com/en/sql-reference/functions/array_except and the pages next to it); the order of
 * the merged list is unspecified (parseResyncRequest sorts it).
 */
export function resyncRequestStatements(controlTableSql: string, syncName: string, request: ResyncRequest, pendingTableSql: string | null, mapped: readonly string[]): Statement[] {
  const text = JSON.stringify(request);
  const statements: Statement[] = [
    { sql: `CREATE TABLE IF NOT EXISTS ${controlTableSql} ${CONTROL_DDL}`, binds: [] },
    { sql: `ALTER TABLE ${controlTableSql} ADD COLUMN IF NOT EXISTS RESYNC_REQUEST VARCHAR`, binds: [] },
    { sql: `ALTER TABLE ${controlTableSql} ADD COLUMN IF NOT EXISTS RESYNC_FILLED VARCHAR`, binds: [] },
    {
      sql:
        `MERGE INTO ${controlTableSql} AS t USING (SELECT SYNC_NAME, RESYNC_REQUEST, PARSE_JSON(RESYNC_REQUEST) AS R, PARSE_JSON(MAPPED) AS MAPPED ` +
        `FROM (SELECT ? AS SYNC_NAME, ? AS RESYNC_REQUEST, ? AS MAPPED)) AS s ON t.SYNC_NAME = s.SYNC_NAME ` +
        `WHEN MATCHED THEN UPDATE SET RESYNC_REQUEST = ${MERGED_REQUEST}, RESYNC_FILLED = NULL, UPDATED_AT = CURRENT_TIMESTAMP() ` +
        `WHEN NOT MATCHED THEN INSERT (SYNC_NAME, PAUSED, RESYNC_REQUEST, UPDATED_AT) VALUES (s.SYNC_NAME, FALSE, s.RESYNC_REQUEST, CURRENT_TIMESTAMP())`,
      binds: [syncName, text, JSON.stringify([...new Set(mapped)])],
    },
  ];
  if (pendingTableSql) statements.push({ sql: `INSERT INTO ${pendingTableSql} (RUN_ID, MARKED_AT) VALUES (?, CURRENT_TIMESTAMP())`, binds: [`resync:${request.id}`] });
  return statements;
}

/** Reads RESYNC_REQUEST; null when absent or not a request this code wrote (the source is re-validated: it is interpolated). */
export function parseResyncRequest(text: string | null): ResyncRequest | null {
  if (!text) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const r = raw as Partial<ResyncRequest> | null;
  if (!r || typeof r.id !== 'string' || typeof r.source !== 'string' || !Array.isArray(r.unset) || typeof r.requestedAt !== 'string') return null;
  let source: string;
  try {
    source = renderQualifiedName(parseQualifiedName(r.source, 'resync source view', 3));
  } catch {
    return null;
  }
  const unset = [...new Set(r.unset.filter((a): a is string => typeof a === 'string' && ATTRIBUTE.test(a)))].sort();
  return { id: r.id, source, unset, requestedAt: r.requestedAt };
}
