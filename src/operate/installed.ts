/**
 * What every operating command starts from: the saved `batch-snowflake.json` (what init set up), the
 * resolved object names, and a session under the role and warehouse the install uses.
 * SHOW TASKS only lists tasks the role owns or can MONITOR/OPERATE (reference §5.3), so the commands switch
 * to the install's role when the connection's default role is another one.
 */
import { scheduleMode } from '../config/answers.js';
import type { CommandContext } from '../runtime/context.js';
import { UserError, usageError } from '../../shared/errors.js';
import { loadProjectConfig, type ProjectConfig } from '../config/project-config.js';
import { introspectLiveState } from '../introspect/read-live-state.js';
import { sessionFacts } from '../introspect/source.js';
import type { LiveState } from '../plan/live-state.js';
import { resolveInstall, type ResolvedInstall } from '../plan/names.js';
import { renderQualifiedName } from '../../shared/sql/identifiers.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';

export interface Installed extends ResolvedInstall {
  /** The task as SQL text, for messages. */
  taskSql: string;
}

export function notInstalled(configPath: string): UserError {
  return usageError('NOT_INSTALLED', `no batch-snowflake.json here — run \`batch-snowflake init\` first (looked for ${configPath}).`, {
    suggestion: 'Run `batch-snowflake init` in this folder, or point to the file with --config PATH.',
    details: { configPath },
  });
}

/**
 * Loads the config (missing → NOT_INSTALLED) and resolves every name once, for sync `sync` (--sync NAME).
 * Without it: the only sync; a project of several needs --sync (`anySync`: the first, for uninstall of all).
 * run, logs, pause, resume and verify act on every sync instead (src/operate/each-sync.ts) and reach this only
 * with --sync or on a project of one sync; `sync` (one external run for a scheduler) still needs it.
 */
export async function loadInstalled(context: Pick<CommandContext, 'configPath'>, sync?: string, anySync = false): Promise<Installed> {
  const config = await loadProjectConfig(context.configPath);
  if (!config) throw notInstalled(context.configPath);
  if (sync === undefined && config.syncs.length > 1 && !anySync) {
    const known = config.syncs.map((s) => s.name);
    throw usageError('SYNC_REQUIRED', `This project has ${known.length} syncs (${known.join(', ')}): say which one.`, { suggestion: `Pass --sync NAME, e.g. --sync ${known[0]}.`, details: { syncs: known } });
  }
  return installedSync(config, sync);
}

/** One sync of a loaded config, its names resolved (undefined: the first). */
export function installedSync(config: ProjectConfig, sync?: string): Installed {
  const install = resolveInstall(config, sync);
  return { ...install, taskSql: renderQualifiedName(install.names.task) };
}

/**
 * Profile-only operations (verify, `run --limit/--ids`, `init --first-send`) on an event sync: refused before
 * connecting, since they compare or send profile attributes (/profiles/update) and an event sync sends events.
 */
export function eventSyncUnsupported(sync: string, what: string, effect: string, suggestion: string): UserError {
  return usageError('EVENT_SYNC_UNSUPPORTED', `${what}, and sync ${sync} is an event sync (kind "event" in batch-snowflake.json): ${effect}.`, {
    suggestion,
    details: { sync, kind: 'event' },
  });
}

/** `batch-snowflake run --sync NAME`: how an event sync's pending events are sent now. */
export const runEventSync = (sync: string) => `batch-snowflake run --sync ${sync}`;

export interface OperateSession {
  session: SnowflakeSession;
  /** The role the statements run under. */
  role: string;
}

/**
 * Connects, then uses the install's role and warehouse when the connection defaults to others. A role the
 * user cannot use is an error with the GRANT that fixes it (the task and its tables belong to that role).
 */
export async function connectInstalled(context: CommandContext, installed: Installed): Promise<OperateSession> {
  const session = await context.output.step('Connecting to Snowflake', () => context.snowflake.connect(), () => 'Connected to Snowflake');
  try {
    const facts = await sessionFacts(session);
    const role = installed.answers.role;
    const warehouse = installed.answers.warehouse;
    if (facts.role !== role) {
      try {
        await session.query(`USE ROLE ${renderQualifiedName([role])}`);
      } catch (error) {
        throw new UserError('permission', 'ROLE_NOT_USABLE', `The sync runs under role ${role}, which user ${facts.user ?? '?'} cannot use (${(error as Error).message}).`, {
          cause: error,
          suggestion: `Pass --role ${role} with a user that has it, or ask an admin: GRANT ROLE ${renderQualifiedName([role])} TO USER ${renderQualifiedName([facts.user ?? '<USER>'])};`,
        });
      }
    }
    if (facts.warehouse !== warehouse) {
      // Without a warehouse SHOW still works but counting the stream and reading the runs table do not.
      await session.query(`USE WAREHOUSE ${renderQualifiedName([warehouse])}`).catch((error: unknown) => {
        context.output.debug(`Could not use warehouse ${warehouse}: ${(error as Error).message}`);
      });
    }
    return { session, role };
  } catch (error) {
    await session.destroy();
    throw error;
  }
}

/** Runs `work` with a connected session and always closes it. */
export async function withInstalledSession<T>(context: CommandContext, installed: Installed, work: (session: OperateSession) => Promise<T>): Promise<T> {
  const connected = await connectInstalled(context, installed);
  try {
    return await work(connected);
  } finally {
    await connected.session.destroy();
  }
}

const withPort = (host: string) => (/:\d+$/.test(host) ? host : `${host}:443`);

/** What exists of the install, read by the same introspection `init` plans against. */
export function readLiveState(session: SnowflakeSession, installed: Installed, onFallback?: (message: string) => void): Promise<LiveState> {
  const { config, names, answers } = installed;
  return introspectLiveState(session, names, {
    credentials: answers.credentials,
    runner: answers.runner,
    deployedImageTag: config.deployedImageTag,
    savedHosts: [withPort(answers.batchApiHost)],
    service: scheduleMode(answers.schedule) === 'continuous' || config.created.some((c) => c.type === 'SERVICE'),
    ...(onFallback ? { onFallback } : {}),
  });
}

/** Reads a number from a result cell (NUMBER arrives as number or exact decimal string). */
export function toNumber(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Reads a timestamp cell (the driver gives a Date for TIMESTAMP_*; text as a fallback). */
export function toDate(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'string' && value !== '') {
    const parsed = new Date(value.replace(/^(\d{4}-\d\d-\d\d) /, '$1T').replace(/ ([+-]\d\d)(\d\d)$/, '$1:$2'));
    return Number.isNaN(parsed.getTime()) ? null : parsed;
  }
  return null;
}

/** `SELECT CURRENT_TIMESTAMP()`: the server's clock (runs are matched against it, not ours). */
export async function serverNow(session: SnowflakeSession): Promise<Date> {
  const { rows } = await session.query<{ NOW: unknown }>('SELECT CURRENT_TIMESTAMP() AS NOW');
  return toDate(rows[0]?.NOW) ?? new Date();
}
