/** Login, token renewal, heartbeat, logout and telemetry (reference §3.2, §3.7). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoginError, loginErrors, sessionErrors } from './login-errors.js';
import type { SessionContext } from './engine-types.js';
import { failure, ok, readJsonBody, sendJson, snowflakeToken } from './http-util.js';
import { authenticatedSession } from './query-route.js';
import { sessionParameters } from './sessions.js';
import type { StandinState } from './server.js';

/** Unquoted identifiers are upper-cased by Snowflake; "quoted" ones keep their case. */
export function normalizeIdentifier(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined || raw === '') return null;
  const quoted = /^"(.*)"$/.exec(raw);
  return quoted ? (quoted[1] ?? '').replace(/""/g, '"') : raw.toUpperCase();
}

function loginFailure(err: unknown): Record<string, unknown> {
  if (err instanceof LoginError) return failure(err.code, err.message, { nextAction: 'RETRY_LOGIN', sqlState: '08001' });
  const e = err as { name?: unknown; code?: unknown; sqlState?: unknown; message?: unknown };
  if (e?.name === 'SnowflakeSqlError' && typeof e.code === 'string') {
    return failure(e.code, String(e.message), { nextAction: 'RETRY_LOGIN', sqlState: typeof e.sqlState === 'string' ? e.sqlState : '08001' });
  }
  return failure('390100', `Login failed inside the Snowflake stand-in: ${e instanceof Error ? e.message : String(err)}`, { sqlState: '08001' });
}

export async function handleLogin(state: StandinState, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const body = await readJsonBody(req);
  const data = (body.data ?? {}) as Record<string, unknown>;
  try {
    // With accessUrl the host does not select the account, so the name the driver sends must match.
    const accountName = typeof data.ACCOUNT_NAME === 'string' ? data.ACCOUNT_NAME.split('.')[0]!.toUpperCase() : state.account.name;
    if (accountName !== state.account.name) throw loginErrors.badPassword();
    const { user, scopedRole, mfaToken } = state.account.authenticate(data);
    const requestedRole = normalizeIdentifier(url.searchParams.get('roleName'));
    if (scopedRole && requestedRole && requestedRole !== scopedRole) throw loginErrors.oauthRoleNotInScope(requestedRole);
    const context: SessionContext = {
      user: user.name,
      role: scopedRole ?? requestedRole ?? user.defaultRole,
      warehouse: normalizeIdentifier(url.searchParams.get('warehouse')) ?? user.defaultWarehouse ?? null,
      database: normalizeIdentifier(url.searchParams.get('databaseName')) ?? user.defaultDatabase ?? null,
      schema: normalizeIdentifier(url.searchParams.get('schemaName')) ?? user.defaultSchema ?? null,
    };
    const engineSession = await state.engine.openSession(context);
    const parameters = sessionParameters(data.SESSION_PARAMETERS);
    const counts = { sessionId: 0, user: user.name, loginAtMs: Date.now(), statements: 0, chunkDownloads: 0 };
    const session = state.sessions.create(user.name, engineSession, parameters, counts);
    counts.sessionId = session.sessionId;
    state.observed.statements.push(counts);
    state.observed.logins++;
    const environment = (data.CLIENT_ENVIRONMENT ?? {}) as Record<string, unknown>;
    state.observed.loginLog.push({ user: user.name, authenticator: String(data.AUTHENTICATOR ?? 'SNOWFLAKE').toUpperCase(), application: typeof environment.APPLICATION === 'string' ? environment.APPLICATION : null });
    const ctx = engineSession.context;
    sendJson(
      res,
      200,
      ok({
        token: session.token,
        masterToken: session.masterToken,
        validityInSeconds: state.sessions.validity.sessionSeconds,
        masterValidityInSeconds: state.sessions.validity.masterSeconds,
        sessionId: session.sessionId,
        serverVersion: '9.0.0-standin',
        displayUserName: user.name,
        firstLogin: false,
        healthCheckInterval: 45,
        newClientForUpgrade: null,
        remMeToken: null,
        remMeValidityInSeconds: 0,
        idToken: null,
        idTokenValidityInSeconds: 0,
        mfaToken: mfaToken?.token ?? null,
        mfaTokenValidityInSeconds: mfaToken?.validitySeconds ?? 0,
        responseData: null,
        sessionInfo: { databaseName: ctx.database, schemaName: ctx.schema, warehouseName: ctx.warehouse, roleName: ctx.role },
        parameters,
      }),
    );
  } catch (err) {
    sendJson(res, 200, loginFailure(err));
  }
}

/** POST /session/token-request, master token in the Authorization header (reference §3.7). */
export async function handleTokenRequest(state: StandinState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJsonBody(req);
  const session = state.sessions.lookupMaster(snowflakeToken(req));
  if (!session) return sendJson(res, 401, sessionErrors.invalidToken);
  if (session.masterExpiresAtMs <= Date.now()) return sendJson(res, 200, sessionErrors.expiredMasterToken);
  if (body.requestType !== 'RENEW' || body.oldSessionToken !== session.token) {
    return sendJson(res, 200, failure('390104', 'Authentication token is invalid.'));
  }
  state.sessions.renew(session);
  sendJson(
    res,
    200,
    ok({
      sessionToken: session.token,
      validityInSecondsST: state.sessions.validity.sessionSeconds,
      masterToken: session.masterToken,
      validityInSecondsMT: Math.max(0, Math.round((session.masterExpiresAtMs - Date.now()) / 1000)),
      sessionId: session.sessionId,
    }),
  );
}

export function handleHeartbeat(state: StandinState, req: IncomingMessage, res: ServerResponse): void {
  const session = authenticatedSession(state, req, res);
  if (!session) return;
  session.heartbeats++;
  sendJson(res, 200, ok(null));
}

/** POST /session?delete=true: the engine session closes, rolling back an open transaction. */
export async function handleLogout(state: StandinState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const session = authenticatedSession(state, req, res);
  if (!session) return;
  state.sessions.remove(session);
  state.chunkStore.dropSession(String(session.sessionId));
  try {
    await session.engineSession.close();
  } catch {
    // The session is gone either way; Snowflake answers a logout with success.
  }
  sendJson(res, 200, ok(null));
}

export async function handleTelemetry(state: StandinState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  await readJsonBody(req);
  state.observed.telemetryBatches++;
  sendJson(res, 200, ok(null));
}
