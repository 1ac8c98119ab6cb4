/**
 * The `continuous` schedule's long-running service: its state for `status` (SHOW SERVICES EXCLUDE JOBS, then
 * SYSTEM$GET_SERVICE_STATUS for the container: https://docs.snowflake.com/en/sql-reference/functions/system_get_service_status),
 * and `pause` / `resume` as ALTER SERVICE … SUSPEND / RESUME (https://docs.snowflake.com/en/sql-reference/sql/alter-service),
 * idempotent like the task's. A suspended service stops its container and the compute pool can suspend.
 */
import { sqlError } from '../../shared/errors.js';
import { renderQualifiedName } from '../../shared/sql/identifiers.js';
import { sqlLiteral } from '../../shared/sql/literals.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { showExact, text } from '../introspect/show.js';
import type { ResolvedNames } from '../plan/names.js';
import { renderTemplate } from '../plan/sql-templates.js';
import type { CommandContext, CommandOutcome } from '../runtime/context.js';
import { withInstalledSession, type Installed } from './installed.js';
import { imageTagOf } from './task-state.js';

export interface ServiceInfo {
  name: string;
  /** SHOW SERVICES status: PENDING, RUNNING, SUSPENDED, FAILED, … */
  status: string;
  /** The worker container: SYSTEM$GET_SERVICE_STATUS status (READY, FAILED, …), message and restart count. */
  container: { status: string; message: string; restarts: number } | null;
  imageTag: string | null;
}

export async function readService(session: SnowflakeSession, names: ResolvedNames): Promise<ServiceInfo | null> {
  const [row] = await showExact(session, 'SERVICES EXCLUDE JOBS', names.service, true);
  if (!row) return null;
  const name = renderQualifiedName(names.service);
  const { rows } = await session.query<{ STATUS: unknown }>(`SELECT SYSTEM$GET_SERVICE_STATUS(${sqlLiteral(name)}) AS STATUS`);
  let container: ServiceInfo['container'] = null;
  try {
    const [first] = JSON.parse(String(rows[0]?.STATUS ?? '[]')) as Array<{ status?: string; message?: string; restartCount?: number }>;
    if (first) container = { status: first.status ?? '', message: first.message ?? '', restarts: Number(first.restartCount ?? 0) };
  } catch {
    container = null;
  }
  const spec = (await session.query<Record<string, unknown>>(`DESC SERVICE ${name}`).catch(() => ({ rows: [] as Array<Record<string, unknown>> }))).rows[0];
  return { name, status: (text(row.status) ?? '').toUpperCase(), container, imageTag: imageTagOf(text(spec?.spec) ?? null) };
}

export function serviceToggleSql(names: ResolvedNames, action: 'suspend' | 'resume'): string {
  return renderTemplate('service-toggle', { name: names.service, action: action === 'resume' ? 'RESUME' : 'SUSPEND' });
}

/** pause / resume of a continuous sync. */
export async function toggleService(action: 'suspend' | 'resume', dryRun: boolean, context: CommandContext, installed: Installed): Promise<CommandOutcome> {
  const sql = serviceToggleSql(installed.names, action);
  const name = renderQualifiedName(installed.names.service);
  const wanted = action === 'suspend' ? 'SUSPENDED' : 'RUNNING';
  if (dryRun) {
    context.output.info(context.output.style.dim(`Dry run: nothing was executed (the statement runs only if the service is not already ${wanted.toLowerCase()}).`));
    return { result: { dryRun: true, service: name, sql }, text: `${sql};` };
  }
  return withInstalledSession(context, installed, async ({ session }) => {
    const before = await readService(session, installed.names);
    if (!before) {
      throw sqlError('SERVICE_MISSING', `The service ${name} does not exist (or role ${installed.answers.role} cannot see it).`, {
        suggestion: 'Run `batch-snowflake init` to recreate it (it reuses your saved answers).',
      });
    }
    const already = action === 'suspend' ? before.status === 'SUSPENDED' : before.status !== 'SUSPENDED';
    if (already) return { result: { service: name, state: before.status, changed: false }, text: `Service ${name} is already ${action === 'suspend' ? 'paused' : 'running'}; nothing changed.` };
    await context.output.step(`${action === 'suspend' ? 'Suspending' : 'Resuming'} ${name}`, () => session.query(sql), () => `Service ${name} ${action === 'suspend' ? 'suspended' : 'resumed'}`);
    const after = await readService(session, installed.names);
    const follow = action === 'suspend' ? 'Changes wait in the stream until `batch-snowflake resume`; the compute pool suspends after its AUTO_SUSPEND_SECS.' : 'It checks the stream every few seconds again.';
    return { result: { service: name, state: after?.status ?? null, changed: true, sql }, text: `Service ${name} ${action === 'suspend' ? 'paused' : 'resumed'}. ${follow}` };
  });
}
