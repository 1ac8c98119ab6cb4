/**
 * A SnowflakeSession wrapper that counts the statements sent and the highest number in flight at once, so
 * the wizard can report (and bench:cli measure) how many introspection queries it runs and how concurrently.
 */
import type { BindValue, QueryResult, SnowflakeSession } from '../../shared/snowflake/types.js';

export interface QueryStats {
  /** Statements sent through this wrapper. */
  count: number;
  /** Most statements in flight at the same time. */
  maxConcurrent: number;
  /** Statement texts in send order (never with bind values, which may hold secrets). */
  statements: string[];
}

export interface CountingSession extends SnowflakeSession {
  readonly stats: QueryStats;
  /** Stats since `mark` was taken (e.g. for one phase). */
  since(mark: QueryStats): QueryStats;
  mark(): QueryStats;
}

export function countingSession(inner: SnowflakeSession): CountingSession {
  const stats: QueryStats = { count: 0, maxConcurrent: 0, statements: [] };
  let inFlight = 0;
  let phaseMax = 0;
  const started = (sql: string) => {
    stats.count += 1;
    stats.statements.push(sql);
    inFlight += 1;
    stats.maxConcurrent = Math.max(stats.maxConcurrent, inFlight);
    phaseMax = Math.max(phaseMax, inFlight);
  };
  return {
    stats,
    mark() {
      phaseMax = inFlight;
      return { count: stats.count, maxConcurrent: 0, statements: [...stats.statements] };
    },
    since(mark) {
      return { count: stats.count - mark.count, maxConcurrent: phaseMax, statements: stats.statements.slice(mark.statements.length) };
    },
    async query<Row>(sql: string, binds?: BindValue[]): Promise<QueryResult<Row>> {
      started(sql);
      try {
        return await inner.query<Row>(sql, binds);
      } finally {
        inFlight -= 1;
      }
    },
    stream<Row>(sql: string, binds?: BindValue[]) {
      started(sql);
      const result = inner.stream<Row>(sql, binds);
      result.columns.then(
        () => (inFlight -= 1),
        () => (inFlight -= 1),
      );
      return result;
    },
    sessionToken: () => inner.sessionToken(),
    destroy: () => inner.destroy(),
  };
}
