/**
 * Task runs (reference §5): ALTER TASK … RESUME | SUSPEND, EXECUTE TASK (asynchronous; a suspended task runs
 * without being resumed), scheduled runs of started tasks (one at a time: a scheduled time that finds the task
 * still running is skipped, §5.1), WHEN conditions (false → SKIPPED), TASK_HISTORY records. A run executes the
 * body in its own session with the owner role ("Tasks run using the task owner's privileges").
 * Time can be accelerated: `timeScale` virtual seconds pass per real second (schedules and history use it).
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { EngineResult } from '../../engine-types.js';
import type { SchemaObject } from '../catalog.js';
import { Cursor } from '../cursor.js';
import { isWord, type Token } from '../lexer.js';
import { display, resolveObject } from '../names.js';
import { Session, statusResult, type EngineCore } from '../session.js';
import { executeManagedTaskNotGranted, executeTaskNotGranted } from '../grants/access-errors.js';
import type { PrivilegeModel } from '../grants/privilege-model.js';
import { TaskScheduler } from './task-scheduler.js';
import { isTriggered, TaskTriggers, type TriggerOptions } from './task-triggers.js';
import { SnowflakeSqlError } from '../errors.js';
import { findHistoryCalls, historyReplacement, type TaskRun } from './task-history.js';
import { historyRange } from './task-history-args.js';
import { objectParameter } from '../parameters/registry.js';

export type { TaskRun } from './task-history.js';

export interface TaskRuntimeOptions {
  core: EngineCore;
  /** Enforce privileges (account profile set); null: everything allowed. */
  model: PrivilegeModel | null;
  timeScale?: number;
  /** The SPCS job a task session started, for TASK_HISTORY.SPCS_JOB_ID. */
  jobOf?: (session: Session) => number | null;
  /** Triggered tasks: available (default true) and the lowest minimum interval accepted (default 10 s). */
  triggers?: Partial<TriggerOptions>;
}

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'FAILED_AND_AUTO_SUSPENDED', 'SKIPPED', 'CANCELLED']);

export class TaskRuntime {
  /** Emits 'run' (a TaskRun) whenever a run starts or ends. */
  readonly events = new EventEmitter();
  readonly scheduler: TaskScheduler;
  readonly triggers: TaskTriggers;
  private readonly runs: Array<TaskRun & { seq: number }> = [];
  private readonly executing = new Set<SchemaObject>();
  private readonly pending = new Set<Promise<TaskRun>>();
  private seq = 0;
  /** Consecutive failed runs per task, for SUSPEND_TASK_AFTER_NUM_FAILURES. */
  private readonly failures = new Map<SchemaObject, number>();

  constructor(private readonly options: TaskRuntimeOptions) {
    this.scheduler = new TaskScheduler(options.core.catalog, options.timeScale ?? 1, (task, at) => {
      if (!this.executing.has(task)) this.start(task, 'SCHEDULE', at);
    });
    const triggerOptions = { available: options.triggers?.available ?? true, floorSeconds: options.triggers?.floorSeconds ?? 10 };
    this.triggers = new TaskTriggers(options.core, triggerOptions, {
      now: () => this.scheduler.now(),
      executing: (task) => this.executing.has(task),
      fire: (task, at) => this.start(task, 'TRIGGER', at),
    });
  }

  /** ALTER TASK … RESUME|SUSPEND and EXECUTE TASK; undefined for every other statement. */
  async handle(session: Session, sql: string, tokens: Token[]): Promise<EngineResult | undefined> {
    this.triggers.checkCreate(sql, tokens);
    const { model } = this.options;
    const parameter = this.triggers.handle(sql, tokens);
    if (parameter) return parameter;
    const c = new Cursor(sql, tokens);
    const execute = c.accept('EXECUTE', 'TASK');
    if (!execute && !c.accept('ALTER', 'TASK')) return undefined;
    const ifExists = !execute && c.accept('IF', 'EXISTS');
    const parts = c.name();
    const action = execute ? 'EXECUTE' : isWord(c.peek(), 'RESUME', 'SUSPEND') ? c.peek()!.value : null;
    if (!action) return undefined;
    let task: SchemaObject;
    try {
      task = resolveObject(this.options.core.catalog, parts, session.context, ['TASK']);
    } catch (error) {
      if (ifExists) return statusResult('DDL', 'Statement executed successfully.');
      throw error;
    }
    await session.beforeDdl();
    model?.check(session.context.role, 'OPERATE', 'TASK', display([task.database, task.schema, task.name]));
    if (action === 'SUSPEND') {
      Object.assign(task.task!, { state: 'suspended', lastSuspendedOn: new Date(), lastSuspendedReason: 'USER_SUSPENDED' });
      this.scheduler.disarm(task);
      this.triggers.disarm(task);
      return statusResult('DDL', 'Statement executed successfully.');
    }
    // Reference §5.2: the owner needs the global EXECUTE TASK, and USAGE on the task's warehouse.
    this.checkOwnerMayRun(task);
    if (action === 'RESUME') {
      if (task.task!.schedule) this.scheduler.arm(task);
      else if (isTriggered(task)) this.triggers.arm(task);
      else if (!task.props.AFTER) {
        // tasks-triggered: a task without SCHEDULE runs on its stream ("Define the target stream using the WHEN
        // clause"); one with neither cannot be started (text UNCONFIRMED; EXECUTE TASK still runs it once).
        throw new SnowflakeSqlError('091091', '22000', `Unable to resume task ${task.name}: it has no SCHEDULE and its WHEN does not check a stream with SYSTEM$STREAM_HAS_DATA.`);
      }
      task.task!.state = 'started';
      this.failures.delete(task);
      return statusResult('DDL', 'Statement executed successfully.');
    }
    this.start(task, 'EXECUTE TASK', this.scheduler.now());
    // UNCONFIRMED text; the docs say EXECUTE TASK "manually triggers an asynchronous single run".
    return statusResult('OTHER', `Task ${task.name} is scheduled to run immediately.`);
  }

  /**
   * Reference §5.2: the owner needs the global EXECUTE TASK and USAGE on the task's warehouse; a serverless task
   * (no WAREHOUSE) needs EXECUTE MANAGED TASK instead of the warehouse (§6.2).
   */
  private checkOwnerMayRun(task: SchemaObject): void {
    const { model } = this.options;
    if (!model) return;
    if (!model.has(task.owner, 'EXECUTE TASK', 'ACCOUNT', '')) throw executeTaskNotGranted();
    const warehouse = task.task!.warehouse;
    if (warehouse) model.check(task.owner, 'USAGE', 'WAREHOUSE', warehouse);
    else if (!model.has(task.owner, 'EXECUTE MANAGED TASK', 'ACCOUNT', '')) throw executeManagedTaskNotGranted();
  }

  /** Replacements for TASK_HISTORY calls in a query. */
  async replacements(session: Session, sql: string, tokens: Token[]): Promise<Map<number, [number, string]>> {
    const map = new Map<number, [number, string]>();
    const { catalog } = this.options.core;
    for (const call of findHistoryCalls(sql, tokens)) {
      const runs = this.visibleRuns(session.context.role);
      const range = await historyRange(session, call, this.scheduler.now());
      map.set(call.start, [call.end, historyReplacement(call, runs, session.context.database, (db) => catalog.databases.has(db), range)]);
    }
    return map;
  }

  /** Completed and executing runs, plus the next SCHEDULED run of each started task. */
  history(): TaskRun[] {
    return [...this.runs.map(({ seq: _seq, ...run }) => ({ ...run })), ...this.scheduler.scheduledRuns()];
  }

  /** Sequence number of the latest run so far (pass it as `after` to waitForRun). */
  lastRunSeq(): number {
    return this.seq;
  }

  /** Resolves with the first run of `name` after run `after` that reaches a terminal state. */
  waitForRun(name: string, options: { after?: number; timeoutMs?: number } = {}): Promise<TaskRun> {
    const after = options.after ?? 0;
    const wanted = name.toUpperCase();
    const match = (r: TaskRun & { seq: number }) => r.seq > after && r.name === wanted && TERMINAL.has(r.state);
    const done = this.runs.find(match);
    if (done) return Promise.resolve({ ...done });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off('run', listener);
        reject(new Error(`no run of task ${wanted} finished within ${options.timeoutMs ?? 120_000} ms`));
      }, options.timeoutMs ?? 120_000);
      const listener = (run: TaskRun & { seq: number }) => {
        if (!match(run)) return;
        clearTimeout(timer);
        this.events.off('run', listener);
        resolve({ ...run });
      };
      this.events.on('run', listener);
    });
  }

  /** Stops the scheduler and waits for runs in progress. */
  async close(): Promise<void> {
    this.scheduler.close();
    this.triggers.close();
    await Promise.allSettled([...this.pending]);
  }

  private visibleRuns(role: string): TaskRun[] {
    const { model } = this.options;
    // Reference §5.2 "Viewing history": ACCOUNTADMIN, OWNERSHIP on the task, or global MONITOR EXECUTION.
    const all = this.history();
    if (!model || model.effectiveRoles(role).has('ACCOUNTADMIN') || model.has(role, 'MONITOR EXECUTION', 'ACCOUNT', '')) return all;
    return all.filter((r) => model.has(role, 'OWNERSHIP', 'TASK', `${r.database}.${r.schema}.${r.name}`) || model.has(role, 'MONITOR', 'TASK', `${r.database}.${r.schema}.${r.name}`));
  }

  /**
   * SUSPEND_TASK_AFTER_NUM_FAILURES (https://docs.snowflake.com/en/sql-reference/parameters#suspend-task-after-num-failures,
   * https://docs.snowflake.com/en/release-notes/bcr-bundles/2023_08/bcr-1412): after that many consecutive failed runs
   * (default 10; 0 = never; set on the task, its schema, database or the account) the task is suspended, its
   * last_suspended_reason is SUSPENDED_DUE_TO_ERRORS and the run that tipped it shows FAILED_AND_AUTO_SUSPENDED in
   * TASK_HISTORY (bcr-899, bcr-990). A successful run resets the count; SKIPPED runs neither count nor reset it (docs
   * silent: the stricter choice). Runs from EXECUTE TASK count like scheduled ones (docs silent: stricter).
   */
  private countFailures(task: SchemaObject, run: TaskRun): void {
    if (run.state === 'SUCCEEDED') this.failures.delete(task);
    if (run.state !== 'FAILED') return;
    const count = (this.failures.get(task) ?? 0) + 1;
    const limit = Number(objectParameter(this.options.core.catalog, task, 'SUSPEND_TASK_AFTER_NUM_FAILURES').value);
    if (limit > 0 && count >= limit) {
      this.failures.delete(task);
      run.state = 'FAILED_AND_AUTO_SUSPENDED';
      Object.assign(task.task!, { state: 'suspended', lastSuspendedOn: new Date(), lastSuspendedReason: 'SUSPENDED_DUE_TO_ERRORS' });
      this.scheduler.disarm(task);
    } else this.failures.set(task, count);
  }

  private start(task: SchemaObject, from: TaskRun['scheduledFrom'], scheduledTime: Date): void {
    const promise = this.run(task, from, scheduledTime);
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
  }

  private async run(task: SchemaObject, from: TaskRun['scheduledFrom'], scheduledTime: Date): Promise<TaskRun> {
    const t = task.task!;
    const run: TaskRun & { seq: number } = {
      seq: ++this.seq, queryId: randomUUID(), name: task.name, database: task.database, schema: task.schema, queryText: t.definition, conditionText: t.condition,
      state: 'EXECUTING', errorCode: null, errorMessage: null, scheduledTime, queryStartTime: this.scheduler.now(), nextScheduledTime: this.scheduler.nextOf(task),
      completedTime: null, rootTaskId: String(task.id), graphVersion: 1, runId: scheduledTime.getTime(), scheduledFrom: from, attemptNumber: 1, spcsJobId: null,
    };
    this.runs.push(run);
    this.executing.add(task);
    this.events.emit('run', { ...run });
    let session: Session | undefined;
    try {
      session = await Session.open(this.options.core, { user: 'SYSTEM', role: task.owner, warehouse: t.warehouse, database: task.database, schema: task.schema });
      this.checkOwnerMayRun(task);
      const condition = t.condition ? (await session.execute(`SELECT ${t.condition}`, [])).rows[0]?.[0] : true;
      if (condition !== true) {
        Object.assign(run, { state: 'SKIPPED', queryId: null, queryStartTime: null });
      } else {
        await session.execute(t.definition, []);
        run.state = 'SUCCEEDED';
      }
    } catch (error) {
      const e = error as { code?: unknown; message?: unknown };
      Object.assign(run, { state: 'FAILED', errorCode: typeof e.code === 'string' ? e.code : '100000', errorMessage: String(e.message ?? error) });
    } finally {
      if (session) run.spcsJobId = this.options.jobOf?.(session) ?? null;
      run.completedTime = this.scheduler.now();
      this.countFailures(task, run);
      this.executing.delete(task);
      await session?.close().catch(() => undefined);
      this.events.emit('run', { ...run });
    }
    return { ...run };
  }
}
