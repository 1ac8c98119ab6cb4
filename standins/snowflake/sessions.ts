/** Logged-in sessions: session/master tokens, the engine session, and the parameters echoed per result. */
import { randomBytes, randomInt } from 'node:crypto';
import type { EngineSession } from './engine-types.js';

export type ParameterList = Array<{ name: string; value: unknown }>;

/** Snowflake's account defaults for the parameters the driver's converters read (reference §3.3). */
export const DEFAULT_SESSION_PARAMETERS: Record<string, unknown> = {
  TIMEZONE: 'America/Los_Angeles',
  DATE_OUTPUT_FORMAT: 'YYYY-MM-DD',
  TIME_OUTPUT_FORMAT: 'HH24:MI:SS',
  TIMESTAMP_OUTPUT_FORMAT: 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM',
  TIMESTAMP_NTZ_OUTPUT_FORMAT: 'YYYY-MM-DD HH24:MI:SS.FF3',
  TIMESTAMP_LTZ_OUTPUT_FORMAT: '',
  TIMESTAMP_TZ_OUTPUT_FORMAT: '',
  BINARY_OUTPUT_FORMAT: 'HEX',
  CLIENT_SESSION_KEEP_ALIVE: false,
  CLIENT_SESSION_KEEP_ALIVE_HEARTBEAT_FREQUENCY: 3600,
  JS_TREAT_INTEGER_AS_BIGINT: false,
  CLIENT_RESULT_CHUNK_SIZE: 160,
  QUERY_CONTEXT_CACHE_SIZE: 5,
  AUTOCOMMIT: true,
};

export interface Session {
  token: string;
  masterToken: string;
  sessionId: number;
  userName: string;
  engineSession: EngineSession;
  parameters: ParameterList;
  tokenExpiresAtMs: number;
  masterExpiresAtMs: number;
  heartbeats: number;
  /** This session's line in observed.statements. */
  counts: { statements: number; chunkDownloads: number; firstStatementAtMs?: number; heads?: string[] };
  /** Answers kept by query id: children of multi-statement requests (GET /queries/<id>/result). */
  results?: Map<string, Record<string, unknown>>;
}

export interface TokenValidity {
  sessionSeconds: number;
  masterSeconds: number;
}

const newToken = (prefix: string): string => `${prefix}${randomBytes(24).toString('base64url')}`;

/** Defaults overlaid with what the client asked for in SESSION_PARAMETERS (echoed back, reference §7). */
export function sessionParameters(requested: unknown): ParameterList {
  const merged: Record<string, unknown> = { ...DEFAULT_SESSION_PARAMETERS };
  if (requested && typeof requested === 'object' && !Array.isArray(requested)) {
    for (const [name, value] of Object.entries(requested)) merged[name.toUpperCase()] = value;
  }
  return Object.entries(merged).map(([name, value]) => ({ name, value }));
}

export class SessionRegistry {
  private readonly byToken = new Map<string, Session>();
  private readonly byMaster = new Map<string, Session>();

  constructor(readonly validity: TokenValidity) {}

  create(userName: string, engineSession: EngineSession, parameters: ParameterList, counts = { statements: 0, chunkDownloads: 0 }): Session {
    const now = Date.now();
    const session: Session = {
      token: newToken('ver:1-hint:'),
      masterToken: newToken('ver:1-master:'),
      sessionId: randomInt(1_000_000_000, 2 ** 47),
      userName,
      engineSession,
      parameters,
      tokenExpiresAtMs: now + this.validity.sessionSeconds * 1000,
      masterExpiresAtMs: now + this.validity.masterSeconds * 1000,
      heartbeats: 0,
      counts,
    };
    this.byToken.set(session.token, session);
    this.byMaster.set(session.masterToken, session);
    return session;
  }

  /** `expired` means the token exists but must be renewed (answered with 390112). */
  lookup(token: string | null): { session: Session; expired: boolean } | null {
    const session = token ? this.byToken.get(token) : undefined;
    return session ? { session, expired: session.tokenExpiresAtMs <= Date.now() } : null;
  }

  lookupMaster(masterToken: string | null): Session | null {
    return (masterToken && this.byMaster.get(masterToken)) || null;
  }

  /** /session/token-request RENEW: a fresh session token; the old one stops working. */
  renew(session: Session): void {
    this.byToken.delete(session.token);
    session.token = newToken('ver:1-hint:');
    session.tokenExpiresAtMs = Date.now() + this.validity.sessionSeconds * 1000;
    this.byToken.set(session.token, session);
  }

  /** Test hook: makes every current session token expired, so the next request triggers a renewal. */
  expireSessionTokens(): void {
    for (const session of this.byToken.values()) session.tokenExpiresAtMs = 0;
  }

  remove(session: Session): void {
    this.byToken.delete(session.token);
    this.byMaster.delete(session.masterToken);
  }

  all(): Session[] {
    return [...this.byToken.values()];
  }
}
