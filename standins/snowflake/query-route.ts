/** `POST /queries/v1/query-request` and `…/abort-request` (reference §3.3, §3.5, §3.7). */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EngineBind, EngineResult } from './engine-types.js';
import { delay, failure, ok, readJsonBody, sendJson, snowflakeToken } from './http-util.js';
import { sessionErrors } from './login-errors.js';
import { renderQueryData } from './result-render.js';
import type { Session } from './sessions.js';
import type { StandinState } from './server.js';

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
  const binds = decodeBindings(body.bindings);

  const answer = await serialize(session, async () => {
    if (state.observed.abortedRequestIds.includes(requestId)) return cancelledAnswer(queryId);
    let result: EngineResult;
    try {
      result = await session.engineSession.execute(sqlText, binds);
    } catch (err) {
      return errorAnswer(err, queryId);
    }
    // Snowflake cannot undo a statement that finished either; the client still sees the cancellation.
    if (state.observed.abortedRequestIds.includes(requestId)) return cancelledAnswer(queryId);
    try {
      const data = renderQueryData(
        result,
        {
          sessionKey: String(session.sessionId),
          context: session.engineSession.context,
          parameters: session.parameters,
          chunkRows: state.chunkRows,
          baseUrl: state.baseUrl,
          chunkStore: state.chunkStore,
          numberOfBinds: binds.length,
        },
        queryId,
      );
      return ok(data);
    } catch (err) {
      return errorAnswer(err, queryId);
    }
  });
  await delay(state.latencyMs);
  sendJson(res, 200, answer);
}

/** `statement.cancel()`: POST /queries/v1/abort-request {requestId} (or /queries/<id>/abort-request). */
export async function handleAbort(state: StandinState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!authenticatedSession(state, req, res)) return;
  const body = await readJsonBody(req);
  if (typeof body.requestId === 'string') state.observed.abortedRequestIds.push(body.requestId);
  sendJson(res, 200, ok(null));
}
