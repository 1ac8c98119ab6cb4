/**
 * Alerts and notifications (issue 17 part 2), plugged into the engine's statement hook next to tasks:
 * - CREATE [OR REPLACE] ALERT, ALTER ALERT … RESUME | SUSPEND, DROP ALERT, SHOW ALERTS, EXECUTE ALERT
 *   (alert-ddl.ts; https://docs.snowflake.com/en/sql-reference/sql/create-alert, …/alter-alert, …/execute-alert);
 * - CREATE NOTIFICATION INTEGRATION (notification-integrations.ts), dropped with DROP INTEGRATION;
 * - CALL SYSTEM$SEND_SNOWFLAKE_NOTIFICATION (notify.ts), delivered to the local catchers (standins/notifications);
 * - INFORMATION_SCHEMA.ALERT_HISTORY (alert-history.ts) and NOTIFICATION_HISTORY (notification-history.ts);
 * - the pipe operator `<SHOW …> ->> SELECT … FROM $1 …` (https://docs.snowflake.com/en/sql-reference/operators-flow),
 *   which an alert condition needs to filter SHOW output (pipe.ts).
 * Scheduled evaluation: a started alert is evaluated on its schedule (virtual clock shared with tasks, see
 * TaskScheduler); EXECUTE ALERT evaluates it now: "If the alert is currently suspended, the EXECUTE ALERT command
 * executes the alert but does not resume the alert"; the caller needs EXECUTE ALERT on the account and OWNERSHIP or
 * OPERATE on the alert (https://docs.snowflake.com/en/sql-reference/sql/execute-alert; the stand-in: the owner).
 * An evaluation runs the condition in a session with the owner role; rows → the action runs (TRIGGERED), none →
 * CONDITION_FALSE; errors → CONDITION_FAILED / ACTION_FAILED. Owner privileges (reference §8.5): EXECUTE ALERT on
 * the account, and USAGE on the warehouse or EXECUTE MANAGED ALERT for a serverless alert, checked at RESUME and at
 * each evaluation.
 */
import type { EngineResult } from '../../engine-types.js';
import { Cursor } from '../cursor.js';
import { alreadyExists, insufficientPrivileges, kindDoesNotExist } from '../errors.js';
import type { Token } from '../lexer.js';
import { display, qualify } from '../names.js';
import { statusResult, type EngineCore, type Session } from '../session.js';
import { showResult } from '../show-format.js';
import type { PrivilegeModel } from '../grants/privilege-model.js';
import { parseSchedule } from '../tasks/schedule.js';
import { AlertScheduler } from './alert-scheduler.js';
import { parseCreateAlert, parseShowAlerts, SHOW_ALERT_COLUMNS, showAlertRow, type Alert } from './alert-ddl.js';
import { alertHistoryReplacements, type AlertRun } from './alert-history.js';
import { isNotificationIntegration, parseNotificationIntegration, validateIntegration, type NotificationSettings } from './notification-integrations.js';
import { parseSendNotification } from './notify.js';
import { Deliveries } from './deliveries.js';
import { notificationHistoryReplacements } from './notification-history.js';
import { PipeOperator } from './pipe.js';

export interface AlertRuntimeOptions {
  core: EngineCore;
  model: PrivilegeModel | null;
  /** The virtual clock of the task scheduler (schedules of tasks and alerts advance together). */
  clock: { now(): Date; readonly timeScale: number };
  /** Base URL of the notification catcher (webhook receiver and mailbox). */
  catcherUrl: () => string;
}

const ok = () => statusResult('DDL', 'Statement executed successfully.');
const key = (a: { database: string; schema: string; name: string }) => `${a.database}.${a.schema}.${a.name}`;

export class AlertRuntime {
  readonly alerts = new Map<string, Alert>();
  readonly integrations = new Map<string, NotificationSettings>();
  readonly deliveries: Deliveries;
  readonly scheduler: AlertScheduler;
  private readonly pipe = new PipeOperator();
  private nextId = 1;

  constructor(private readonly options: AlertRuntimeOptions) {
    this.deliveries = new Deliveries(options.core.catalog, options.catcherUrl);
    this.scheduler = new AlertScheduler({ ...options, live: (alert) => this.alerts.get(key(alert)) === alert && options.core.catalog.schema(alert.database, alert.schema) !== undefined });
  }

  /** Every evaluation so far (ALERT_HISTORY's rows). */
  get runs(): AlertRun[] {
    return this.scheduler.runs;
  }

  /** Resolves with the first evaluation of `name` (upper case) ending after `after` evaluations so far. */
  waitForRun(name: string, options: { after?: number; timeoutMs?: number } = {}): Promise<AlertRun> {
    return this.scheduler.waitForRun(name, options);
  }

  async close(): Promise<void> {
    await this.scheduler.close();
    await this.deliveries.idle();
  }

  async handle(session: Session, sql: string, tokens: Token[]): Promise<EngineResult | undefined> {
    this.prune();
    const piped = await this.pipe.handle(session, sql, tokens);
    if (piped) return piped;
    const c = new Cursor(sql, tokens);
    const send = parseSendNotification(sql, c);
    if (send) {
      await this.deliveries.send(send, this.integrations);
      return { kind: 'CALL' as EngineResult['kind'], columns: [{ name: 'SYSTEM$SEND_SNOWFLAKE_NOTIFICATION', type: 'TEXT', length: 16777216, nullable: true }], rows: [[null]] };
    }
    c.i = 0;
    if (c.accept('SELECT', 'SYSTEM$START_USER_EMAIL_VERIFICATION')) return this.startVerification(session, c);
    c.i = 0;
    if (c.accept('CREATE')) {
      const orReplace = c.accept('OR', 'REPLACE');
      if (isNotificationIntegration(c)) return this.createIntegration(session, c, orReplace);
      if (c.accept('ALERT')) return this.createAlert(session, sql, c, orReplace);
      return undefined;
    }
    if (c.accept('SHOW') && (c.peek()?.value === 'ALERTS' || (c.peek()?.value === 'TERSE' && c.peek(1)?.value === 'ALERTS'))) {
      const { like, inScope } = parseShowAlerts(session, c);
      const rows = [...this.alerts.values()].filter((a) => inScope(a) && this.visible(session.context.role, a)).map(showAlertRow);
      return showResult(SHOW_ALERT_COLUMNS, rows, like !== undefined ? { like } : {});
    }
    c.i = 0;
    if (c.accept('DROP', 'ALERT')) {
      const ifExists = c.accept('IF', 'EXISTS');
      const alert = this.find(session, c.name(), ifExists);
      if (!alert) return statusResult('DDL', 'Drop statement executed successfully (alert already dropped).');
      this.checkOwner(session.context.role, alert);
      this.scheduler.disarm(alert);
      this.alerts.delete(key(alert));
      return statusResult('DDL', `${alert.name} successfully dropped.`);
    }
    if (c.accept('ALTER', 'ALERT')) {
      const ifExists = c.accept('IF', 'EXISTS');
      const alert = this.find(session, c.name(), ifExists);
      if (!alert) return ok();
      this.checkOwner(session.context.role, alert);
      if (c.accept('SUSPEND')) {
        alert.state = 'suspended';
        this.scheduler.disarm(alert);
      } else if (c.accept('RESUME')) {
        this.scheduler.checkOwnerMayRun(alert);
        alert.state = 'started';
        this.scheduler.arm(alert);
      } else return undefined;
      return ok();
    }
    if (c.accept('EXECUTE', 'ALERT')) {
      const alert = this.find(session, c.name(), false)!;
      this.checkOwner(session.context.role, alert);
      const { model } = this.options;
      if (model && !model.has(session.context.role, 'EXECUTE ALERT', 'ACCOUNT', '')) throw insufficientPrivileges('ACCOUNT', this.options.core.catalog.account_name);
      this.scheduler.start(alert, 'EXECUTE ALERT', this.options.clock.now());
      return statusResult('OTHER', 'Statement executed successfully.');
    }
    return undefined;
  }

  replacements(session: Session, sql: string, tokens: Token[]): Map<number, [number, string]> {
    const { catalog } = this.options.core;
    const role = session.context.role;
    const runs = (database: string) => this.runs.filter((r) => r.database === database && this.visible(role, r));
    const notifications = () => this.deliveries.history.filter((r) => this.mayReadNotifications(role, r.integration));
    return new Map([
      ...alertHistoryReplacements(sql, tokens, runs, session.context.database, (db) => catalog.databases.has(db)),
      ...notificationHistoryReplacements(sql, tokens, notifications, session.context.database, (db) => catalog.databases.has(db)),
      ...this.pipe.replacements(session, tokens),
    ]);
  }

  /** NOTIFICATION_HISTORY rows are returned "only for the ACCOUNTADMIN role, the integration owner […], or a role with
   * the USAGE privilege on the integration" (https://docs.snowflake.com/en/sql-reference/functions/notification_history). */
  private mayReadNotifications(role: string, integration: string): boolean {
    const { model, core } = this.options;
    if (!model) return true;
    const owner = core.catalog.accountObjects('INTEGRATION').get(integration)?.owner;
    const roles = model.effectiveRoles(role);
    return roles.has('ACCOUNTADMIN') || (owner !== undefined && roles.has(owner)) || model.has(role, 'USAGE', 'INTEGRATION', integration);
  }

  private createIntegration(session: Session, c: Cursor, orReplace: boolean): EngineResult {
    c.expect('NOTIFICATION', 'INTEGRATION');
    const { catalog } = this.options.core;
    const role = session.context.role;
    const { model } = this.options;
    if (model && !model.has(role, 'CREATE INTEGRATION', 'ACCOUNT', '')) throw model.refusal(role, 'ACCOUNT', '');
    const parsed = parseNotificationIntegration(session, c, orReplace);
    const map = catalog.accountObjects('INTEGRATION');
    const existing = map.get(parsed.name);
    if (existing && parsed.ifNotExists) return statusResult('DDL', `${parsed.name} already exists, statement succeeded.`);
    validateIntegration(parsed, {
      existing,
      verified: (email) => this.deliveries.isVerified(email),
      secretExists: ([db, schema, name]) => catalog.object(db, schema, name)?.kind === 'SECRET' && (!model || model.has(role, 'USAGE', 'SECRET', display([db, schema, name])) || model.has(role, 'READ', 'SECRET', display([db, schema, name]))),
    });
    map.set(parsed.name, { kind: 'INTEGRATION', name: parsed.name, owner: role, createdOn: new Date(), comment: parsed.comment, props: { TYPE: `NOTIFICATION_${parsed.settings.type}`, CATEGORY: 'NOTIFICATION', ENABLED: String(parsed.settings.enabled).toUpperCase() } });
    this.integrations.set(parsed.name, parsed.settings);
    return statusResult('DDL', `Integration ${parsed.name} successfully created.`);
  }

  private createAlert(session: Session, sql: string, c: Cursor, orReplace: boolean): EngineResult {
    const parsed = parseCreateAlert(session, sql, c, orReplace);
    const { alert } = parsed;
    const role = session.context.role;
    const { model, core } = this.options;
    if (!core.catalog.schema(alert.database, alert.schema)) throw kindDoesNotExist('SCHEMA', display([alert.database, alert.schema]));
    if (model) {
      const schemaName = display([alert.database, alert.schema]);
      if (!model.has(role, 'CREATE ALERT', 'SCHEMA', schemaName)) throw model.refusal(role, 'SCHEMA', schemaName);
      if (alert.warehouse) model.check(role, 'USAGE', 'WAREHOUSE', alert.warehouse);
    }
    const existing = this.alerts.get(key(alert));
    if (existing) {
      if (parsed.ifNotExists) return statusResult('DDL', `${alert.name} already exists, statement succeeded.`);
      if (!orReplace) throw alreadyExists('ALERT', alert.name);
      this.checkOwner(role, existing);
      this.scheduler.disarm(existing);
    }
    parseSchedule(alert.schedule.replace(/ MINUTE$/, ' MINUTES'));
    this.alerts.set(key(alert), { ...alert, id: this.nextId++, owner: role, createdOn: new Date(), state: 'suspended' });
    return statusResult('DDL', `Alert ${alert.name} successfully created.`);
  }

  /** `SELECT SYSTEM$START_USER_EMAIL_VERIFICATION('<user>')`: by the user, or the owner of the user (docs). */
  private async startVerification(session: Session, c: Cursor): Promise<EngineResult> {
    c.expectOp('(');
    const user = c.string().replace(/^"(.*)"$/, '$1');
    c.expectOp(')');
    const name = /^[A-Za-z_][A-Za-z0-9_$]*$/.test(user) ? user.toUpperCase() : user;
    const { model } = this.options;
    if (name !== session.context.user && model && !model.has(session.context.role, 'OWNERSHIP', 'USER', name)) throw insufficientPrivileges('USER', name);
    await this.deliveries.startVerification(name);
    return { kind: 'SELECT', columns: [{ name: 'SYSTEM$START_USER_EMAIL_VERIFICATION', type: 'TEXT', length: 16777216, nullable: true }], rows: [['Verification email sent.']] };
  }

  /** Alerts of a dropped schema or database are gone with it (DROP SCHEMA drops what it contains). */
  private prune(): void {
    for (const [k, alert] of this.alerts) {
      if (this.options.core.catalog.schema(alert.database, alert.schema)) continue;
      this.scheduler.disarm(alert);
      this.alerts.delete(k);
    }
  }

  private find(session: Session, parts: string[], ifExists: boolean): Alert | undefined {
    const q = qualify(parts, session.context);
    const alert = this.alerts.get(key(q));
    if (!alert && !ifExists) throw kindDoesNotExist('ALERT', display([q.database, q.schema, q.name]));
    return alert;
  }

  private visible(role: string, a: { owner: string }): boolean {
    const { model } = this.options;
    return !model || model.effectiveRoles(role).has(a.owner) || model.effectiveRoles(role).has('ACCOUNTADMIN');
  }

  private checkOwner(role: string, alert: Alert): void {
    if (!this.visible(role, alert)) throw insufficientPrivileges('ALERT', alert.name);
  }


}
