/**
 * Before anything is written: the first rows as the exact payloads Batch will receive (THE transform the
 * worker uses, shared/payload) and every validation problem on the sample, counted by reason, plus the
 * column problems (invalid attribute names with the alias that fixes them).
 */
import { createTransform, validateColumns, type PayloadMapping, type ProfileOperation, type Rejection } from '../../shared/payload/index.js';
import type { SourceSample } from '../introspect/source.js';
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
}

export const PREVIEW_PAYLOADS = 3;

export function buildPreview(sample: SourceSample, mapping: PayloadMapping): PreviewResult {
  const report = validateColumns(sample.columns, mapping);
  const result: PreviewResult = { sampledRows: sample.rows.length, payloads: [], problems: {}, rejectedRows: 0, examples: {}, columnIssues: report.issues.map((i) => ({ severity: i.severity, column: i.column, message: i.message })) };
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
  const total = Object.values(preview.problems).reduce((a, b) => a + b, 0);
  if (total === 0) {
    output.success(`No validation problems in the ${preview.sampledRows} sampled row(s)`);
    return;
  }
  output.warn(`${total} validation problem(s) in the ${preview.sampledRows} sampled row(s)${preview.rejectedRows ? `, ${preview.rejectedRows} row(s) not sent at all` : ''}:`);
  for (const [reason, n] of Object.entries(preview.problems).sort((a, b) => b[1] - a[1])) {
    output.info(`  ${String(n).padStart(5)} × ${reason}: e.g. ${preview.examples[reason] ?? ''}`);
  }
  output.info('  Rejected values are skipped (and recorded in BATCH_SYNC_REJECTED); the rest of each row is still sent.');
}
