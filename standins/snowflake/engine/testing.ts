/** Test helpers: an engine with the demo seed and sessions logged in with the seed's defaults. */
import type { CellValue, EngineBind, EngineResult, EngineSession } from '../engine-types.js';
import { createEngine, SEED_DEFAULTS, type SnowflakeEngine } from './index.js';

export interface TestSession {
  raw: EngineSession;
  run(sql: string, binds?: Array<string | number | boolean | null>): Promise<EngineResult>;
  /** Rows as objects keyed by column name. */
  rows(sql: string, binds?: Array<string | number | boolean | null>): Promise<Array<Record<string, CellValue>>>;
}

export async function demoEngine(seed: 'demo' | 'empty' = 'demo'): Promise<SnowflakeEngine> {
  return createEngine({ seed });
}

function toBind(v: string | number | boolean | null): EngineBind {
  if (v === null) return { type: 'TEXT', value: null };
  if (typeof v === 'boolean') return { type: 'BOOLEAN', value: String(v) };
  if (typeof v === 'number') return { type: Number.isInteger(v) ? 'FIXED' : 'REAL', value: String(v) };
  return { type: 'TEXT', value: v };
}

export async function login(engine: SnowflakeEngine, overrides: Partial<typeof SEED_DEFAULTS> = {}): Promise<TestSession> {
  const d = { ...SEED_DEFAULTS, ...overrides };
  const raw = await engine.openSession({ user: d.user, role: d.role, warehouse: d.warehouse, database: d.database, schema: d.schema });
  const run = (sql: string, binds: Array<string | number | boolean | null> = []) => raw.execute(sql, binds.map(toBind));
  return {
    raw,
    run,
    async rows(sql, binds) {
      const r = await run(sql, binds);
      return r.rows.map((row) => Object.fromEntries(r.columns.map((c, k) => [c.name, row[k] ?? null])));
    },
  };
}
