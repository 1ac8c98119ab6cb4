/**
 * `status` without --sync on a project of several syncs: one line per sync (name, kind, verdict, last run,
 * pending changes) and the command that shows one in full. One connection for the whole command (the syncs
 * share the project's role and warehouse); each sync's facts are what `status --sync NAME` reads
 * (gatherStatus, with one run).
 */
import { scheduleMode } from '../config/answers.js';
import type { CommandContext } from '../runtime/context.js';
import type { ProjectConfig } from '../config/project-config.js';
import { installedSync, withInstalledSession, type Installed } from './installed.js';
import { when } from './render-status.js';
import { gatherStatus } from './status-report.js';
import { sharingMetadataReads } from './metadata-reads.js';
import type { CostEstimate } from './cost-estimate.js';
import { readOverviewUsage, renderOverviewCost, type OverviewUsage } from './overview-cost.js';
import { OPERATE_EXIT_CODES, VERDICT_STATUS, type VerdictLevel } from './verdict.js';

export type OverviewLevel = VerdictLevel | 'not installed';

export interface SyncOverview {
  sync: string;
  kind: 'profile' | 'event';
  level: OverviewLevel;
  /** The verdict's first reason. */
  reason: string;
  lastRun: { outcome: string; at: string | null } | null;
  /** Changes waiting in the stream and the outbox (null: not readable). */
  pending: number | null;
  next: string | null;
  /** `status --cost`: the sync's estimate (null before its first run with changes). */
  cost?: CostEstimate | null;
  /** `status --cost` with Account Usage readable: the pool's and warehouse's actual credits, shared by `sharedBy`. */
  usage?: OverviewUsage;
}

export interface Overview {
  syncs: SyncOverview[];
  /** `status --cost`: what could not be read (the GRANT for Account Usage). */
  notes?: string[];
}

const SYMBOL: Record<OverviewLevel, string> = { healthy: '✔', degraded: '⚠', failing: '✖', 'not installed': '○' };
/** Worst last: failing outranks a sync that is not installed, which outranks a degraded one. */
const RANK: OverviewLevel[] = ['healthy', 'degraded', 'not installed', 'failing'];
const STEP_STATUS = { ...VERDICT_STATUS, 'not installed': 'warn' } as const;
const EXIT: Record<OverviewLevel, number> = { ...OPERATE_EXIT_CODES, 'not installed': OPERATE_EXIT_CODES.notInstalled };

/** The sync's anchor (its task, or its stream for the external runner) is recorded as created. */
export function isSyncInstalled(installed: Installed): boolean {
  const continuous = scheduleMode(installed.answers.schedule) === 'continuous';
  const anchor = installed.answers.runner === 'external' ? { type: 'STREAM', name: installed.names.stream } : continuous ? { type: 'SERVICE', name: installed.names.service } : { type: 'TASK', name: installed.names.task };
  return installed.created.some((object) => object.type === anchor.type && object.parts.join('.') === anchor.name.join('.'));
}

export async function gatherOverview(context: CommandContext, config: ProjectConfig, options: { cost?: boolean; runs?: number } = {}): Promise<Overview> {
  const syncs = config.syncs.map((s) => installedSync(config, s.name));
  const notInstalled = (one: Installed): SyncOverview => ({ sync: one.sync, kind: one.answers.kind, level: 'not installed', reason: 'nothing of it is installed', lastRun: null, pending: null, next: 'batch-snowflake init' });
  const live = syncs.filter(isSyncInstalled);
  if (live.length === 0) return { syncs: syncs.map(notInstalled) };
  // --cost: the estimate from the recent runs, like `status --sync NAME` (one run is enough for the line otherwise).
  const runLimit = options.cost ? (options.runs ?? 10) : 1;
  const { reports, notes } = await withInstalledSession(context, live[0]!, ({ session: own }) =>
    context.output.step(`Reading the state of ${live.length} sync(s)`, async () => {
      const session = sharingMetadataReads(own);
      const reports = new Map<string, SyncOverview>();
      for (const one of live) {
        const report = await gatherStatus(session, one, runLimit, { estimate: options.cost === true });
        const last = report.runs[0];
        const { streamRows, outboxRows } = report.pending;
        reports.set(one.sync, {
          sync: one.sync,
          kind: one.answers.kind,
          level: report.verdict.level,
          reason: report.verdict.reasons[0] ?? '',
          lastRun: last ? { outcome: last.outcome, at: last.endedAt ?? last.startedAt } : null,
          pending: streamRows === null && outboxRows === null ? null : (streamRows ?? 0) + (outboxRows ?? 0),
          next: report.verdict.next,
          ...(options.cost ? { cost: report.cost } : {}),
        });
      }
      // One Account Usage statement for all syncs: they share the pool and the warehouse (overview-cost.ts).
      const cost = options.cost ? await readOverviewUsage(session, live) : null;
      if (cost?.usage) for (const name of cost.usage.sharedBy) reports.get(name)!.usage = cost.usage;
      return { reports, notes: cost?.notes ?? null };
    }, (r) => ({ text: `Read ${r.reports.size} sync(s)`, status: STEP_STATUS[worst([...r.reports.values()])] })),
  );
  return { syncs: syncs.map((one) => reports.get(one.sync) ?? notInstalled(one)), ...(notes ? { notes } : {}) };
}

export function worst(syncs: readonly SyncOverview[]): OverviewLevel {
  return syncs.reduce<OverviewLevel>((acc, s) => (RANK.indexOf(s.level) > RANK.indexOf(acc) ? s.level : acc), 'healthy');
}

export const overviewExitCode = (syncs: readonly SyncOverview[]) => EXIT[worst(syncs)];

export function renderOverview(overview: Overview): string {
  const { syncs } = overview;
  const rows = syncs.map((s) => [
    `${SYMBOL[s.level]} ${s.sync}`,
    s.kind,
    s.level,
    s.lastRun ? `last run ${s.lastRun.outcome} ${when(s.lastRun.at)}` : 'no run yet',
    s.pending === null ? 'pending -' : `pending ${s.pending}`,
  ]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
  const usage = syncs.find((s) => s.usage)?.usage ?? null;
  // `notes` is there exactly when --cost read the installed syncs.
  const cost = overview.notes !== undefined ? renderOverviewCost(syncs.map((s) => (s.level === 'not installed' ? { sync: s.sync } : { sync: s.sync, cost: s.cost ?? null })), { usage, notes: overview.notes ?? [] }) : [];
  return [...lines, ...cost, `next: batch-snowflake status --sync NAME   (one of: ${syncs.map((s) => s.sync).join(', ')})`].join('\n');
}
