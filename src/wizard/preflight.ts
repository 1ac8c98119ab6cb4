/**
 * Preflight, before any write: one line per check, each failure with its exact fix (anchors.md B.11).
 * SPCS available (SHOW COMPUTE POOLS errors when it is not, reference §2.1), the role may own a service
 * (§6.3), the warehouse exists and is usable, docker runs (unless --skip-image or a dry run, which must not
 * spawn docker). Privileges are checked against the plan afterwards (privileges.ts).
 */
import { UserError, type ErrorKind } from '../../shared/errors.js';
import { checkServiceOwnerRole } from '../plan/privileges.js';
import { renderQualifiedName } from '../../shared/sql/identifiers.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { showExact } from '../introspect/show.js';
import type { Wizard } from './context.js';

export interface CheckResult {
  name: string;
  ok: boolean;
  /** The success line, or what failed. */
  message: string;
  /** The exact fix (a GRANT, a command, what to ask the admin). */
  fix?: string;
  error?: UserError;
  skipped?: boolean;
}

export interface PreflightInput {
  role: string;
  /** For the fix of a refused role (GRANT ROLE … TO USER). */
  user?: string | null;
  warehouse: string | undefined;
  /** null: not checked here (no image to build, or a dry run, which must not run docker). */
  docker: (() => Promise<{ server: string }>) | null;
  /** Shown instead of the docker line when docker is null; empty = no line. */
  dockerSkipReason: string;
  /** external: the sync runs outside Snowflake, so SPCS, the service-owner role and docker are not needed. */
  runner?: 'spcs' | 'external';
  /** The schedule given (--schedule, or saved): `triggered` checks that the account has triggered tasks. */
  schedule?: string | undefined;
}

const failed = (name: string, error: unknown, fallbackFix: string): CheckResult => {
  const user = error instanceof UserError ? error : undefined;
  return { name, ok: false, message: user?.message ?? String((error as Error)?.message ?? error), fix: user?.suggestion ?? fallbackFix, ...(user ? { error: user } : {}) };
};

async function checkSpcs(session: SnowflakeSession): Promise<CheckResult> {
  try {
    await session.query('SHOW COMPUTE POOLS');
    return { name: 'spcs', ok: true, message: 'Snowpark Container Services available' };
  } catch (error) {
    // The fix is always the external runner first: the driver error's own hint only says to ask an admin.
    const fix = 'Rerun with --runner external to run the sync from your own scheduler (cron, CI, Kubernetes) instead; or ask your Snowflake admin for an account where Snowpark Container Services is enabled (not a trial account, not a government region).';
    const result = failed('spcs', error, fix);
    // The driver's text starts with "SQL compilation error:"; say what it means first.
    const cause = result.message.split('\n').filter(Boolean).pop() ?? result.message;
    return { ...result, fix, message: `Snowpark Container Services is not available (SHOW COMPUTE POOLS: ${cause})` };
  }
}

/**
 * Triggered tasks (https://docs.snowflake.com/en/user-guide/tasks-triggered) are started no more often than the
 * account's USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS (https://docs.snowflake.com/en/sql-reference/parameters,
 * default 30). Read-only probe: SHOW PARAMETERS for it; an account without the feature has no such parameter (the
 * docs do not say how an account without it answers: the stand-in's profile models it so), and the fix is the
 * scheduled mode.
 */
export async function checkTriggered(session: SnowflakeSession): Promise<CheckResult> {
  const fix = 'Rerun with --schedule "1 MINUTE" (a scheduled task; empty runs are skipped without starting the job) or --schedule continuous (a long-running service), or ask your Snowflake admin whether triggered tasks can be enabled.';
  try {
    const { rows } = await session.query<Record<string, unknown>>("SHOW PARAMETERS LIKE 'USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS' IN ACCOUNT");
    const value = rows[0]?.value;
    if (value === undefined) return { name: 'triggered', ok: false, message: 'Triggered tasks are not available on this account (it has no USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS parameter).', fix };
    return { name: 'triggered', ok: true, message: `Triggered tasks available: runs start at least ${String(value)} s apart (USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS)` };
  } catch (error) {
    return failed('triggered', error, fix);
  }
}

async function checkWarehouse(session: SnowflakeSession, warehouse: string | undefined): Promise<CheckResult> {
  if (!warehouse) return { name: 'warehouse', ok: false, message: 'No warehouse: the task and the sync job need one.', fix: 'Pass --warehouse NAME (or set warehouse in your Snowflake connection).' };
  const [row] = await showExact(session, 'WAREHOUSES', [warehouse], false);
  if (!row) return { name: 'warehouse', ok: false, message: `Warehouse ${renderQualifiedName([warehouse])} does not exist or the role cannot use it.`, fix: `Ask an admin: GRANT USAGE ON WAREHOUSE ${renderQualifiedName([warehouse])} TO ROLE <your role>; or pass another --warehouse.` };
  return { name: 'warehouse', ok: true, message: `Warehouse ${renderQualifiedName([warehouse])} (${String(row.size ?? '')}, ${String(row.state ?? '').toLowerCase()})` };
}

async function checkDockerRunning(input: PreflightInput): Promise<CheckResult> {
  if (!input.docker) return { name: 'docker', ok: true, skipped: true, message: input.dockerSkipReason ? `Docker not checked (${input.dockerSkipReason})` : '' };
  try {
    const version = await input.docker();
    return { name: 'docker', ok: true, message: `Docker running (engine ${version.server})` };
  } catch (error) {
    return failed('docker', error, 'Start Docker (or install it), or pass --skip-image --image-tag TAG to use an image already pushed.');
  }
}

/**
 * `triggered` picked at the wizard's prompt (the preflight ran before the question): the same check, before the
 * plan, so nothing is written on an account without triggered tasks.
 */
export async function checkPickedSchedule(w: Wizard, session: SnowflakeSession, schedule: string | undefined, checked: boolean): Promise<void> {
  if (checked || schedule?.trim().toLowerCase() !== 'triggered') return;
  const result = await checkTriggered(session);
  if (result.ok) return w.output.success(result.message);
  w.output.info(`${w.output.style.red('✖')} ${result.message}`);
  throw new UserError('usage', 'PREFLIGHT_TRIGGERED', result.message, { suggestion: result.fix ?? '' });
}

/** Runs the checks concurrently, prints one line each, and throws one error listing every failure. */
export async function runPreflight(w: Wizard, session: SnowflakeSession, input: PreflightInput): Promise<CheckResult[]> {
  const roleCheck = checkServiceOwnerRole(input.role);
  const user = input.user ? renderQualifiedName([input.user]) : '<you>';
  const role: CheckResult = roleCheck.ok
    ? { name: 'role', ok: true, message: `Role ${input.role} can own the sync task` }
    : { name: 'role', ok: false, message: roleCheck.message, fix: `${roleCheck.suggestion.replace('<you>', user)} Adding --admin-role ${input.role} lets init grant that role what the setup needs.` };
  const results =
    input.runner === 'external'
      ? [{ name: 'spcs', ok: true, skipped: true, message: 'Runner external: Snowpark Container Services, docker and a service-owner role are not needed' }, await checkWarehouse(session, input.warehouse)]
      : [role, ...(await Promise.all([checkSpcs(session), checkWarehouse(session, input.warehouse), checkDockerRunning(input), ...(input.schedule?.trim().toLowerCase() === 'triggered' ? [checkTriggered(session)] : [])]))];
  for (const r of results) {
    if (r.ok && r.skipped) {
      if (r.message) w.output.info(`${w.output.style.dim('-')} ${r.message}`);
    } else if (r.ok) w.output.success(r.message);
    else {
      w.output.info(`${w.output.style.red('✖')} ${r.message}`);
      if (r.fix) w.output.info(`  ${w.output.style.cyan('→')} ${r.fix}`);
    }
  }
  const failures = results.filter((r) => !r.ok);
  if (failures.length === 0) return results;
  const first = failures[0] as CheckResult;
  const byName: Record<string, ErrorKind> = { role: 'permission', docker: 'docker', spcs: 'sql', warehouse: 'sql', triggered: 'usage' };
  const kind = first.error?.kind ?? byName[first.name] ?? 'sql';
  const message = `Preflight failed (${failures.map((f) => f.name).join(', ')}): ${failures.map((f) => f.message).join(' ')}`;
  throw new UserError(kind, `PREFLIGHT_${first.name.toUpperCase()}`, message, {
    suggestion: failures.map((f) => f.fix).filter(Boolean).join(' '),
    details: { checks: results.map(({ name, ok, message: m, fix }) => ({ name, ok, message: m, ...(fix ? { fix } : {}) })) },
  });
}
