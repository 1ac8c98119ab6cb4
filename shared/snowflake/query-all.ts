import type { QueryResult, SnowflakeSession, SqlStatement } from './types.js';

/**
 * Statements that always go together (first-run DDL, the lock's read-modify-read) in one query request when the
 * session can (SnowflakeSession.queryAll), else one request each, in order: the same statements either way.
 */
export async function queryAll(session: SnowflakeSession, statements: readonly SqlStatement[]): Promise<QueryResult[]> {
  if (statements.length === 1) return [await session.query(statements[0]!.sql, statements[0]!.binds)];
  if (session.queryAll) return session.queryAll(statements);
  const results: QueryResult[] = [];
  for (const statement of statements) results.push(await session.query(statement.sql, statement.binds));
  return results;
}
