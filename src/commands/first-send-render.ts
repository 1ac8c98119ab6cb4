/**
 * What `run --limit/--ids` prints: each selected ID with the operation sent, Batch's answer and where to look
 * the profile up, then what stays pending.
 *
 * The dashboard link: Batch documents no URL for one profile's page (searched doc.batch.com: the profile
 * pages describe the dashboard, not its URLs), so the link is the dashboard's documented entry point plus
 * where to search there; UNCONFIRMED beyond that. Against the local sandbox (a loopback API host) the link
 * is the sandbox's own profile page, which shows exactly what it holds.
 */
import type { WorkerOutcome } from '../../worker/run-worker.js';
import type { SelectedResult } from '../../worker/sync/send-selected.js';
import type { Installed } from '../operate/installed.js';
import { batchApiUrl } from '../plan/task-steps.js';

export const BATCH_DASHBOARD_URL = 'https://dashboard.batch.com';

const isLoopback = (host: string) => /^127(\.\d{1,3}){3}(:\d+)?$/.test(host);

export function profileLink(installed: Installed, customId: string): string {
  const host = installed.answers.batchApiHost;
  if (isLoopback(host)) return `${batchApiUrl(host)}/_sandbox/profiles/${encodeURIComponent(customId)}`;
  return `${BATCH_DASHBOARD_URL} → project ${installed.answers.projectKey} → Profiles → search custom ID "${customId}"`;
}

function answer(result: SelectedResult): string {
  const r = result.response;
  if (!r) return '';
  const errors = (r.errors ?? []).map((e) => `${e.attribute ?? 'profile'}: ${e.reason}`).join('; ');
  return `HTTP ${r.status} ${r.code}${r.message ? `: ${r.message}` : ''}${errors ? ` (${errors})` : ''}`;
}

function lines(installed: Installed, result: SelectedResult): string[] {
  const dropped = result.dropped.map((d) => `${d.attribute ?? 'row'} (${d.reason})`).join(', ');
  switch (result.outcome) {
    case 'sent':
    case 'rejected': {
      if (!result.operation) return [`  ✗ ${result.customId}: not sent, the row was rejected before sending: ${dropped}`];
      const mark = result.outcome === 'sent' ? '✓' : '✗';
      return [
        `  ${mark} ${result.customId}  → Batch answered ${answer(result)}`,
        `      sent: ${JSON.stringify(result.operation)}`,
        ...(dropped ? [`      not sent (invalid values, recorded in BATCH_SYNC_REJECTED): ${dropped}`] : []),
        ...(result.outcome === 'sent' ? [`      look it up: ${profileLink(installed, result.customId)}`] : []),
      ];
    }
    case 'ignored':
      return [`  – ${result.customId}: the row was deleted from the view; ignored (delete policy "ignore")`];
    default:
      return [`  – ${result.customId}: no pending change (already sent, or unchanged since the last run); look it up: ${profileLink(installed, result.customId)}`];
  }
}

export function renderFirstSend(installed: Installed, outcome: WorkerOutcome): { text: string; links: Record<string, string> } {
  const selected = outcome.summary?.selected ?? [];
  const links = Object.fromEntries(selected.filter((s) => s.outcome !== 'ignored').map((s) => [s.customId, profileLink(installed, s.customId)]));
  const { runner, schedule } = installed.answers;
  const next = runner === 'external' ? '`batch-snowflake sync` (your scheduler)' : `the task ${installed.taskSql} (every ${schedule}; now: \`batch-snowflake run\`)`;
  switch (outcome.status) {
    case 'SUCCESS':
    case 'PARTIAL': {
      const sent = selected.filter((s) => s.outcome === 'sent').length;
      const left = outcome.summary?.outboxLeft ?? 0;
      const text = [
        `Sent ${sent} profile(s) to Batch, one /profiles/update request each (${outcome.summary?.rowsCaptured ?? 0} new change(s) captured from the stream first):`,
        ...(selected.length > 0 ? selected.flatMap((s) => lines(installed, s)) : ['  (no pending change to send)']),
        `${left} other change(s) stay in the outbox for ${next}: each is sent once, none is lost.`,
        ...(isLoopback(installed.answers.batchApiHost) ? [] : [`(Batch documents no link to a single profile's page; the dashboard path above is where to search.)`]),
        ...(outcome.status === 'PARTIAL' ? ['  next: batch-snowflake status   (rejected values grouped by reason)'] : []),
      ];
      return { text: text.join('\n'), links };
    }
    case 'PAUSED':
      return { text: 'The sync is paused: nothing was read or sent.\n  next: batch-snowflake resume', links };
    case 'LOCKED':
      return { text: `A sync run is in progress (lock held until ${outcome.lock?.expiresAt ?? '?'}): nothing was read or sent. Try again when it has finished (batch-snowflake status).`, links };
    default: {
      const error = outcome.error ?? {};
      const suggestion = typeof error.suggestion === 'string' ? `\n  → ${error.suggestion}` : '';
      const done = selected.length > 0 ? `\n${selected.flatMap((s) => lines(installed, s)).join('\n')}` : '';
      return { text: `Send failed: ${String(error.error ?? 'unknown error')}${suggestion}${done}\nWhat was not sent stays in the outbox.\n  next: batch-snowflake status`, links };
    }
  }
}
