import type * as SnowflakeSdk from 'snowflake-sdk';

export interface TokenInfo {
  sessionToken: string;
  sessionTokenExpirationTime: number;
}

/**
 * The session token through the driver's supported API: `Connection.serialize()` returns
 * `{services:{sf:{tokenInfo:{sessionToken, sessionTokenExpirationTime, …}}}}` (snowflake-sdk index.d.ts,
 * "Connection.serialize"; covered by the driver's test/integration/testSerializeConnection.ts, since 3.1).
 * The driver warns that the string's format may change between versions, hence the shape check.
 */
export function tokenInfo(connection: SnowflakeSdk.Connection): TokenInfo | null {
  const serialize = (connection as { serialize?: () => string }).serialize;
  if (typeof serialize !== 'function') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(serialize.call(connection));
  } catch {
    return null;
  }
  const info = (parsed as { services?: { sf?: { tokenInfo?: Partial<TokenInfo> } } })?.services?.sf?.tokenInfo;
  if (typeof info?.sessionToken !== 'string' || info.sessionToken === '') return null;
  return { sessionToken: info.sessionToken, sessionTokenExpirationTime: typeof info.sessionTokenExpirationTime === 'number' ? info.sessionTokenExpirationTime : Number.POSITIVE_INFINITY };
}
