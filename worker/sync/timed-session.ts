import type { BindValue, SnowflakeSession, SqlStatement, StatementOptions } from '../../shared/snowflake/types.js';

export interface StatementStats {
  /** Statements (query requests) the run sent through this session. */
  statements: number;
  /** Sum of their durations, up to the answer (a streamed result: up to its first rows). */
  statementMs: number;
}

/**
 * The worker's session with every statement counted and timed: what a real warehouse charges for is the
 * number of statements and the time they keep it up, which the run summary reports (bench:worker reads it
 * and checks it against the stand-in's own count, taken from outside).
 */
export function timedSession(inner: SnowflakeSession): { session: SnowflakeSession; stats: StatementStats } {
  const stats: StatementStats = { statements: 0, statementMs: 0 };
  const timed = <T>(work: Promise<T>): Promise<T> => {
    const started = performance.now();
    stats.statements++;
    const done = () => void (stats.statementMs += performance.now() - started);
    work.then(done, done);
    return work;
  };
  const session: SnowflakeSession = {
    query<Row>(sql: string, binds?: BindValue[]) {
      return timed(inner.query<Row>(sql, binds));
    },
    // One query request however many statements it carries: what the warehouse's round trips cost.
    ...(inner.queryAll ? { queryAll: (statements: readonly SqlStatement[]) => timed(inner.queryAll!(statements)) } : {}),
    stream<Row>(sql: string, binds?: BindValue[], options?: StatementOptions) {
      const result = inner.stream<Row>(sql, binds, options);
      void timed(result.columns).catch(() => undefined);
      return result;
    },
    sessionToken: () => inner.sessionToken(),
    destroy: () => inner.destroy(),
  };
  return { session, stats };
}
