/**
 * How the worker connects to Snowflake.
 * - Inside Snowpark Container Services (snowflake-spcs.md §3.3): OAuth with the token from
 *   /snowflake/session/token, read fresh before every connection (Snowflake refreshes it every few minutes),
 *   plus SNOWFLAKE_HOST, SNOWFLAKE_ACCOUNT, SNOWFLAKE_DATABASE, SNOWFLAKE_SCHEMA set by Snowflake.
 *   SNOWFLAKE_PROTOCOL / SNOWFLAKE_PORT override the target so tests can reach the local stand-in over http.
 * - Outside: the CLI's resolution (shared/snowflake/connection-config.ts): --connection NAME from
 *   connections.toml/config.toml, SNOWFLAKE_CONNECTIONS_<NAME>_*, then SNOWFLAKE_* variables.
 */
import { existsSync, readFileSync } from 'node:fs';
import { connectionError, usageError } from '../shared/errors.js';
import { resolveConnection } from '../shared/snowflake/connection-config.js';
import type { SnowflakeConnectionOptions } from '../shared/snowflake/types.js';
import type { SnowflakeConnectionPlan } from './options-types.js';

export const SPCS_TOKEN_PATH = '/snowflake/session/token';
/** Test hook: where to look for the SPCS session token instead of /snowflake/session/token. */
export const TOKEN_PATH_ENV = 'BATCH_SNOWFLAKE_TOKEN_FILE';

export interface AuthContext {
  env: NodeJS.ProcessEnv;
  /** Home directory for ~/.snowflake (tests point it at a temp folder). */
  home?: string;
}

export function tokenPath(env: NodeJS.ProcessEnv): string {
  return env[TOKEN_PATH_ENV] || SPCS_TOKEN_PATH;
}

/**
 * In SPCS when the session token file exists, or when SNOWFLAKE_HOST is set without SNOWFLAKE_USER (Snowflake
 * sets SNOWFLAKE_HOST in every service container; a user outside SPCS who sets it also names a user).
 */
export function isInsideSpcs(env: NodeJS.ProcessEnv): boolean {
  return existsSync(tokenPath(env)) || (Boolean(env.SNOWFLAKE_HOST) && !env.SNOWFLAKE_USER);
}

export function connectionPlan(connectionName: string | undefined, context: AuthContext): SnowflakeConnectionPlan {
  const { env } = context;
  if (connectionName === undefined && isInsideSpcs(env)) return spcsPlan(env);
  const description =
    connectionName !== undefined
      ? `connection ${connectionName} (connections.toml/config.toml, SNOWFLAKE_CONNECTIONS_${connectionName.toUpperCase()}_*)`
      : 'default connection settings (connections.toml/config.toml, SNOWFLAKE_* variables)';
  return {
    kind: connectionName !== undefined ? 'named' : 'env',
    description,
    async resolve() {
      const flags = connectionName !== undefined ? { connection: connectionName } : {};
      const resolved = await resolveConnection(flags, { env, ...(context.home ? { home: context.home } : {}) });
      const options = { ...resolved.options };
      // Batch's job reads SNOWFLAKE_ROLE; the CLI precedence keeps a role set in the connection file first.
      if (!options.role && env.SNOWFLAKE_ROLE) options.role = env.SNOWFLAKE_ROLE;
      return options;
    },
  };
}

function spcsPlan(env: NodeJS.ProcessEnv): SnowflakeConnectionPlan {
  const path = tokenPath(env);
  const target = spcsTarget(env);
  return {
    kind: 'spcs',
    description: `SPCS OAuth session token (${path}) to ${target.protocol ?? 'https'}://${target.host ?? '?'}${target.port ? `:${target.port}` : ''}, account ${target.account || '?'}`,
    async resolve() {
      const missing = ['SNOWFLAKE_ACCOUNT', 'SNOWFLAKE_HOST'].filter((name) => !env[name]);
      if (missing.length > 0) {
        throw connectionError('SPCS_ENV_MISSING', `Running in Snowpark Container Services but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set.`, {
          suggestion: 'Snowflake sets these in service containers; when running elsewhere, set them (or unset SNOWFLAKE_HOST and use --connection NAME).',
        });
      }
      return { ...target, authenticator: 'OAUTH', token: readToken(path) };
    },
  };
}

function spcsTarget(env: NodeJS.ProcessEnv): SnowflakeConnectionOptions {
  const options: SnowflakeConnectionOptions = { account: env.SNOWFLAKE_ACCOUNT ?? '' };
  if (env.SNOWFLAKE_HOST) options.host = env.SNOWFLAKE_HOST;
  const protocol = env.SNOWFLAKE_PROTOCOL?.toLowerCase();
  if (protocol !== undefined && protocol !== '') {
    if (protocol !== 'http' && protocol !== 'https') {
      throw usageError('SNOWFLAKE_PROTOCOL_INVALID', `SNOWFLAKE_PROTOCOL is "${protocol}"; it must be http or https.`, { suggestion: 'Unset SNOWFLAKE_PROTOCOL to use https.' });
    }
    options.protocol = protocol;
  }
  if (env.SNOWFLAKE_PORT) {
    const port = Number(env.SNOWFLAKE_PORT);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw usageError('SNOWFLAKE_PORT_INVALID', `SNOWFLAKE_PORT is "${env.SNOWFLAKE_PORT}"; it must be a TCP port (1-65535).`, { suggestion: 'Unset SNOWFLAKE_PORT to use the default port.' });
    }
    options.port = port;
  }
  for (const [key, name] of [['database', 'SNOWFLAKE_DATABASE'], ['schema', 'SNOWFLAKE_SCHEMA'], ['role', 'SNOWFLAKE_ROLE'], ['warehouse', 'SNOWFLAKE_WAREHOUSE']] as const) {
    const value = env[name];
    if (value) options[key] = value;
  }
  return options;
}

function readToken(path: string): string {
  let token: string;
  try {
    token = readFileSync(path, 'utf8').trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw connectionError('SPCS_TOKEN_UNREADABLE', `Cannot read the SPCS session token file ${path} (${code}).`, {
      suggestion: 'Keep mountSessionToken enabled (the default) in the service specification; outside SPCS unset SNOWFLAKE_HOST and use --connection NAME.',
    });
  }
  if (token === '') {
    throw connectionError('SPCS_TOKEN_EMPTY', `The SPCS session token file ${path} is empty.`, { suggestion: 'Retry: Snowflake refreshes the token file every few minutes.' });
  }
  return token;
}
