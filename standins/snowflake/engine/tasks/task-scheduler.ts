/**
 * Timers for started tasks, on a virtual clock running `timeScale` times faster than real time. A timer that
 * fires for a task that was suspended, dropped or replaced since does nothing (the catalog entry is checked).
 */
import type { Catalog, SchemaObject } from '../catalog.js';
import { nextRun, parseSchedule, type Schedule } from './schedule.js';
import type { TaskRun } from './task-history.js';

interface Armed {
  schedule: Schedule;
  base: Date;
  next: Date;
  timer: NodeJS.Timeout;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

export class TaskScheduler {
  private readonly armed = new Map<SchemaObject, Armed>();
  private readonly realStart = Date.now();
  private closed = false;

  constructor(
    private readonly catalog: Catalog,
    readonly timeScale: number,
    private readonly fire: (task: SchemaObject, scheduledTime: Date) => void,
  ) {
    if (!(timeScale > 0)) throw new Error(`taskTimeScale must be > 0 (got ${timeScale})`);
  }

  /** Virtual now. */
  now(): Date {
    return new Date(this.realStart + (Date.now() - this.realStart) * this.timeScale);
  }

  /** Validates the schedule (throws Snowflake's error) and arms the first run; the interval base is now (§5.2). */
  arm(task: SchemaObject): void {
    const schedule = parseSchedule(task.task!.schedule!);
    this.disarm(task);
    const base = this.now();
    this.set(task, schedule, base, nextRun(schedule, base, base));
  }

  disarm(task: SchemaObject): void {
    const armed = this.armed.get(task);
    if (armed) clearTimeout(armed.timer);
    this.armed.delete(task);
  }

  nextOf(task: SchemaObject): Date | null {
    return this.armed.get(task)?.next ?? null;
  }

  /** One SCHEDULED row per started task, as TASK_HISTORY shows the next run. */
  scheduledRuns(): TaskRun[] {
    return [...this.armed].filter(([task]) => this.live(task)).map(([task, a]) => ({
      queryId: null, name: task.name, database: task.database, schema: task.schema, queryText: task.task!.definition, conditionText: task.task!.condition,
      state: 'SCHEDULED', errorCode: null, errorMessage: null, scheduledTime: a.next, queryStartTime: null, nextScheduledTime: null, completedTime: null,
      rootTaskId: String(task.id), graphVersion: 1, runId: a.next.getTime(), scheduledFrom: 'SCHEDULE', attemptNumber: 1, spcsJobId: null,
    }));
  }

  close(): void {
    this.closed = true;
    for (const task of [...this.armed.keys()]) this.disarm(task);
  }

  private live(task: SchemaObject): boolean {
    return task.task?.state === 'started' && this.catalog.object(task.database, task.schema, task.name) === task;
  }

  private set(task: SchemaObject, schedule: Schedule, base: Date, next: Date): void {
    if (this.closed) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, (next.getTime() - this.now().getTime()) / this.timeScale));
    const timer = setTimeout(() => this.tick(task), delay);
    timer.unref();
    this.armed.set(task, { schedule, base, next, timer });
  }

  private tick(task: SchemaObject): void {
    const armed = this.armed.get(task);
    if (!armed) return;
    // Armed before RESUME completed (state set right after arm) or suspended/dropped since: stop quietly.
    if (!this.live(task)) {
      this.armed.delete(task);
      return;
    }
    const now = this.now();
    if (now.getTime() + 1 < armed.next.getTime()) return this.set(task, armed.schedule, armed.base, armed.next);
    this.fire(task, armed.next);
    this.set(task, armed.schedule, armed.base, nextRun(armed.schedule, now, armed.base));
  }
}
