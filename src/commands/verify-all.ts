/**
 * `verify` without --sync on a project of several syncs: every profile sync, in config order (its N sampled
 * IDs read on one shared session, then one Batch export per sync, which may use another project key); event
 * syncs are skipped with a note (verify compares profile attributes; events are not readable back from
 * Batch's export). Then a table (sync, kind, outcome, sampled, mismatches) and each sync's mismatches.
 * Exit 0 when every verified sync is equal, 14 on a mismatch, an error's code when a sync could not be verified.
 * A project with no profile sync is refused (NOTHING_TO_VERIFY) before connecting.
 */
import type { CommandContext, CommandOutcome } from '../runtime/context.js';
import type { VerifyOptions } from './options.js';
import { usageError } from '../../shared/errors.js';
import { runEventSync, type Installed } from '../operate/installed.js';
import { errorNotes, forEachSync, SharedSession, renderTable, worstExitCode, type SyncError } from '../operate/each-sync.js';
import { isSyncInstalled } from '../operate/status-overview.js';
import { compareWithBatch, expectedOf, keyMissing, type Verified } from './verify-compare.js';
import { restKey, withStdinKeyOnce } from './worker-env.js';

export interface VerifyRow {
  sync: string;
  kind: 'profile' | 'event';
  outcome: 'equal' | 'mismatch' | 'skipped' | 'error';
  /** Why it was skipped (event sync, not installed). */
  note: string | null;
  verified: Verified['result'] | null;
  error: SyncError | null;
  text?: string;
}

export function renderVerifyTable(rows: readonly VerifyRow[]): string {
  const cells = rows.map((r) => [r.sync, r.kind, r.outcome, r.verified ? String(r.verified.sampled) : '-', r.verified ? String(r.verified.mismatches.length) : '-', r.note ?? '']);
  const mismatches = rows.filter((r) => r.outcome === 'mismatch').flatMap((r) => ['', `${r.sync}: ${r.text ?? ''}`]);
  const errors = errorNotes(rows);
  return [renderTable(['sync', 'kind', 'outcome', 'sampled', 'mismatches', 'note'], cells), ...mismatches, ...(errors.length > 0 ? ['', ...errors] : [])].join('\n');
}

const skipped = (one: Installed, note: string): VerifyRow => ({ sync: one.sync, kind: one.answers.kind, outcome: 'skipped', note, verified: null, error: null });

export async function verifyAll(syncs: readonly Installed[], sample: number, options: VerifyOptions, outer: CommandContext): Promise<CommandOutcome> {
  const profiles = syncs.filter((s) => s.answers.kind === 'profile');
  if (profiles.length === 0) {
    throw usageError('NOTHING_TO_VERIFY', `verify compares profile attributes with what Batch holds, and every sync of this project (${syncs.map((s) => s.sync).join(', ')}) is an event sync: nothing was read or compared.`, {
      suggestion: `Send pending events with \`${runEventSync(syncs[0]!.sync)}\` and check them with \`batch-snowflake status\`.`,
    });
  }
  // One key for every sync (stdin can be read once); refused before connecting when there is none.
  const context = await withStdinKeyOnce(outer, options.restApiKeyStdin);
  const key = await restKey(profiles[0]!, context, { restApiKeyStdin: false });
  if (key === undefined) throw keyMissing();
  const live = profiles.filter(isSyncInstalled);
  const shared = new SharedSession(context);
  const samples = new Map<string, Map<string, Record<string, unknown>>>();
  const sampleErrors = new Map<string, SyncError>();
  try {
    for (const d of await forEachSync(live, context.signal, async (one) => {
      return expectedOf(await shared.of(one), one, sample);
    })) {
      if (d.value) samples.set(d.sync.sync, d.value);
      else sampleErrors.set(d.sync.sync, d.error!);
    }
  } finally {
    await shared.close();
  }
  // The exports need no Snowflake session: each sync's project key, one after the other.
  const compared = new Map((await forEachSync(live.filter((s) => samples.has(s.sync)), context.signal, (one) => compareWithBatch(one, samples.get(one.sync)!, key, options, context))).map((d) => [d.sync.sync, d]));
  const rows = syncs.map((one): VerifyRow => {
    if (one.answers.kind === 'event') return skipped(one, 'event sync: verify compares profile attributes');
    if (!isSyncInstalled(one)) return skipped(one, 'not installed');
    const error = sampleErrors.get(one.sync) ?? compared.get(one.sync)?.error;
    if (error) return { sync: one.sync, kind: one.answers.kind, outcome: 'error', note: null, verified: null, error };
    const v = compared.get(one.sync)!.value!;
    return { sync: one.sync, kind: one.answers.kind, outcome: v.exitCode === 0 ? 'equal' : 'mismatch', note: null, verified: v.result, error: null, text: v.text };
  });
  const exitCode = worstExitCode(rows.map((r) => (r.error ? r.error.exitCode : r.outcome === 'mismatch' ? 14 : 0)));
  return { result: { syncs: rows.map(({ text: _t, ...r }) => r) }, text: renderVerifyTable(rows), exitCode };
}
