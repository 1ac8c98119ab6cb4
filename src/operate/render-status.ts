/**
 * Human text for `status` (stdout) and the one-run summary `run` prints. The verdict comes first so that
 * `batch-snowflake status | head -3` answers "is it working, and what do I do".
 */
import type { RunView } from './merge-runs.js';
import type { StatusReport } from './status-report.js';
import { costLine } from './cost-estimate.js';
import { usageLine } from './cost-usage.js';
import { oneLine, type VerdictLevel } from './verdict.js';
import { renderAlertLines } from './alert-status.js';

const SYMBOL: Record<VerdictLevel, string> = { healthy: '✔', degraded: '⚠', failing: '✖' };

export const when = (iso: string | null) => (iso ? `${iso.replace('T', ' ').slice(0, 16)} UTC` : '-');

export function duration(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 1000) return `${ms}ms`;
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 120 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

function inDays(iso: string | null, now: string): string {
  if (!iso) return '';
  const days = (Date.parse(iso) - Date.parse(now)) / 86_400_000;
  return days < 0 ? ' (past)' : days < 1 ? ` (in ${Math.max(0, Math.round(days * 24))} h)` : ` (in ${Math.floor(days)} days)`;
}

const num = (n: number | null) => (n === null ? '-' : String(n));

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => `  ${r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()}`);
}

export function renderRuns(runs: readonly RunView[]): string[] {
  if (runs.length === 0) return ['  (no runs yet)'];
  const rows = [['STARTED', 'RESULT', 'DURATION', 'ROWS', 'SENT', 'REJECTED', 'RUN ID']];
  for (const run of runs) {
    const rejected = run.rowsRejected === null ? '-' : String((run.rowsRejected ?? 0) + (run.attributesRejected ?? 0));
    rows.push([when(run.startedAt), run.outcome, duration(run.durationMs), num(run.rowsCaptured), num(run.profilesSent), rejected, run.id]);
  }
  const lines = table(rows);
  const failed = runs.find((run) => run.outcome === 'failed' && run.error);
  if (failed?.error) lines.push(`  last error: ${oneLine(failed.error)}`);
  return lines;
}

function serviceLine(s: NonNullable<StatusReport['service']>): string {
  const state = s.status === 'SUSPENDED' ? 'paused (suspended)' : s.status.toLowerCase();
  const container = s.container ? `; worker ${s.container.status.toLowerCase()}${s.container.restarts ? `, restarted ${s.container.restarts} time(s)` : ''}` : '';
  return `${s.name}: ${state}, continuous (checks the stream every few seconds)${container}`;
}

function taskLine(report: StatusReport): string {
  const t = report.task;
  if (!t.exists) return `${t.name}: missing`;
  const state = t.autoSuspended ? `suspended by Snowflake after failures (${t.lastSuspendedReason})` : t.state === 'started' ? 'started' : 'paused (suspended)';
  const skipped = t.condition ? ', skipped when the stream is empty' : '';
  const next = t.state === 'started' ? `; next run ${when(t.nextRun)}` : '';
  const skippedRuns = t.skippedRuns ? `; ${t.skippedRuns} run(s) skipped (no changes) in the last 7 days` : '';
  // No SCHEDULE: a triggered task (schedule `triggered`), started by its stream.
  if (t.schedule === null && t.condition) return `${t.name}: ${state}, triggered when the stream has data${skippedRuns}`;
  return `${t.name}: ${state}, every ${t.schedule ?? '?'}${skipped}${next}${skippedRuns}`;
}

function streamLine(report: StatusReport): string {
  const s = report.stream;
  if (!s.exists) return `${s.name}: missing`;
  if (s.stale) return `${s.name}: STALE since ${when(s.staleAfter)} — recreate it with \`batch-snowflake init\` (the next run resends every row)`;
  const pending = report.pending.streamRows !== null ? `${report.pending.streamRows} pending change(s)` : report.pending.streamHasData ? 'has pending changes' : 'no pending changes';
  const warn = s.staleSoon ? ' ⚠ soon' : '';
  return `${s.name} on ${s.source ?? '?'}: ${pending}; stale after ${when(s.staleAfter)}${inDays(s.staleAfter, report.checkedAt)}${warn}`;
}

export function renderStatus(report: StatusReport): string {
  const v = report.verdict;
  const lines = [`${SYMBOL[v.level]} ${v.level}${v.reasons[0] ? ` — ${v.reasons[0]}` : ''}`];
  for (const reason of v.reasons.slice(1)) lines.push(`  also: ${reason}`);
  lines.push(v.next ? `  next: ${v.next}` : '  nothing to do');
  lines.push('');
  if (report.runner === 'external') {
    lines.push(`Runner   external: your scheduler runs \`batch-snowflake sync\`${report.paused ? '; PAUSED (batch-snowflake resume)' : ''}`);
  } else {
    if (report.service !== undefined) lines.push(`Service  ${report.service ? serviceLine(report.service) : 'missing'}`);
    else lines.push(`Task     ${taskLine(report)}`);
    const tag = report.image.taskTag ?? '?';
    const deployed = report.image.deployedTag && report.image.deployedTag !== tag ? ` (batch-snowflake.json says ${report.image.deployedTag})` : '';
    lines.push(`Image    batch-snowflake-worker:${tag}${deployed}`);
  }
  lines.push(`Stream   ${streamLine(report)}`);
  const outbox = report.pending.outboxRows;
  lines.push(`Outbox   ${outbox === null ? 'not created yet (the first run creates it)' : `${outbox} captured change(s) not yet sent`}`);
  for (const object of report.missing) lines.push(`Missing  ${object}`);
  lines.push(`Cost     ${report.usage ? usageLine(report.usage) : costLine(report.cost)}`);
  lines.push('', `Last runs (${report.runs.length})`, ...renderRuns(report.runs));
  if (report.rejected && report.rejected.length > 0) {
    lines.push('', 'Rejected in the last 7 days (by reason)');
    for (const group of report.rejected) {
      const attributes = group.attributes.slice(0, 5).map((a) => `${a.attribute ?? '(row)'} ×${a.count}${a.example ? ` e.g. ${JSON.stringify(a.example)}` : ''}`);
      const more = group.attributes.length > 5 ? `, +${group.attributes.length - 5} more` : '';
      lines.push(`  ${group.reason}: ${group.count} — ${attributes.join(', ')}${more}`);
    }
  }
  lines.push(...renderAlertLines(report.alerts ?? null, when));
  if (report.notes.length > 0) lines.push('', ...report.notes.map((n) => `note: ${n}`));
  return `${lines.join('\n')}\n`;
}

/** Summary of one run (`run` after it finished). */
export function renderRunSummary(run: RunView): string {
  const head = `Run ${run.id}: ${run.outcome} in ${duration(run.durationMs)}`;
  if (run.workerStatus === null) return `${head}${run.error ? `\n  error: ${run.error}` : ''}`;
  const rejected = (run.rowsRejected ?? 0) + (run.attributesRejected ?? 0);
  const lines = [
    head,
    `  rows captured ${num(run.rowsCaptured)}, profiles sent ${num(run.profilesSent)}, rejected ${rejected} (rows ${num(run.rowsRejected)}, attributes ${num(run.attributesRejected)})`,
    `  requests ${num(run.requests)}, retries ${num(run.retries)}`,
  ];
  if (run.error) lines.push(`  error: ${run.error}`);
  return lines.join('\n');
}
