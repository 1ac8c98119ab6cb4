/**
 * A tiny Engine for the protocol tests: it answers a handful of fixed commands so the wire protocol can
 * be tested without the DuckDB engine. It records what the protocol layer handed it.
 */
import { SnowflakeSqlError, type CellValue, type ColumnMeta, type Engine, type EngineBind, type EngineResult, type EngineSession, type SessionContext } from './engine-types.js';

/** One row of every type, then a row of NULLs (command `SELECT TYPES`). */
export const TYPE_COLUMNS: ColumnMeta[] = [
  { name: 'N', type: 'FIXED', precision: 38, scale: 0, nullable: true },
  { name: 'AMOUNT', type: 'FIXED', precision: 10, scale: 2, nullable: true },
  { name: 'R', type: 'REAL', nullable: true },
  { name: 'S', type: 'TEXT', length: 100, nullable: true },
  { name: 'B', type: 'BOOLEAN', nullable: true },
  { name: 'D', type: 'DATE', nullable: true },
  { name: 'T', type: 'TIME', scale: 9, nullable: true },
  { name: 'NTZ', type: 'TIMESTAMP_NTZ', scale: 9, nullable: true },
  { name: 'LTZ', type: 'TIMESTAMP_LTZ', scale: 9, nullable: true },
  { name: 'TZ', type: 'TIMESTAMP_TZ', scale: 3, nullable: true },
  { name: 'V', type: 'VARIANT', nullable: true },
  { name: 'A', type: 'ARRAY', nullable: true },
  { name: 'O', type: 'OBJECT', nullable: true },
  { name: 'BIN', type: 'BINARY', nullable: true },
];

export const TYPE_ROW: CellValue[] = [
  '-42',
  '12345.67',
  1.5,
  'héllo "world"',
  true,
  '2023-11-14',
  '12:34:56.5',
  1_700_000_000_123_456_789n,
  -1_500_000_000n,
  { epochNanos: 1_700_000_000_000_000_000n, offsetMinutes: 120 },
  '{"a":1,"b":[true,null]}',
  '[1,"two",{"three":3}]',
  '{"k":"v"}',
  Buffer.from('Hello'),
];

export interface ScriptedEngine extends Engine {
  /** `WAIT` statements block until release() is called (to test cancellation deterministically). */
  waiting: number;
  release(): void;
  opened: SessionContext[];
  closedSessions: number;
  statements: Array<{ sqlText: string; binds: EngineBind[] }>;
}

const col = (name: string, type: ColumnMeta['type'], extra: Partial<ColumnMeta> = {}): ColumnMeta => ({ name, type, nullable: true, ...extra });

function generateRows(count: number): EngineResult {
  const rows: CellValue[][] = new Array(count);
  for (let i = 0; i < count; i++) rows[i] = [String(i), `row-${i}`];
  return { kind: 'SELECT', columns: [col('ID', 'FIXED', { precision: 38, scale: 0 }), col('LABEL', 'TEXT')], rows };
}

function run(sqlText: string, binds: EngineBind[], context: SessionContext): EngineResult {
  const sql = sqlText.trim();
  const generate = /^GENERATE (\d+)$/i.exec(sql);
  if (generate) return generateRows(Number(generate[1]));
  if (/^SELECT TYPES$/i.test(sql)) return { kind: 'SELECT', columns: TYPE_COLUMNS, rows: [TYPE_ROW, TYPE_COLUMNS.map(() => null)] };
  if (/^ECHO BINDS$/i.test(sql)) {
    return { kind: 'SELECT', columns: [col('TYPE', 'TEXT'), col('VALUE', 'TEXT')], rows: binds.map((b) => [b.type, JSON.stringify(b.value)]) };
  }
  if (/^SELECT CONTEXT$/i.test(sql)) {
    return { kind: 'SELECT', columns: ['USER', 'ROLE', 'WAREHOUSE', 'DATABASE', 'SCHEMA'].map((n) => col(n, 'TEXT')), rows: [[context.user, context.role, context.warehouse, context.database, context.schema]] };
  }
  if (/^INSERT/i.test(sql)) {
    const first = binds[0]?.value;
    return { kind: 'INSERT', columns: [], rows: [], rowsAffected: Array.isArray(first) ? first.length : 1 };
  }
  if (/^UPDATE/i.test(sql)) return { kind: 'UPDATE', columns: [], rows: [], rowsAffected: 7 };
  if (/^DELETE/i.test(sql)) return { kind: 'DELETE', columns: [], rows: [], rowsAffected: 2 };
  if (/^CREATE/i.test(sql)) return { kind: 'DDL', columns: [col('status', 'TEXT')], rows: [['Table T successfully created.']] };
  if (/^USE DATABASE (\w+)$/i.test(sql)) {
    context.database = sql.split(/\s+/)[2]!.toUpperCase();
    return { kind: 'USE', columns: [], rows: [] };
  }
  if (/^CRASH$/i.test(sql)) throw new Error('engine exploded');
  if (/^BAD CELL$/i.test(sql)) return { kind: 'SELECT', columns: [col('D', 'DATE')], rows: [[42]] };
  throw new SnowflakeSqlError('002003', '42S02', `SQL compilation error:\nObject '${sql.split(/\s+/).pop()}' does not exist or not authorized.`);
}

export function createScriptedEngine(): ScriptedEngine {
  const newGate = () => {
    let resolve = () => {};
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  };
  let gate = newGate();
  const engine: ScriptedEngine = {
    waiting: 0,
    release() {
      gate.resolve();
      gate = newGate();
    },
    opened: [],
    closedSessions: 0,
    statements: [],
    async openSession(context: SessionContext): Promise<EngineSession> {
      if (context.role === 'NOT_GRANTED') {
        throw new SnowflakeSqlError('390189', '08004', `Role '${context.role}' specified in the connect string is not granted to this user. Contact your local system administrator, or attempt to login with another role, e.g. PUBLIC.`);
      }
      const sessionContext = { ...context };
      engine.opened.push(sessionContext);
      let open = true;
      return {
        context: sessionContext,
        async execute(sqlText, binds) {
          if (!open) throw new SnowflakeSqlError('390111', '08003', 'Session no longer exists.');
          engine.statements.push({ sqlText, binds });
          if (/^WAIT$/i.test(sqlText.trim())) {
            engine.waiting++;
            await gate.promise;
            engine.waiting--;
            return generateRows(1);
          }
          return run(sqlText, binds, sessionContext);
        },
        async close() {
          open = false;
          engine.closedSessions++;
        },
      };
    },
    async close() {},
  };
  return engine;
}
