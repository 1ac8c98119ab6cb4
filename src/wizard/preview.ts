/**
 * Before anything is written: the first rows as the exact payloads Batch will receive (THE transform the
 * worker uses, shared/payload) and every validation problem on the sample, counted by reason, plus the
 * column problems (invalid attribute names with the alias that fixes them).
 */
import { createTransform, validateColumns, type PayloadMapping, type ProfileOperation, type Rejection } from '../../shared/payload/index.js';
import type { IdColumnStats, SourceSample } from '../introspect/source.js';
import type { Wizard } from './context.js';

export interface PreviewResult {
  sampledRows: number;
  payloads: ProfileOperation[];
  /** Rejections on the sample, by reason. */
  problems: Record<string, number>;
  /** Rows rejected as a whole (no ID). */
  rejectedRows: number;
  columnIssues: Array<{ severity: 'error' | 'warning'; column: string; message: string }>;
  /** One example message per reason. */
  examples: Record<string, string>;
  /** The ID column on the whole source: rows repeating an ID, rows without one (null: not checked). */
  idColumn: IdColumnStats | null;
}

export const PREVIEW_PAYLOADS = 3;

export function buildPreview(sample: SourceSample, mapping: PayloadMapping, idStats: IdColumnStats | null = null): PreviewResult {
  const report = validateColumns(sample.columns, mapping);
  const result: PreviewResult = { sampledRows: sample.rows.length, payloads: [], problems: {}, rejectedRows: 0, examples: {}, idColumn: idStats, columnIssues: report.issues.map((i) => ({ severity: i.severity, column: i.column, message: i.message })) };
  if (!report.ok) return result;
  const transform = createTransform(sample.columns, mapping);
  const count = (rejection: Rejection) => {
    result.problems[rejection.reason] = (result.problems[rejection.reason] ?? 0) + 1;
    result.examples[rejection.reason] ??= rejection.message;
  };
  for (const row of sample.rows) {
    const { operation, rejections } = transform.toOperation(row);
    rejections.forEach(count);
    if (!operation) result.rejectedRows += 1;
    else if (result.payloads.length < PREVIEW_PAYLOADS) result.payloads.push(operation);
  }
  return result;
}

export function printPreview(w: Wizard, preview: PreviewResult): void {
  const { output } = w;
  output.info(output.style.bold(`\nPreview: the first ${preview.payloads.length} payload(s) Batch will receive`));
  for (const payload of preview.payloads) output.info(`  ${JSON.stringify(payload)}`);
  for (const issue of preview.columnIssues) (issue.severity === 'error' ? output.warn : output.info)(`${issue.severity === 'error' ? '' : 'note: '}${issue.message}`);
  const id = preview.idColumn;
  if (id && (id.duplicates > 0 || id.nulls > 0)) {
    output.warn(`ID column problems on all ${id.rows} row(s) of the source:`);
    if (id.duplicates > 0) output.info(`  ${String(id.duplicates).padStart(5)} × duplicate_id: the row repeats an ID; profiles sharing it overwrite each other (last write wins)`);
    if (id.nulls > 0) output.info(`  ${String(id.nulls).padStart(5)} × missing_id: no ID, the row never syncs`);
  }
  // With whole-source counts, the sample's missing_id count would only repeat part of them.
  const problems = Object.entries(preview.problems).filter(([reason]) => !(id && reason === 'missing_id'));
  const total = problems.reduce((a, [, n]) => a + n, 0);
  if (total === 0 && id && (id.duplicates > 0 || id.nulls > 0)) {
    output.info(`No other validation problem in the ${preview.sampledRows} sampled row(s)`);
    return;
  }
  if (total === 0) {
    output.success(`No validation problems in the ${preview.sampledRows} sampled row(s)`);
    return;
  }
  output.warn(`${total} validation problem(s) in the ${preview.sampledRows} sampled row(s)${preview.rejectedRows ? `, ${preview.rejectedRows} row(s) not sent at all` : ''}:`);
  for (const [reason, n] of problems.sort((a, b) => b[1] - a[1])) {
    output.info(`  ${String(n).padStart(5)} × ${reason}: e.g. ${preview.examples[reason] ?? ''}`);
  }
  output.info('  Rejected values are skipped (and recorded in BATCH_SYNC_REJECTED); the rest of each row is still sent.');
}
