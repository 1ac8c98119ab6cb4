/** Multi-row binds (split from session.ts). */
import type { EngineBind, EngineResult } from '../engine-types.js';
import type { Session } from './session.js';
import { runStatement } from './statements.js';

/** Multi-row binds: the statement runs once per row, atomically; rowsAffected is the sum. */
export async function executeArrayBinds(session: Session, sqlText: string, binds: EngineBind[]): Promise<EngineResult> {
  const rows = Math.max(...binds.map((b) => (Array.isArray(b.value) ? b.value.length : 1)));
  const own = !session.inTransaction;
  if (own) await session.begin();
  let total = 0;
  let last: EngineResult | undefined;
  try {
    for (let r = 0; r < rows; r++) {
      const rowBinds = binds.map((b) => ({ type: b.type, value: Array.isArray(b.value) ? (b.value[r] ?? null) : b.value }));
      last = await runStatement(session, sqlText, rowBinds);
      total += last.rowsAffected ?? 0;
    }
    if (own) await session.commit();
  } catch (err) {
    if (own) await session.rollback();
    throw err;
  }
  return { ...last!, rowsAffected: total };
}
