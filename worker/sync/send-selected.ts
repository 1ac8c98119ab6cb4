/**
 * A restricted run (`--limit N` / `--only-ids A,B`, the CLI's `run --limit` / `--ids`, issue 17 item 3): the
 * stream is captured into the outbox exactly as in a normal run (so the offset advances and nothing is lost),
 * then only the selected outbox rows are sent, ONE operation per /profiles/update request so that each
 * operation gets Batch's own answer, and only those rows leave the outbox (deleted by ID: never the prefix
 * delete of a normal run, which would also drop the unselected rows between them). Every other change stays
 * in the outbox for the next normal run: nothing lost, nothing sent twice.
 */
import { createTransform } from '../../shared/payload/index.js';
import type { ColumnInfo } from '../../shared/snowflake/types.js';
import type { ProfileOperation, SendOutcome } from '../batch/types.js';
import type { Restriction } from '../options-types.js';
import { OUTPUT_FORMAT_PARAMETERS, outboxSelectList, transformColumns } from './outbox-read.js';
import { BatchDeliverer, type ProfileSender } from './send-batch.js';
import { toRejectedRecord, type SendCounters, type SendSpec } from './send-outbox.js';
import { OUTBOX_BOOKKEEPING, OUTBOX_COLUMNS, type StateTables } from './state-tables.js';

/** What happened to one selected ID, with Batch's answer when it was sent. */
export interface SelectedResult {
  customId: string;
  /** sent: Batch accepted it (202); rejected: Batch or our validation refused it; not_pending: no change waits for it; ignored: a deleted row under --delete-policy ignore. */
  outcome: 'sent' | 'rejected' | 'not_pending' | 'ignored';
  operation: ProfileOperation | null;
  /** Batch's answer: HTTP status and code (SUCCESS, SUCCESS_WITH_PARTIAL_ERRORS or the error code). */
  response: { status: number; code: string; message?: string; errors?: Array<{ attribute: string | null; reason: string }> } | null;
  /** Attributes our transform dropped before sending (reason per attribute). */
  dropped: Array<{ attribute: string | null; reason: string }>;
}

export type SelectedSpec = Pick<SendSpec, 'session' | 'tables' | 'sender' | 'writer' | 'mapping' | 'deletePolicy' | 'dataColumns' | 'signal' | 'log'> & {
  restriction: Restriction;
};

/** The selected outbox rows: by ID (bound parameters) or the first N in send order. */
export function selectedOutboxSql(tables: StateTables, dataColumns: readonly ColumnInfo[], restriction: Restriction): { sql: string; binds: string[] } {
  const base = `SELECT ${outboxSelectList(dataColumns)} FROM ${tables.outbox}`;
  const key = OUTBOX_COLUMNS.syncId;
  if (restriction.kind === 'ids') return { sql: `${base} WHERE ${key} IN (${restriction.ids.map(() => '?').join(', ')}) ORDER BY ${key}`, binds: [...restriction.ids] };
  // A validated integer (1..MAX_RESTRICTED), so it may be written into the statement.
  return { sql: `${base} ORDER BY ${key} LIMIT ${Math.trunc(restriction.limit)}`, binds: [] };
}

/** Captures the outcome of each send so the caller can show Batch's answer (BatchDeliverer keeps its semantics). */
function recording(sender: ProfileSender): ProfileSender & { last: SendOutcome | null } {
  const wrapper = {
    last: null as SendOutcome | null,
    send: async (...args: Parameters<ProfileSender['send']>) => {
      const outcome = await sender.send(...args);
      wrapper.last = outcome;
      return outcome;
    },
  };
  return wrapper;
}

function responseOf(outcome: SendOutcome | null): SelectedResult['response'] {
  if (!outcome) return null;
  if (outcome.kind === 'rejected') return { status: outcome.status, code: outcome.errorCode ?? 'REJECTED', message: outcome.message };
  if (outcome.itemErrors.length === 0) return { status: 202, code: 'SUCCESS' };
  return { status: 202, code: 'SUCCESS_WITH_PARTIAL_ERRORS', errors: outcome.itemErrors.map((e) => ({ attribute: e.attribute ?? null, reason: e.reason })) };
}

export async function sendSelected(spec: SelectedSpec, counters: SendCounters): Promise<SelectedResult[]> {
  const { sql, binds } = selectedOutboxSql(spec.tables, spec.dataColumns, spec.restriction);
  const { columns, rows } = spec.session.stream<Record<string, unknown>>(sql, binds, { parameters: OUTPUT_FORMAT_PARAMETERS });
  const selected: Array<Record<string, unknown>> = [];
  for await (const row of rows) selected.push(row);
  const transform = createTransform(transformColumns(await columns, spec.dataColumns), { ...spec.mapping, ignoreColumns: [...(spec.mapping.ignoreColumns ?? []), ...OUTBOX_BOOKKEEPING] });
  const sender = recording(spec.sender);
  const deliverer = new BatchDeliverer(sender, 'update');
  const results: SelectedResult[] = [];
  const handled: string[] = [];
  for (const row of selected) {
    if (spec.signal.aborted) break;
    const syncId = String(row[OUTBOX_COLUMNS.syncId]);
    counters.rowsRead++;
    const isDelete = row[OUTBOX_COLUMNS.action] === 'DELETE';
    if (isDelete && spec.deletePolicy === 'ignore') {
      counters.deletesIgnored++;
      handled.push(syncId);
      results.push({ customId: syncId, outcome: 'ignored', operation: null, response: null, dropped: [] });
      continue;
    }
    const result = isDelete ? transform.toDeleteOperation(row) : transform.toOperation(row);
    const dropped = result.rejections.map((r) => ({ attribute: r.attribute, reason: r.reason }));
    for (const r of result.rejections) r.scope === 'row' ? counters.rowsRejected++ : counters.attributesRejected++;
    spec.writer.reject(result.rejections.map(toRejectedRecord));
    if (!result.operation) {
      handled.push(syncId);
      results.push({ customId: syncId, outcome: 'rejected', operation: null, response: null, dropped });
      continue;
    }
    sender.last = null;
    // Throws on 401/403/404 and on exhausted retries: what was handled so far is still deleted (finally below).
    try {
      const delivery = await deliverer.deliver([result.operation], spec.signal);
      counters.profilesSent += delivery.accepted;
      for (const r of delivery.rejections) r.attribute === null ? counters.rowsRejected++ : counters.attributesRejected++;
      spec.writer.reject(delivery.rejections);
      handled.push(syncId);
      const response = responseOf(sender.last);
      results.push({ customId: result.operation.identifiers.custom_id, outcome: delivery.accepted > 0 ? 'sent' : 'rejected', operation: result.operation, response, dropped });
      spec.log.info('send.selected', { customId: result.operation.identifiers.custom_id, status: response?.status ?? null, code: response?.code ?? null });
    } catch (error) {
      spec.writer.deleteIds(handled);
      await spec.writer.flush();
      throw error;
    }
  }
  spec.writer.deleteIds(handled);
  await spec.writer.flush();
  if (spec.signal.aborted) throw spec.signal.reason;
  if (spec.restriction.kind === 'ids') {
    const found = new Set(selected.map((r) => String(r[OUTBOX_COLUMNS.syncId])));
    for (const id of spec.restriction.ids) if (!found.has(id)) results.push({ customId: id, outcome: 'not_pending', operation: null, response: null, dropped: [] });
  }
  return results;
}
