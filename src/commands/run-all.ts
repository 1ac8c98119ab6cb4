/**
 * `run` without --sync on a project of several syncs: each sync in turn, in config order, then one table
 * (sync, kind, outcome, sent, rejected, duration). SPCS syncs share one session (one sign-in); a sync outside
 * SPCS (runner external) is one `sync` run each, whose worker signs in itself. `--resync` applies to every
 * profile sync; an event sync runs without it (events are never re-sent). A sync that fails does not stop
 * the next one; the exit code is the worst sync's (src/operate/each-sync.ts).
 */
import type { CommandContext, CommandOutcome } from '../runtime/context.js';
import type { RunOptions } from './options.js';
import type { Installed } from '../operate/installed.js';
import { scheduleMode } from '../config/answers.js';
import { duration, errorNotes, forEachSync, SharedSession, renderTable, worstExitCode, type SyncError } from '../operate/each-sync.js';
import { isSyncInstalled } from '../operate/status-overview.js';
import { OPERATE_EXIT_CODES } from '../operate/verdict.js';
import { resyncExternal, runTaskOn } from './run-task.js';
import { withStdinKeyOnce } from './worker-env.js';

export interface RunRow {
  sync: string;
  kind: 'profile' | 'event';
  /** succeeded, partial, failed, cancelled, skipped (nothing to send), started (--no-wait), still running, resync queued, paused, locked, continuous (no task: its service runs it), not installed, error. */
  outcome: string;
  /** Profile operations sent (PROFILES_SENT: a profile sync's profiles, an event sync's profiles with events). */
  sent: number | null;
  /** Rows and attribute values rejected. */
  rejected: number | null;
  durationMs: number | null;
  exitCode: number;
  /** What `run --sync NAME` returns for this sync (--json). */
  result: unknown;
  error: SyncError | null;
  /** The sync's own summary, shown under the table when it did not succeed. */
  text?: string;
}

type Counts = { profilesSent?: number | null; rowsRejected?: number | null; attributesRejected?: number | null; durationMs?: number | null };
const sum = (a: number | null | undefined, b: number | null | undefined) => (a === null || a === undefined) && (b === null || b === undefined) ? null : (a ?? 0) + (b ?? 0);

/** The table's cells from what `run --sync NAME` returned (task path or external `sync`). Pure. */
export function runRow(one: Pick<RunRow, 'sync' | 'kind'>, outcome: CommandOutcome): RunRow {
  const r = (outcome.result ?? {}) as Record<string, unknown>;
  const base = { ...one, exitCode: outcome.exitCode ?? 0, result: outcome.result, error: null, ...(outcome.text !== undefined ? { text: outcome.text } : {}) };
  const counts = (c: Counts | undefined) => ({ sent: c?.profilesSent ?? null, rejected: c ? sum(c.rowsRejected, c.attributesRejected) : null, durationMs: c?.durationMs ?? null });
  if (typeof r.status === 'string') {
    // External: the worker's outcome (SUCCESS, PARTIAL, PAUSED, LOCKED, ERROR).
    const names: Record<string, string> = { SUCCESS: 'succeeded', PARTIAL: 'partial', PAUSED: 'paused', LOCKED: 'locked', ERROR: 'failed' };
    return { ...base, outcome: names[r.status] ?? r.status.toLowerCase(), ...counts(r.summary as Counts | undefined) };
  }
  if ((r.resync as { queued?: boolean } | undefined)?.queued) return { ...base, outcome: 'resync queued', sent: null, rejected: null, durationMs: null };
  if (r.started) return { ...base, outcome: 'started', sent: null, rejected: null, durationMs: null };
  if (r.timedOut) return { ...base, outcome: 'still running', sent: null, rejected: null, durationMs: null };
  if (r.skipped) return { ...base, outcome: 'skipped', sent: 0, rejected: 0, durationMs: null };
  const view = r.run as (Counts & { outcome: string }) | undefined;
  return { ...base, outcome: view?.outcome ?? 'finished', ...counts(view) };
}

const cell = (n: number | null) => (n === null ? '-' : String(n));

export function renderRunTable(rows: readonly RunRow[]): string {
  const table = renderTable(['sync', 'kind', 'outcome', 'sent', 'rejected', 'duration'], rows.map((r) => [r.sync, r.kind, r.outcome, cell(r.sent), cell(r.rejected), duration(r.durationMs)]));
  const details = rows.filter((r) => !r.error && r.exitCode !== 0 && r.text).flatMap((r) => ['', `${r.sync}:`, ...r.text!.split('\n').map((l) => `  ${l}`)]);
  const errors = errorNotes(rows);
  const next = rows.some((r) => r.exitCode !== 0) ? ['', 'next: batch-snowflake status   (one line per sync; then status --sync NAME)'] : [];
  return [table, ...details, ...(errors.length > 0 ? ['', ...errors] : []), ...next].join('\n');
}

export async function runAll(syncs: readonly Installed[], given: RunOptions, outer: CommandContext): Promise<CommandOutcome> {
  // The external runs each need the key; stdin can be read once.
  const external = given.restApiKeyStdin && syncs.some((s) => s.answers.runner === 'external');
  const context = external ? await withStdinKeyOnce(outer, true) : outer;
  const options = external ? { ...given, restApiKeyStdin: false } : given;
  const shared = new SharedSession(context);
  const rows: RunRow[] = [];
  try {
    const done = await forEachSync(syncs, context.signal, async (one): Promise<RunRow> => {
      const id = { sync: one.sync, kind: one.answers.kind };
      if (!isSyncInstalled(one)) {
        return { ...id, outcome: 'not installed', sent: null, rejected: null, durationMs: null, exitCode: OPERATE_EXIT_CODES.notInstalled, result: null, error: null, text: 'Nothing of this sync is installed.\n  next: batch-snowflake init' };
      }
      if (scheduleMode(one.answers.schedule) === 'continuous') {
        // No task to run: its service runs the sync as soon as the stream has changes.
        return { ...id, outcome: 'continuous', sent: null, rejected: null, durationMs: null, exitCode: 0, result: null, error: null };
      }
      context.output.info(context.output.style.dim(`── sync ${one.sync} (${one.answers.kind})`));
      const resync = options.resync && one.answers.kind === 'profile';
      if (options.resync && !resync) context.output.info(`${one.sync} is an event sync: events are sent once, never re-sent; it runs without --resync.`);
      if (one.answers.runner === 'external') {
        if (resync) return runRow(id, await resyncExternal({ ...options, sync: one.sync }, context, one));
        return runRow(id, await (await import('./sync.js')).run({ sync: one.sync, dryRun: false, restApiKeyStdin: options.restApiKeyStdin }, context));
      }
      return runRow(id, await runTaskOn(await shared.of(one), one, { ...options, resync }, context));
    });
    for (const d of done) {
      rows.push(d.value ?? { sync: d.sync.sync, kind: d.sync.answers.kind, outcome: 'error', sent: null, rejected: null, durationMs: null, exitCode: d.error!.exitCode, result: null, error: d.error! });
    }
  } finally {
    await shared.close();
  }
  const json = rows.map(({ text: _text, ...row }) => row);
  return { result: { syncs: json }, text: renderRunTable(rows), exitCode: worstExitCode(rows.map((r) => r.exitCode)) };
}
