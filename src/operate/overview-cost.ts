/**
 * `status --cost` without --sync on a project of several syncs: each sync's estimate (its own runs' durations,
 * cost-estimate.ts, as `status --sync NAME` shows it) and the actual credits from Account Usage read ONCE for all of
 * them. The syncs share the project's compute pool and warehouse (src/config/syncs.ts PROJECT_FIELDS), and Account
 * Usage meters per pool and per warehouse, not per job (SNOWPARK_CONTAINER_SERVICES_HISTORY: "hourly compute pool
 * credit usage"): one statement answers for every sync, and the figure is the pool's and warehouse's, shared by all
 * of them — said so in the text and in JSON (`sharedBy`), never split by a guess.
 */
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { costLine, type CostEstimate } from './cost-estimate.js';
import { readActualUsage, usageLine, type ActualUsage } from './cost-usage.js';
import type { Installed } from './installed.js';

export interface OverviewUsage extends ActualUsage {
  /** Every sync whose jobs run on this pool and whose statements run on this warehouse. */
  sharedBy: string[];
}

export interface OverviewCost {
  usage: OverviewUsage | null;
  notes: string[];
}

/** One Account Usage statement for every sync (none when the project's syncs run outside SPCS). */
export async function readOverviewUsage(session: SnowflakeSession, live: readonly Installed[]): Promise<OverviewCost> {
  const spcs = live.filter((one) => one.answers.runner !== 'external');
  if (spcs.length === 0) return { usage: null, notes: ['The syncs run outside Snowflake (runner external): no compute pool or task warehouse to meter.'] };
  const reading = await readActualUsage(session, spcs[0]!.names);
  if (reading.kind === 'unavailable') return { usage: null, notes: [`Actual credits could not be read: ${reading.reason}; the costs shown are estimates. To read them: ${reading.grant} (as ACCOUNTADMIN)`] };
  return { usage: { ...reading.usage, sharedBy: spcs.map((one) => one.sync) }, notes: [] };
}

/** The lines under the per-sync table: each sync's estimate, then the shared actual figure or why it is missing. */
export function renderOverviewCost(syncs: ReadonlyArray<{ sync: string; cost?: CostEstimate | null }>, cost: OverviewCost): string[] {
  const width = Math.max(...syncs.map((s) => s.sync.length));
  const lines = syncs.map((s) => `cost ${s.sync.padEnd(width)}  ${s.cost === undefined ? 'not installed' : costLine(s.cost)}`);
  if (cost.usage) lines.push(`actual   ${usageLine(cost.usage)}; pool and warehouse shared by ${cost.usage.sharedBy.join(', ')} (Account Usage meters them, not each sync)`);
  for (const note of cost.notes) lines.push(`note: ${note}`);
  return lines;
}
