/**
 * The sync's alerts for `status` (issue 17 §2): SHOW ALERTS (state) and INFORMATION_SCHEMA.ALERT_HISTORY (when each
 * last fired = its latest TRIGGERED evaluation; the table function covers the last 7 days,
 * https://docs.snowflake.com/en/sql-reference/functions/alert_history). Read only when the project has alert
 * destinations, so a sync without alerts costs no extra statement. ALERT_HISTORY returns rows only to the alert's
 * owner or ACCOUNTADMIN: another role sees "never fired" plus a note.
 */
import { hasAlertDestination } from '../config/alert-answers.js';
import { ALERT_KINDS, type AlertKind } from '../plan/names.js';
import { renderQualifiedName } from '../../shared/sql/identifiers.js';
import { sqlLiteral } from '../../shared/sql/literals.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { text } from '../introspect/show.js';
import type { Installed } from './installed.js';
import { toDate } from './installed.js';

export interface AlertStatus {
  name: string;
  kind: AlertKind;
  /** started | suspended | missing. */
  state: string;
  /** Completion time of the latest TRIGGERED evaluation in the last 7 days; null: did not fire. */
  lastFired: string | null;
}

export async function readAlertStatus(session: SnowflakeSession, installed: Installed, notes: string[]): Promise<AlertStatus[] | null> {
  if (!hasAlertDestination(installed.answers.alerts)) return null;
  const { names } = installed;
  const [database, schema] = names.schema as [string, string];
  const [shown, fired] = await Promise.all([
    session.query<Record<string, unknown>>(`SHOW ALERTS IN SCHEMA ${renderQualifiedName(names.schema)}`).then((r) => r.rows),
    session
      .query<{ NAME: unknown; LAST_FIRED: unknown }>(
        `SELECT NAME, MAX(COMPLETED_TIME) AS LAST_FIRED FROM TABLE(${renderQualifiedName([database])}.INFORMATION_SCHEMA.ALERT_HISTORY(RESULT_LIMIT => 10000)) WHERE STATE = 'TRIGGERED' AND SCHEMA_NAME = ${sqlLiteral(schema)} GROUP BY NAME`,
      )
      .then((r) => r.rows)
      .catch((error: unknown) => {
        notes.push(`ALERT_HISTORY could not be read (${(error as Error).message.split('\n')[0]}): when the alerts last fired is unknown.`);
        return [];
      }),
  ]);
  return ALERT_KINDS.map((kind) => {
    const name = names.alerts[kind][2]!;
    const row = shown.find((r) => text(r.name) === name);
    const last = fired.find((r) => text(r.NAME) === name);
    return { name, kind, state: row ? (text(row.state) ?? 'unknown') : 'missing', lastFired: last ? (toDate(last.LAST_FIRED)?.toISOString() ?? null) : null };
  });
}

export function renderAlertLines(alerts: readonly AlertStatus[] | null, when: (iso: string | null) => string): string[] {
  if (!alerts) return [];
  const width = Math.max(...alerts.map((a) => a.name.length));
  return ['', `Alerts (${alerts.length})`, ...alerts.map((a) => `  ${a.name.padEnd(width)}  ${a.state.padEnd(9)}  ${a.lastFired ? `last fired ${when(a.lastFired)}` : 'not fired in the last 7 days'}`)];
}
