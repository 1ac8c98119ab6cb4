/**
 * CREATE [OR REPLACE] ALERT [IF NOT EXISTS] <name> [WAREHOUSE = wh] SCHEDULE = '…' [COMMENT = '…']
 *   IF (EXISTS (<condition>)) THEN <action>
 * (https://docs.snowflake.com/en/sql-reference/sql/create-alert): "Newly created or cloned alerts are suspended upon
 * creation"; SCHEDULE is `'<num> MINUTE'` or `'USING CRON <expr> <time_zone>'`. Without SCHEDULE the alert is an
 * "alert on new data" (not modelled here: refused, stricter). Without WAREHOUSE it is serverless.
 * SHOW ALERTS (https://docs.snowflake.com/en/sql-reference/sql/show-alerts) columns: created_on, name,
 * database_name, schema_name, owner, comment, warehouse, schedule, state (started | suspended), condition, action,
 * owner_role_type.
 */
import { Cursor } from '../cursor.js';
import { SnowflakeSqlError } from '../errors.js';
import { isOp, isWord, matchParen } from '../lexer.js';
import { qualify } from '../names.js';
import type { Session } from '../session.js';

export interface Alert {
  id: number;
  name: string;
  database: string;
  schema: string;
  owner: string;
  createdOn: Date;
  comment: string | null;
  warehouse: string | null;
  schedule: string;
  condition: string;
  action: string;
  state: 'started' | 'suspended';
}

export interface ParsedCreateAlert {
  orReplace: boolean;
  ifNotExists: boolean;
  alert: Omit<Alert, 'id' | 'owner' | 'createdOn' | 'state'>;
}

/** `'<num> MINUTE[S]'` up to 11520 (reference §8.5) or a cron schedule (checked by the task schedule parser). */
export function checkAlertSchedule(schedule: string): string {
  const minutes = /^(\d+)\s+MINUTES?$/i.exec(schedule.trim());
  if (minutes) {
    const n = Number(minutes[1]);
    if (n < 1 || n > 11520) throw new SnowflakeSqlError('002061', '22023', `SQL compilation error:\ninvalid value [${schedule}] for parameter 'SCHEDULE'`);
    return `${n} MINUTE`;
  }
  if (/^USING\s+CRON\s/i.test(schedule.trim())) return schedule.trim();
  throw new SnowflakeSqlError('002061', '22023', `SQL compilation error:\ninvalid value [${schedule}] for parameter 'SCHEDULE'`);
}

/** Parses after `CREATE [OR REPLACE] ALERT`. */
export function parseCreateAlert(session: Session, sql: string, c: Cursor, orReplace: boolean): ParsedCreateAlert {
  const ifNotExists = c.accept('IF', 'NOT', 'EXISTS');
  const q = qualify(c.name(), session.context);
  const props: Record<string, string> = {};
  while (!c.atEnd() && !isWord(c.peek(), 'IF')) {
    const key = c.ident().toUpperCase();
    c.expectOp('=');
    props[key] = c.peek()?.type === 'string' ? c.string() : c.ident();
  }
  if (!props.SCHEDULE) throw new SnowflakeSqlError('001003', '42000', 'SQL compilation error:\nAlerts on new data (no SCHEDULE) are not supported by this stand-in.');
  const schedule = checkAlertSchedule(props.SCHEDULE);
  c.expect('IF');
  c.expectOp('(');
  const outerClose = matchParen(c.tokens, c.i - 1);
  c.expect('EXISTS');
  if (!isOp(c.peek(), '(')) throw c.error();
  const innerOpen = c.i;
  const innerClose = matchParen(c.tokens, innerOpen);
  if (innerClose < 0 || outerClose !== innerClose + 1) throw c.error();
  const first = c.tokens[innerOpen + 1]!;
  const last = c.tokens[innerClose - 1]!;
  const condition = sql.slice(first.pos, last.pos + last.raw.length).trim();
  // The condition is one SELECT, SHOW or CALL statement (CREATE ALERT, "IF( EXISTS( condition ))").
  if (!isWord(first, 'SELECT', 'WITH', 'SHOW', 'CALL')) throw new SnowflakeSqlError('001003', '42000', 'SQL compilation error:\nThe alert condition must be a SELECT, SHOW or CALL statement.');
  c.i = outerClose + 1;
  c.expect('THEN');
  const action = c.restText();
  if (!action) throw c.error();
  return { orReplace, ifNotExists, alert: { name: q.name, database: q.database, schema: q.schema, comment: props.COMMENT ?? null, warehouse: props.WAREHOUSE ?? null, schedule, condition, action } };
}

export const SHOW_ALERT_COLUMNS = ['created_on', 'name', 'database_name', 'schema_name', 'owner', 'comment', 'warehouse', 'schedule', 'state', 'condition', 'action', 'owner_role_type'];

export function showAlertRow(a: Alert): Record<string, string | Date | null> {
  return {
    created_on: a.createdOn, name: a.name, database_name: a.database, schema_name: a.schema, owner: a.owner, comment: a.comment,
    warehouse: a.warehouse, schedule: a.schedule, state: a.state, condition: a.condition, action: a.action, owner_role_type: 'ROLE',
  };
}

/** SHOW [TERSE] ALERTS [LIKE '…'] [IN ACCOUNT | DATABASE [db] | [SCHEMA] [db.]schema]: the scope filter. */
export function parseShowAlerts(session: Session, c: Cursor): { like?: string; inScope: (a: Alert) => boolean } {
  c.accept('TERSE');
  c.expect('ALERTS');
  const like = c.accept('LIKE') ? c.string() : undefined;
  let inScope: (a: Alert) => boolean = (a) => a.database === session.context.database && a.schema === session.context.schema;
  if (c.accept('IN')) {
    if (c.accept('ACCOUNT')) inScope = () => true;
    else if (c.accept('DATABASE')) {
      const db = c.atEnd() ? session.context.database : c.ident();
      inScope = (a) => a.database === db;
    } else {
      c.accept('SCHEMA');
      const parts = c.name(2);
      const database = parts.length === 2 ? parts[0]! : session.context.database;
      const schema = parts[parts.length - 1]!;
      inScope = (a) => a.database === database && a.schema === schema;
    }
  }
  if (!c.atEnd()) throw c.error();
  return { ...(like !== undefined ? { like } : {}), inScope };
}
