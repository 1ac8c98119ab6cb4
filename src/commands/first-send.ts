/**
 * A restricted send from this machine: `run --limit N` / `run --ids A,B,C` and init's last step ("send 10
 * profiles now?", `init --first-send N`). It calls the worker's own run function (worker/run-worker.ts, the
 * image's code; .dependency-cruiser.cjs allows this module and sync.ts to import it) with the install's
 * arguments plus `--limit` / `--only-ids`: the stream is captured into the outbox as in any run, only the
 * selected rows are sent (one /profiles/update request each) and the rest stays in the outbox for the task.
 *
 * Why locally and not as a job on SPCS, even for an SPCS install: the point is to show each operation with
 * Batch's answer right now, and a job's output only comes back through its logs after a compute-pool start
 * (minutes); a local run takes seconds and returns the results as values. The run lock the job also takes
 * (BATCH_SYNC_CONTROL) keeps it from overlapping a scheduled run. The cost: the Batch REST API key must be
 * given here (env or stdin; init passes the one it holds), since the SPCS secret is readable only by the job.
 */
import type { CommandContext, CommandOutcome } from '../runtime/context.js';
import { usageError } from '../../shared/errors.js';
import { renderIdentifier, renderQualifiedName } from '../../shared/sql/identifiers.js';
import type { Installed } from '../operate/installed.js';
import { connectInstalled } from '../operate/installed.js';
import { OPERATE_EXIT_CODES } from '../operate/verdict.js';
import { workerArgs } from '../plan/task-steps.js';
import { createJsonLogger, runWorkerOnce } from '../../worker/run-worker.js';
import { renderFirstSend } from './first-send-render.js';
import { restKey, workerConnection, workerEnv } from './worker-env.js';

/** Mirrors the worker's MAX_RESTRICTED (worker/options-types.ts): one request per row, a first look. */
export const MAX_FIRST_SEND = 200;

export type Restriction = { kind: 'limit'; limit: number } | { kind: 'ids'; ids: string[] };

const KEPT_EXIT_CODES = new Set([2, 3, 4, 5, 7, 130, 143]);

/** `--limit` as typed: a whole number from 1 to 200, else a usage error with the fix. */
export function parseLimit(text: string, flag = '--limit'): number {
  const trimmed = text.trim();
  const n = /^[+-]?\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (Number.isNaN(n)) throw usageError('INVALID_LIMIT', `${flag} must be a number of profiles to send (got ${JSON.stringify(text)}).`, { suggestion: `Pass a whole number from 1 to ${MAX_FIRST_SEND}, e.g. ${flag} 10.` });
  if (n < 1) throw usageError('INVALID_LIMIT', `${flag} ${trimmed} sends nothing: it must be at least 1.`, { suggestion: `Pass a whole number from 1 to ${MAX_FIRST_SEND}, e.g. ${flag} 10; to send everything, run without ${flag}.` });
  if (n > MAX_FIRST_SEND) throw usageError('INVALID_LIMIT', `${flag} ${trimmed} is more than a first look (at most ${MAX_FIRST_SEND}, one request each).`, { suggestion: `Pass at most ${MAX_FIRST_SEND}; to send everything, run without ${flag} (the normal run batches and paces the rest).` });
  return n;
}

export function parseIds(text: string): string[] {
  const ids = [...new Set(text.split(',').map((id) => id.trim()).filter((id) => id !== ''))];
  if (ids.length === 0) throw usageError('INVALID_IDS', '--ids names no ID.', { suggestion: 'Pass comma-separated values of the ID column, e.g. --ids 42,43.' });
  if (ids.length > MAX_FIRST_SEND) throw usageError('INVALID_IDS', `--ids names ${ids.length} IDs; at most ${MAX_FIRST_SEND} at once.`, { suggestion: 'Split them, or run without --ids to send every pending change.' });
  return ids;
}

/** IDs must be in the view (compared as text, like the outbox key CAST(id AS VARCHAR)). */
async function checkIdsInView(installed: Installed, ids: readonly string[], context: CommandContext): Promise<void> {
  const { session } = await connectInstalled(context, installed);
  try {
    const view = renderQualifiedName(installed.names.view);
    const id = `CAST(${renderIdentifier(installed.answers.idColumn)} AS VARCHAR)`;
    const { rows } = await session.query<{ ID: unknown }>(`SELECT DISTINCT ${id} AS ID FROM ${view} WHERE ${id} IN (${ids.map(() => '?').join(', ')})`, [...ids]);
    const found = new Set(rows.map((r) => String(r.ID)));
    const missing = ids.filter((i) => !found.has(i));
    if (missing.length > 0) {
      throw usageError('IDS_NOT_IN_VIEW', `Not in ${view} (column ${installed.answers.idColumn}): ${missing.join(', ')}. Nothing was sent.`, {
        suggestion: `Check the IDs (SELECT ${renderIdentifier(installed.answers.idColumn)} FROM ${view} LIMIT 10 shows some), or send the first pending changes with --limit N.`,
        details: { missing },
      });
    }
  } finally {
    await session.destroy();
  }
}

export interface FirstSendOptions {
  restriction: Restriction;
  restApiKeyStdin: boolean;
  /** The key init already holds (init --first-send). */
  knownRestKey?: string;
}

export async function firstSend(installed: Installed, options: FirstSendOptions, context: CommandContext): Promise<CommandOutcome> {
  const connection = await workerConnection(installed, context);
  const key = await restKey(installed, context, { restApiKeyStdin: options.restApiKeyStdin, ...(options.knownRestKey !== undefined ? { known: options.knownRestKey } : {}) });
  const { restriction } = options;
  if (restriction.kind === 'ids') await checkIdsInView(installed, restriction.ids, context);
  const argv = [...workerArgs(installed.answers, installed.names), ...(restriction.kind === 'limit' ? ['--limit', String(restriction.limit)] : ['--only-ids', restriction.ids.join(',')])];
  const log = createJsonLogger((line) => context.output.debug(line.trimEnd()));
  const what = restriction.kind === 'limit' ? `up to ${restriction.limit} profile(s)` : `${restriction.ids.length} chosen profile(s)`;
  const outcome = await context.output.step(
    `Sending ${what} now (capture the stream, send the selected rows one by one)`,
    () => runWorkerOnce(argv, { env: workerEnv(installed, context, key), log, signal: context.signal, connection }),
    (o) => `Send ${o.status.toLowerCase().replace('_', ' ')}`,
  );
  const rendered = renderFirstSend(installed, outcome);
  const exitCode =
    outcome.status === 'ERROR' ? (KEPT_EXIT_CODES.has(outcome.exitCode) ? outcome.exitCode : OPERATE_EXIT_CODES.failing)
    : outcome.status === 'LOCKED' ? outcome.exitCode
    : outcome.status === 'PARTIAL' ? OPERATE_EXIT_CODES.degraded : 0;
  const { exitCode: _ignored, ...result } = outcome;
  return { result: { ...result, links: rendered.links }, text: rendered.text, exitCode };
}
