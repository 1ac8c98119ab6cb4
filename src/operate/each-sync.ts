/**
 * The operating commands on a project of several syncs without --sync (issue 16 §3): `run`, `logs`, `pause`,
 * `resume` and `verify` act on every sync in config order, on one session (the syncs share the project's
 * role and warehouse), and print a per-sync table. A sync that fails does not stop the others: its error
 * becomes its row, and the command's exit code is the worst sync's (an error outranks a failing run, which
 * outranks a timed-out, a degraded one and success). Pure apart from loading the config.
 */
import type { CommandContext } from '../runtime/context.js';
import { UserError, usageError } from '../../shared/errors.js';
import { loadProjectConfig, type ProjectConfig } from '../config/project-config.js';
import { connectInstalled, installedSync, notInstalled, type Installed, type OperateSession } from './installed.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { OPERATE_EXIT_CODES } from './verdict.js';

/** Every sync of the project, or null when the command acts on one (--sync given, or only one sync). */
export async function allSyncsOrNull(context: Pick<CommandContext, 'configPath'>, sync: string | undefined): Promise<{ config: ProjectConfig; syncs: Installed[] } | null> {
  if (sync !== undefined) return null;
  const config = await loadProjectConfig(context.configPath);
  if (!config) throw notInstalled(context.configPath);
  if (config.syncs.length < 2) return null;
  return { config, syncs: config.syncs.map((s) => installedSync(config, s.name)) };
}

/** A flag that only makes sense for one sync, on a project of several without --sync. */
export function syncRequiredFor(flag: string, syncs: readonly string[]): UserError {
  return usageError('SYNC_REQUIRED', `${flag} applies to one sync, and this project has ${syncs.length} (${syncs.join(', ')}): say which one.`, {
    suggestion: `Pass --sync NAME with ${flag}, e.g. --sync ${syncs[0]}.`,
    details: { flag, syncs },
  });
}

/** A sync's error as its row shows it and --json carries it. */
export interface SyncError { code: string; kind: string; message: string; suggestion: string | null; exitCode: number }

export function syncError(error: unknown): SyncError {
  if (error instanceof UserError) return { code: error.code, kind: error.kind, message: error.message, suggestion: error.suggestion ?? null, exitCode: error.exitCode };
  throw error; // a bug, not a sync's state: the CLI's boundary reports it
}

/** Errors that are the command's, not one sync's: every next sync would hit them again. */
const commandErrors = new WeakSet<object>();

/**
 * One session for every sync of the command, opened when the first sync needs it (none when no sync does:
 * external runs sign in themselves). Failing to open it (sign-in, the install's role) ends the command: the
 * syncs share the connection, role and warehouse, so the next sync would only fail the same way.
 */
export class SharedSession {
  private connected: OperateSession | null = null;
  constructor(private readonly context: CommandContext) {}

  async of(one: Installed): Promise<SnowflakeSession> {
    if (!this.connected) {
      try {
        this.connected = await connectInstalled(this.context, one);
      } catch (error) {
        if (error instanceof Error) commandErrors.add(error);
        throw error;
      }
    }
    return this.connected.session;
  }

  async close(): Promise<void> {
    await this.connected?.session.destroy();
    this.connected = null;
  }
}

/**
 * Runs `work` for each sync in turn; a UserError becomes that sync's error (Ctrl-C, bugs and a session that
 * could not be opened stop the loop).
 */
export async function forEachSync<T>(syncs: readonly Installed[], signal: AbortSignal, work: (one: Installed) => Promise<T>): Promise<Array<{ sync: Installed; value?: T; error?: SyncError }>> {
  const out: Array<{ sync: Installed; value?: T; error?: SyncError }> = [];
  for (const one of syncs) {
    signal.throwIfAborted();
    try {
      out.push({ sync: one, value: await work(one) });
    } catch (error) {
      if ((error instanceof UserError && error.kind === 'aborted') || (error instanceof Error && commandErrors.has(error))) throw error;
      out.push({ sync: one, error: syncError(error) });
    }
  }
  return out;
}

/** Success, degraded, timed out, not installed, failing, then errors (usage … Batch API), then cancelled. */
function rank(code: number): number {
  const order: number[] = [0, OPERATE_EXIT_CODES.degraded, OPERATE_EXIT_CODES.timedOut, OPERATE_EXIT_CODES.notInstalled, OPERATE_EXIT_CODES.failing];
  const i = order.indexOf(code);
  if (i >= 0) return i;
  return code === 130 ? order.length + 1 : order.length;
}

export function worstExitCode(codes: readonly number[]): number {
  return codes.reduce((acc, code) => (rank(code) > rank(acc) ? code : acc), 0);
}

/** Columns padded to their widest cell, two spaces apart; a header row first, then a rule. */
export function renderTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** `12.3 s`, `2 min 5 s`; `-` when unknown. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** The error lines under a table: `name: CODE message` and its fix. */
export function errorNotes(rows: ReadonlyArray<{ sync: string; error?: SyncError | null }>): string[] {
  return rows.flatMap((r) => (r.error ? [`${r.sync}: ${r.error.code} ${r.error.message}`, ...(r.error.suggestion ? [`  → ${r.error.suggestion}`] : [])] : []));
}
