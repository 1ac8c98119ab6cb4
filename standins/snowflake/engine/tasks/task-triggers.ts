/**
 * Triggered tasks (https://docs.snowflake.com/en/user-guide/tasks-triggered): a task with no SCHEDULE whose WHEN
 * is SYSTEM$STREAM_HAS_DATA(…) runs when the stream has data, no more often than the account's (or the task's)
 * USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS (https://docs.snowflake.com/en/sql-reference/parameters:
 * default 30, minimum 10, maximum 604800). A serverless triggered task must set TARGET_COMPLETION_INTERVAL
 * (tasks-triggered, "Create a triggered task"). The health-check run Snowflake starts after 12 hours without a
 * run is not modelled (it runs the WHEN only).
 *
 * The stand-in watches each started triggered task: every POLL_MS it evaluates the WHEN in a session of the owner
 * role (as the cloud services layer would, without a warehouse) and fires a run when it is true, the previous run
 * has ended (one at a time, as for scheduled tasks) and the minimum interval has passed since the previous start.
 */
import type { SchemaObject } from '../catalog.js';
import { Cursor } from '../cursor.js';
import { SnowflakeSqlError } from '../errors.js';
import type { Token } from '../lexer.js';
import { Session, type EngineCore } from '../session.js';
import type { EngineResult } from '../../engine-types.js';
import { showResult } from '../show-format.js';
import { objectParameter } from '../parameters/registry.js';

const POLL_MS = 200;
const PARAMETER = 'USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS';
/** Documented default and range (https://docs.snowflake.com/en/sql-reference/parameters). */
export const TRIGGER_INTERVAL = { default: 30, min: 10, max: 604_800 } as const;

export interface TriggerOptions {
  /** false: the account has no triggered tasks (a region or edition without the feature; stand-in profile). */
  available: boolean;
  /**
   * Stand-in knob, not Snowflake's: the lowest value ALTER ACCOUNT SET accepts (default the documented 10), so a
   * benchmark can run triggered tasks seconds apart.
   */
  floorSeconds: number;
}

const isStreamTriggered = (condition: string | null) => condition !== null && /SYSTEM\$STREAM_HAS_DATA\s*\(/i.test(condition);

/** No SCHEDULE, no AFTER, a stream in WHEN: a triggered task. */
export function isTriggered(task: SchemaObject): boolean {
  return !task.task!.schedule && !task.props.AFTER && isStreamTriggered(task.task!.condition);
}

function invalidValue(value: string): SnowflakeSqlError {
  return new SnowflakeSqlError('001008', '22023', `SQL compilation error:\ninvalid value [${value}] for parameter '${PARAMETER}'`);
}

export class TaskTriggers {
  private readonly armed = new Map<SchemaObject, { timer: NodeJS.Timeout; session: Promise<Session> | null; lastStart: number | null }>();
  private closed = false;

  constructor(
    private readonly core: EngineCore,
    private readonly options: TriggerOptions,
    private readonly hooks: { now(): Date; executing(task: SchemaObject): boolean; fire(task: SchemaObject, at: Date): void },
  ) {}

  /** Seconds between two runs of this task: its own parameter, else its schema's, database's or the account's. */
  intervalSeconds(task: SchemaObject): number {
    const own = Number(task.props[PARAMETER]);
    if (Number.isFinite(own) && own > 0) return own;
    const inherited = Number(objectParameter(this.core.catalog, task, PARAMETER).value);
    return Number.isFinite(inherited) && inherited > 0 ? inherited : TRIGGER_INTERVAL.default;
  }

  /**
   * CREATE [OR REPLACE] TASK checks (returns nothing: the engine then creates it). Without the feature, a task
   * with no SCHEDULE and a stream in WHEN is refused; a serverless one without TARGET_COMPLETION_INTERVAL too
   * (the docs require it; the error text is UNCONFIRMED).
   */
  checkCreate(sql: string, tokens: Token[]): void {
    const c = new Cursor(sql, tokens);
    if (!c.accept('CREATE')) return;
    c.accept('OR', 'REPLACE');
    if (!c.accept('TASK')) return;
    c.accept('IF', 'NOT', 'EXISTS');
    c.name();
    const props = c.properties(['AS', 'WHEN', 'AFTER']);
    if (props.SCHEDULE || c.accept('AFTER') || !c.accept('WHEN')) return;
    const rest = sql.slice(c.tokens[c.i]?.pos ?? sql.length);
    if (!isStreamTriggered(rest.split(/\bAS\b/i)[0] ?? '')) return;
    if (!this.options.available) {
      throw new SnowflakeSqlError('002003', '02000', 'SQL compilation error:\nTriggered tasks are not available in this account: a task needs a SCHEDULE (text UNCONFIRMED).');
    }
    if (!props.WAREHOUSE && !props.TARGET_COMPLETION_INTERVAL) {
      throw new SnowflakeSqlError('001003', '42000', 'SQL compilation error:\nA serverless triggered task must specify TARGET_COMPLETION_INTERVAL (text UNCONFIRMED; https://docs.snowflake.com/en/user-guide/tasks-triggered).');
    }
    const own = props[PARAMETER];
    if (own !== undefined) this.checkValue(own);
  }

  /**
   * The parameter itself is the engine's (parameters/registry.ts: SHOW PARAMETERS, ALTER ACCOUNT SET). Here:
   * ALTER ACCOUNT SET checks its documented range (the floor knob aside) and leaves the storing to the engine; an
   * account without triggered tasks has no such parameter (SHOW PARAMETERS LIKE it: no row; SET: refused).
   */
  handle(sql: string, tokens: Token[]): EngineResult | undefined {
    const c = new Cursor(sql, tokens);
    if (c.accept('SHOW', 'PARAMETERS')) {
      const like = c.accept('LIKE') ? c.string() : null;
      const onlyThis = like !== null && like.toUpperCase() === PARAMETER;
      return onlyThis && !this.options.available ? showResult(['key', 'value', 'default', 'level', 'description', 'type'], []) : undefined;
    }
    if (!c.accept('ALTER', 'ACCOUNT') || !c.accept('SET') || c.peek()?.value !== PARAMETER) return undefined;
    if (!this.options.available) throw invalidValue(PARAMETER);
    c.i++;
    c.expectOp('=');
    this.checkValue(c.value());
    return undefined;
  }

  private checkValue(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < this.options.floorSeconds || n > TRIGGER_INTERVAL.max) throw invalidValue(value);
    return n;
  }

  /** ALTER TASK … RESUME of a triggered task: start watching its stream. */
  arm(task: SchemaObject): void {
    this.disarm(task);
    const entry = { timer: setTimeout(() => this.tick(task), POLL_MS), session: null as Promise<Session> | null, lastStart: null as number | null };
    entry.timer.unref();
    this.armed.set(task, entry);
  }

  disarm(task: SchemaObject): void {
    const entry = this.armed.get(task);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.armed.delete(task);
    void entry.session?.then((s) => s.close()).catch(() => undefined);
  }

  close(): void {
    this.closed = true;
    for (const task of [...this.armed.keys()]) this.disarm(task);
  }

  private live(task: SchemaObject): boolean {
    return task.task?.state === 'started' && this.core.catalog.object(task.database, task.schema, task.name) === task;
  }

  private async tick(task: SchemaObject): Promise<void> {
    const entry = this.armed.get(task);
    if (!entry || this.closed) return;
    if (!this.live(task)) return this.disarm(task);
    const now = this.hooks.now().getTime();
    const spaced = entry.lastStart === null || now - entry.lastStart >= this.intervalSeconds(task) * 1000;
    if (spaced && !this.hooks.executing(task)) {
      try {
        entry.session ??= Session.open(this.core, { user: 'SYSTEM', role: task.owner, warehouse: null, database: task.database, schema: task.schema });
        const { rows } = await (await entry.session).execute(`SELECT ${task.task!.condition}`, []);
        if (rows[0]?.[0] === true && this.armed.get(task) === entry && this.live(task)) {
          entry.lastStart = now;
          this.hooks.fire(task, new Date(now));
        }
      } catch {
        // A stream that became stale or was dropped: the run would fail the same way; keep watching.
      }
    }
    if (this.armed.get(task) !== entry) return;
    entry.timer = setTimeout(() => this.tick(task), POLL_MS);
    entry.timer.unref();
  }
}
