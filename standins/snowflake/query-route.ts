/** `POST /queries/v1/query-request` and `…/abort-request` (reference §3.3, §3.5, §3.7). */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EngineBind, EngineResult } from './engine-types.js';
import { delay, failure, ok, readJsonBody, sendJson, snowflakeToken } from './http-util.js';
import { sessionErrors } from './login-errors.js';
import { renderQueryData, statementTypeId } from './result-render.js';
import type { Session } from './sessions.js';
import type { StandinState } from './server.js';
import { slowStatementMs } from './faults.js';
import { statementTimeoutAnswer, statementTimeoutSeconds } from './statement-timeout.js';

/** The driver's `bindings` object {"1": {type, value}, "2": …} → positional binds. */
export function decodeBindings(bindings: unknown): EngineBind[] {
  if (!bindings || typeof bindings !== 'object') return [];
  return Object.entries(bindings as Record<string, { type?: unknown; value?: unknown }>)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, bind]) => ({
      type: typeof bind.type === 'string' ? bind.type.toUpperCase() : 'TEXT',
      value: Array.isArray(bind.value)
        ? bind.value.map((v) => (v === null || v === undefined ? null : String(v)))
        : bind.value === null || bind.value === undefined
          ? null
          : String(bind.value),
    }));
}

function isSqlError(err: unknown): err is { code: string; sqlState: string; message: string } {
  if (!(err instanceof Error) || err.name !== 'SnowflakeSqlError') return false;
  const e = err as Error & { code?: unknown; sqlState?: unknown };
  return typeof e.code === 'string' && typeof e.sqlState === 'string';
}

/** Engine bugs become Snowflake's generic internal error, never a crash or an HTTP 500 (which the driver retries). */
function errorAnswer(err: unknown, queryId: string): Record<string, unknown> {
  if (isSqlError(err)) return failure(err.code, err.message, { sqlState: err.sqlState, queryId, line: -1, pos: -1, type: 'COMPILATION' });
  const detail = err instanceof Error ? err.message : String(err);
  return failure('000603', `SQL execution internal error:\nProcessing aborted due to error 300002:${detail}`, {
    sqlState: 'XX000',
    queryId,
    internalError: true,
  });
}

const cancelledAnswer = (queryId: string): Record<string, unknown> =>
  failure('000604', 'SQL execution canceled', { sqlState: '57014', queryId, type: 'EXECUTION' });

/** One statement at a time per session, as a single engine connection requires; later ones queue. */
const sessionQueues = new WeakMap<Session, Promise<unknown>>();
function serialize<T>(session: Session, run: () => Promise<T>): Promise<T> {
  const previous = sessionQueues.get(session) ?? Promise.resolve();
  const next = previous.then(run, run);
  sessionQueues.set(session, next.catch(() => undefined));
  return next;
}

/** Resolves the session for an authenticated request, or answers 401 / 390112 itself. */
export function authenticatedSession(state: StandinState, req: IncomingMessage, res: ServerResponse): Session | null {
  const found = state.sessions.lookup(snowflakeToken(req));
  if (!found) {
    sendJson(res, 401, sessionErrors.invalidToken);
    return null;
  }
  if (found.expired) {
    sendJson(res, 200, sessionErrors.expiredToken);
    return null;
  }
  return found.session;
}

export async function handleQuery(state: StandinState, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const session = authenticatedSession(state, req, res);
  if (!session) return;
  session.counts.statements++;
  session.counts.firstStatementAtMs ??= Date.now();
  const body = await readJsonBody(req);
  const queryId = randomUUID();
  const requestId = url.searchParams.get('requestId') ?? '';
  const sqlText = typeof body.sqlText === 'string' ? body.sqlText : '';
  const heads = (session.counts.heads ??= []);
  if (heads.length < 500) heads.push(sqlText.replace(/\s+/g, ' ').slice(0, 100));
  const binds = decodeBindings(body.bindings);

  const answer = await serialize(session, async () => {
    if (state.observed.abortedRequestIds.includes(requestId)) return cancelledAnswer(queryId);
    const statements = session.engineSession.splitStatements?.(sqlText) ?? [{ text: sqlText, bindsBefore: 0 }];
    const desired = multiStatementCount(body.parameters, session);
    if (statements.length > 1 || (desired > 1 && statements.length !== desired)) {
      if (desired !== 0 && statements.length !== desired) return statementCountMismatch(statements.length, desired, queryId);
      return runMultiStatement(state, session, statements, binds, queryId, requestId);
    }
    return runOne(state, session, sqlText, binds, queryId, requestId, body.parameters as Record<string, unknown> | undefined);
  });
  await delay(state.latencyMs);
  sendJson(res, 200, answer);
}

async function runOne(state: StandinState, session: Session, sqlText: string, binds: EngineBind[], queryId: string, requestId: string, parameters?: Record<string, unknown>): Promise<Record<string, unknown>> {
  // A statement made slow by the test fault (faults.ts) runs into the statement timeout like a real long one.
  const slowMs = slowStatementMs(state.faults, sqlText);
  if (slowMs > 0) {
    const timeoutSeconds = statementTimeoutSeconds(state, session, parameters);
    if (slowMs > timeoutSeconds * 1000) {
      await delay(timeoutSeconds * 1000);
      return statementTimeoutAnswer(timeoutSeconds, queryId);
    }
    await delay(slowMs);
  }
  let result: EngineResult;
  try {
    result = await session.engineSession.execute(sqlText, binds, { queryId, parameters });
  } catch (err) {
    return errorAnswer(err, queryId);
  }
  // Snowflake cannot undo a statement that finished either; the client still sees the cancellation.
  if (state.observed.abortedRequestIds.includes(requestId)) return cancelledAnswer(queryId);
  try {
    return ok(renderQueryData(result, renderContext(state, session, binds.length), queryId));
  } catch (err) {
    return errorAnswer(err, queryId);
  }
}

function renderContext(state: StandinState, session: Session, numberOfBinds: number) {
  return {
    sessionKey: String(session.sessionId),
    context: session.engineSession.context,
    parameters: effectiveParameters(session),
    chunkRows: state.chunkRows,
    baseUrl: state.baseUrl,
    chunkStore: state.chunkStore,
    numberOfBinds,
  };
}

/** Login parameters overlaid with what ALTER SESSION set; the driver takes them from every answer. */
function effectiveParameters(session: Session): Array<{ name: string; value: unknown }> {
  const overrides = session.engineSession.parameters;
  if (!overrides || overrides.size === 0) return session.parameters;
  const merged = new Map(session.parameters.map((p) => [p.name, p.value]));
  for (const [name, value] of overrides) merged.set(name, value);
  return [...merged].map(([name, value]) => ({ name, value }));
}

/**
 * MULTI_STATEMENT_COUNT (https://docs.snowflake.com/en/sql-reference/parameters#multi-statement-count):
 * default 1; 0 = any number; N = exactly N. The request's own parameters (the driver's `parameters`
 * statement option) win over the session's.
 */
function multiStatementCount(requestParameters: unknown, session: Session): number {
  const fromRequest = (requestParameters as Record<string, unknown> | undefined)?.MULTI_STATEMENT_COUNT;
  const value = fromRequest ?? session.engineSession.parameters?.get('MULTI_STATEMENT_COUNT') ?? session.parameters.find((p) => p.name === 'MULTI_STATEMENT_COUNT')?.value ?? 1;
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 ? n : 1;
}

/**
 * 000008 / 0A000, "Actual statement count N did not match the desired statement count M."
 * (https://docs.snowflake.com/en/developer-guide/sql-api/submitting-multiple-statements,
 * https://docs.snowflake.com/en/developer-guide/node-js/nodejs-driver-execute#executing-a-batch-of-sql-statements-multi-statement-support).
 */
function statementCountMismatch(actual: number, desired: number, queryId: string): Record<string, unknown> {
  return failure('000008', `Actual statement count ${actual} did not match the desired statement count ${desired}.`, { sqlState: '0A000', queryId, line: -1, pos: -1, type: 'COMPILATION' });
}

/**
 * A multi-statement request runs its statements in order, each with its own query id; the answer lists
 * them in `resultIds` and the driver fetches each with GET /queries/<id>/result. A failing statement
 * fails the request; the ones before it stay done (each ran in autocommit or the open transaction).
 */
async function runMultiStatement(
  state: StandinState,
  session: Session,
  statements: Array<{ text: string; bindsBefore: number }>,
  binds: EngineBind[],
  queryId: string,
  requestId: string,
): Promise<Record<string, unknown>> {
  const ids: string[] = [];
  const results = (session.results ??= new Map());
  for (const statement of statements) {
    const childId = randomUUID();
    const answer = await runOne(state, session, statement.text, binds.slice(statement.bindsBefore), childId, requestId);
    if (answer.success !== true) return answer;
    results.set(childId, answer);
    ids.push(childId);
  }
  while (results.size > 1000) results.delete(results.keys().next().value!);
  const parent: EngineResult = { kind: 'SELECT', columns: [{ name: 'multiple statement execution', type: 'TEXT', length: 16777216, nullable: false }], rows: [['Multiple statements executed successfully.']] };
  const data = renderQueryData(parent, renderContext(state, session, binds.length), queryId);
  return ok({ ...data, resultIds: ids.join(','), resultTypes: ids.map(() => statementTypeId('SELECT')).join(',') });
}

/** GET /queries/<id>/result: a stored answer of this session (the children of a multi-statement request). */
export function handleStoredResult(state: StandinState, req: IncomingMessage, res: ServerResponse, id: string): void {
  const session = authenticatedSession(state, req, res);
  if (!session) return;
  const answer = session.results?.get(id);
  if (answer) return sendJson(res, 200, answer);
  sendJson(res, 200, failure('000709', `Statement ${id} not found`, { sqlState: '02000', queryId: id }));
}

/** `statement.cancel()`: POST /queries/v1/abort-request {requestId} (or /queries/<id>/abort-request). */
export async function handleAbort(state: StandinState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!authenticatedSession(state, req, res)) return;
  const body = await readJsonBody(req);
  if (typeof body.requestId === 'string') state.observed.abortedRequestIds.push(body.requestId);
  sendJson(res, 200, ok(null));
}
