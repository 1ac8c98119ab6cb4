/**
 * Token-span replacements computed before a query is translated: SYSTEM$STREAM_HAS_DATA results,
 * GET_OBJECT_REFERENCES, the hooks' table functions (TASK_HISTORY…), LAST_QUERY_ID / RESULT_SCAN and CHANGES.
 */
import { changesReplacements } from './changes-clause.js';
import { syntaxError } from './errors.js';
import { isOp, isWord, type Token } from './lexer.js';
import { parseNameString, resolveObject } from './names.js';
import { objectReferenceReplacements } from './object-references.js';
import { queryLogReplacements } from './query-log.js';
import type { Session } from './session.js';
import { streamHasData } from './streams.js';

export async function queryReplacements(session: Session, sql: string, tokens: Token[]): Promise<Map<number, [number, string]>> {
  const replacements = await streamHasDataReplacements(session, sql, tokens);
  const { core, context } = session;
  for (const [at, span] of objectReferenceReplacements(core.catalog, core.authz, context, sql, tokens)) replacements.set(at, span);
  for (const [at, span] of (await core.hooks.queryReplacements?.(session, sql, tokens)) ?? []) replacements.set(at, span);
  for (const [at, span] of queryLogReplacements(core, context.user, session.queryIds, sql, tokens)) replacements.set(at, span);
  for (const [at, span] of await changesReplacements(session, sql, tokens)) replacements.set(at, span);
  return replacements;
}

/** SYSTEM$STREAM_HAS_DATA('name') is evaluated before the statement and replaced by TRUE/FALSE. */
async function streamHasDataReplacements(session: Session, sql: string, tokens: Token[]): Promise<Map<number, [number, string]>> {
  const map = new Map<number, [number, string]>();
  for (let i = 0; i < tokens.length; i++) {
    if (!isWord(tokens[i], 'SYSTEM$STREAM_HAS_DATA')) continue;
    const arg = tokens[i + 2];
    if (!isOp(tokens[i + 1], '(') || !arg || arg.type !== 'string' || !isOp(tokens[i + 3], ')')) throw syntaxError(sql, tokens[i]!.pos);
    const stream = resolveObject(session.core.catalog, parseNameString(arg.value), session.context, ['STREAM']);
    map.set(i, [i + 4, (await streamHasData(session.conn, session.core.catalog, stream)) ? 'TRUE' : 'FALSE']);
  }
  return map;
}
