/**
 * Evaluation of alerts (split from alert-runtime.ts): a started alert is evaluated on its schedule, on the virtual
 * clock the task scheduler runs (so tests accelerate both alike); EXECUTE ALERT evaluates one now. An evaluation
 * runs the condition in a session with the owner role; rows → the action runs (TRIGGERED), none →
 * CONDITION_FALSE; an error → CONDITION_FAILED / ACTION_FAILED (ALERT_HISTORY states,
 * https://docs.snowflake.com/en/sql-reference/functions/alert_history). The owner needs EXECUTE ALERT, and USAGE on
 * the warehouse or EXECUTE MANAGED ALERT when serverless (reference §8.5), at RESUME and at each evaluation.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { insufficientPrivileges } from '../errors.js';
import { Session, type EngineCore } from '../session.js';
import type { PrivilegeModel } from '../grants/privilege-model.js';
import { nextRun, parseSchedule } from '../tasks/schedule.js';
import type { Alert } from './alert-ddl.js';
import type { AlertRun } from './alert-history.js';

export interface AlertSchedulerOptions {
  core: EngineCore;
  model: PrivilegeModel | null;
  clock: { now(): Date; readonly timeScale: number };
  /** Is this alert still the live one (not dropped or replaced)? */
  live: (alert: Alert) => boolean;
}

export class AlertScheduler {
  readonly runs: AlertRun[] = [];
  /** Emits 'run' (an AlertRun) when an evaluation ends. */
  readonly events = new EventEmitter();
  private readonly timers = new Map<Alert, NodeJS.Timeout>();
  private readonly pending = new Set<Promise<unknown>>();
  private closed = false;

  constructor(private readonly options: AlertSchedulerOptions) {}

  /** Resolves with the first evaluation of `name` (upper case) ending after `after` runs so far. */
  waitForRun(name: string, options: { after?: number; timeoutMs?: number } = {}): Promise<AlertRun> {
    const after = options.after ?? this.runs.length;
    const match = (r: AlertRun) => r.name === name && r.completedTime !== null;
    const done = this.runs.slice(after).find(match);
    if (done) return Promise.resolve(done);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off('run', listener);
        reject(new Error(`no evaluation of alert ${name} ended within ${options.timeoutMs ?? 30_000} ms`));
      }, options.timeoutMs ?? 30_000);
      const listener = (r: AlertRun) => {
        if (!match(r)) return;
        clearTimeout(timer);
        this.events.off('run', listener);
        resolve(r);
      };
      this.events.on('run', listener);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const alert of [...this.timers.keys()]) this.disarm(alert);
    await Promise.allSettled([...this.pending]);
  }

  checkOwnerMayRun(alert: Alert): void {
    const { model } = this.options;
    if (!model) return;
    if (!model.has(alert.owner, 'EXECUTE ALERT', 'ACCOUNT', '')) throw insufficientPrivileges('ACCOUNT', this.options.core.catalog.account_name);
    if (alert.warehouse) model.check(alert.owner, 'USAGE', 'WAREHOUSE', alert.warehouse);
    else if (!model.has(alert.owner, 'EXECUTE MANAGED ALERT', 'ACCOUNT', '')) throw insufficientPrivileges('ACCOUNT', this.options.core.catalog.account_name);
  }

  arm(alert: Alert, after = this.options.clock.now(), base = after): void {
    this.disarm(alert);
    if (this.closed) return;
    const schedule = parseSchedule(alert.schedule.replace(/ MINUTE$/, ' MINUTES'));
    const next = nextRun(schedule, after, base);
    const delay = Math.max(0, (next.getTime() - this.options.clock.now().getTime()) / this.options.clock.timeScale);
    const timer = setTimeout(() => {
      if (!this.options.live(alert) || alert.state !== 'started') return;
      this.start(alert, 'SCHEDULE', next);
      this.arm(alert, next, base);
    }, Math.min(delay, 2 ** 31 - 1));
    timer.unref();
    this.timers.set(alert, timer);
  }

  disarm(alert: Alert): void {
    clearTimeout(this.timers.get(alert));
    this.timers.delete(alert);
  }

  start(alert: Alert, from: AlertRun['scheduledFrom'], scheduledTime: Date): void {
    const promise = this.evaluate(alert, from, scheduledTime);
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
  }

  private async evaluate(alert: Alert, from: AlertRun['scheduledFrom'], scheduledTime: Date): Promise<AlertRun> {
    const run: AlertRun = {
      name: alert.name, database: alert.database, schema: alert.schema, owner: alert.owner, condition: alert.condition, action: alert.action,
      conditionQueryId: randomUUID(), actionQueryId: null, errorCode: null, errorMessage: null, state: 'EXECUTING', scheduledTime, completedTime: null, scheduledFrom: from,
    };
    this.runs.push(run);
    let session: Session | undefined;
    let phase: 'condition' | 'action' = 'condition';
    try {
      session = await Session.open(this.options.core, { user: 'SYSTEM', role: alert.owner, warehouse: alert.warehouse, database: alert.database, schema: alert.schema });
      this.checkOwnerMayRun(alert);
      const result = await session.execute(alert.condition, []);
      if (result.rows.length === 0) run.state = 'CONDITION_FALSE';
      else {
        phase = 'action';
        run.actionQueryId = randomUUID();
        await session.execute(alert.action, []);
        run.state = 'TRIGGERED';
      }
    } catch (error) {
      const e = error as { code?: unknown; message?: unknown };
      Object.assign(run, { state: phase === 'condition' ? 'CONDITION_FAILED' : 'ACTION_FAILED', errorCode: typeof e.code === 'string' ? e.code : '100000', errorMessage: String(e.message ?? error) });
    } finally {
      run.completedTime = this.options.clock.now();
      await session?.close().catch(() => undefined);
      this.events.emit('run', run);
    }
    return run;
  }
}
