/**
 * `status` reads many objects' metadata (SHOW / DESC), and several parts of one report, or the reports of several
 * syncs sharing the project's pool, integration, network rule, secret and repository, ask for the same ones. On a
 * real warehouse each statement costs ~50–300 ms, so within one read-only command each distinct SHOW / DESC
 * statement is sent once and its answer shared (the command reports one moment; nothing it does changes them).
 * Statements with binds and anything other than SHOW / DESC go through unchanged.
 */
import type { BindValue, QueryResult, SnowflakeSession } from '../../shared/snowflake/types.js';

const METADATA = /^\s*(SHOW|DESC|DESCRIBE)\s/i;

export function sharingMetadataReads(session: SnowflakeSession): SnowflakeSession {
  const answers = new Map<string, Promise<QueryResult<Record<string, unknown>>>>();
  const shared: SnowflakeSession = {
    query<Row = Record<string, unknown>>(sql: string, binds?: BindValue[]): Promise<QueryResult<Row>> {
      if (!METADATA.test(sql) || (binds !== undefined && binds.length > 0)) return session.query<Row>(sql, binds);
      let answer = answers.get(sql);
      if (!answer) answers.set(sql, (answer = session.query(sql)));
      // A copy of the row list per caller: one caller sorting or filtering it in place cannot change another's.
      return answer.then((result) => ({ ...result, rows: [...result.rows] }) as unknown as QueryResult<Row>);
    },
    stream: (sql, binds, options) => session.stream(sql, binds, options),
    sessionToken: () => session.sessionToken(),
    destroy: () => session.destroy(),
  };
  if (session.queryAll) shared.queryAll = (statements) => session.queryAll!(statements);
  return shared;
}
