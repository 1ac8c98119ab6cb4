/** MERGE's answer in the stand-in: which actions its WHEN clauses name, and the counts row Snowflake returns. */
import type { EngineResult } from '../engine-types.js';
import { isWord, type Token } from './lexer.js';

export type MergeAction = 'INSERT' | 'UPDATE' | 'DELETE';

/** The actions a MERGE's WHEN clauses name (`THEN INSERT|UPDATE|DELETE`), in Snowflake's column order. */
export function mergeActions(tokens: Token[]): MergeAction[] {
  const named = new Set<string>();
  for (let i = 1; i < tokens.length; i++) if (isWord(tokens[i - 1], 'THEN') && isWord(tokens[i], 'INSERT', 'UPDATE', 'DELETE')) named.add(tokens[i]!.value);
  return (['INSERT', 'UPDATE', 'DELETE'] as const).filter((a) => named.has(a));
}

/**
 * MERGE answers one row with a count per action its clauses name: "number of rows inserted",
 * "number of rows updated", "number of rows deleted" (https://docs.snowflake.com/en/sql-reference/sql/merge,
 * and the Node connector's test/integration/testUpdatedRows.js 'merge': 3 inserted, 1 updated, 1 deleted).
 */
export function mergeCounts(actions: string[], clauses: MergeAction[]): EngineResult {
  const label: Record<MergeAction, string> = { INSERT: 'inserted', UPDATE: 'updated', DELETE: 'deleted' };
  const count = (a: MergeAction) => actions.filter((x) => x === a).length;
  return {
    kind: 'MERGE',
    columns: clauses.map((a) => ({ name: `number of rows ${label[a]}`, type: 'FIXED', precision: 19, scale: 0, nullable: false })),
    rows: [clauses.map((a) => String(count(a)))],
    rowsAffected: actions.length,
  };
}
