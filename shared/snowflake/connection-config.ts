/**
 * Resolves which Snowflake connection to use, reusing Snowflake's own configuration like the Snowflake
 * CLI (anchors.md B.1). Connection name: `-c/--connection` > SNOWFLAKE_DEFAULT_CONNECTION_NAME >
 * `default_connection_name` in config.toml > "default". Settings: see connection-layers.ts for the
 * precedence (flags > SNOWFLAKE_CONNECTIONS_<NAME>_<KEY> > TOML > SNOWFLAKE_<KEY>).
 * Credentials are only held in memory and handed to connect(); describe()/toJSON() never show them.
 */
import path from 'node:path';
import { homedir } from 'node:os';
import { inspect } from 'node:util';
import { usageError } from '../errors.js';
import { authenticationOptions, type PromptSecret } from './connection-auth.js';
import { readSnowflakeFiles } from './connection-files.js';
import { layerFromConnectionEnv, layerFromFlags, layerFromGenericEnv, layerFromTable, mergeLayers, SECRET_KEYS, type ConnectionKey, type Layer, type Setting } from './connection-layers.js';
import type { SnowflakeConnectionOptions } from './types.js';

export type { PromptSecret } from './connection-auth.js';

/** The shared connection flags (camelCase, as commander gives them). There is deliberately no password flag. */
export interface ConnectionFlags {
  connection?: string;
  account?: string;
  user?: string;
  role?: string;
  warehouse?: string;
  database?: string;
  schema?: string;
  authenticator?: string;
  privateKeyFile?: string;
  host?: string;
  port?: string | number;
  protocol?: string;
  accessUrl?: string;
}

export interface ResolveOptions {
  env?: NodeJS.ProcessEnv;
  /** Home directory (tests point it at a temp folder). */
  home?: string;
  /** Hidden-input prompt for a missing password/passcode; omit when not interactive. */
  promptSecret?: PromptSecret;
}

export interface ResolvedConnection {
  /** The connection name used from the config files, or undefined when only flags/env were used. */
  readonly name: string | undefined;
  /** The file the connection came from. */
  readonly file: string | undefined;
  /** Driver options, secrets included: pass them to connect() and nowhere else. Not enumerable. */
  readonly options: SnowflakeConnectionOptions;
  /** Where each setting came from (secrets listed by source only). */
  readonly sources: Readonly<Record<string, string>>;
  /** Problems worth telling the user (file permissions, ignored config.toml connections). */
  readonly warnings: readonly string[];
  /** One safe-to-print line: account, user, role, warehouse, database, schema, authenticator. */
  describe(): string;
  toJSON(): Record<string, unknown>;
}

function connectionTarget(settings: Layer): Partial<SnowflakeConnectionOptions> {
  const get = (key: ConnectionKey) => settings.get(key)?.value;
  const target: Partial<SnowflakeConnectionOptions> = {};
  const accessUrl = get('access_url');
  if (accessUrl) target.accessUrl = accessUrl;
  const host = get('host');
  if (host) target.host = host;
  const port = get('port');
  if (port !== undefined) {
    const parsed = Number(port);
    if (!Number.isInteger(parsed) || parsed <= 0 || parsed > 65535) {
      throw usageError('PORT_INVALID', `Port "${port}" (from ${settings.get('port')?.source}) is not a TCP port number.`, { suggestion: 'Use a number from 1 to 65535.' });
    }
    target.port = parsed;
  }
  const protocol = get('protocol')?.toLowerCase();
  if (protocol !== undefined) {
    if (protocol !== 'http' && protocol !== 'https') {
      throw usageError('PROTOCOL_INVALID', `Protocol "${protocol}" (from ${settings.get('protocol')?.source}) must be http or https.`);
    }
    target.protocol = protocol;
  }
  for (const key of ['role', 'warehouse', 'database', 'schema'] as const) {
    const value = get(key);
    if (value) target[key] = value;
  }
  // login_timeout (seconds), as the Snowflake CLI names it: how long a sign-in may take (SSO: the browser page).
  const loginTimeout = get('login_timeout');
  if (loginTimeout !== undefined) {
    const seconds = Number(loginTimeout);
    if (!Number.isInteger(seconds) || seconds <= 0) {
      throw usageError('LOGIN_TIMEOUT_INVALID', `login_timeout "${loginTimeout}" (from ${settings.get('login_timeout')?.source}) is not a whole number of seconds.`, { suggestion: 'Use a number of seconds > 0, e.g. login_timeout = 120.' });
    }
    target.loginTimeoutSeconds = seconds;
  }
  return target;
}

export async function resolveConnection(flags: ConnectionFlags, resolveOptions: ResolveOptions = {}): Promise<ResolvedConnection> {
  const env = resolveOptions.env ?? process.env;
  const home = resolveOptions.home ?? homedir();
  const files = readSnowflakeFiles(env, home);
  const explicitName = flags.connection ?? env.SNOWFLAKE_DEFAULT_CONNECTION_NAME ?? files.defaultConnectionName;
  const name = explicitName ?? 'default';
  const fromFile = files.connections.get(name);
  const connectionEnv = layerFromConnectionEnv(env, name);
  if (explicitName !== undefined && !fromFile && connectionEnv.size === 0) {
    const known = [...files.connections.keys()];
    throw usageError('CONNECTION_NOT_FOUND', `Connection "${name}" is not configured in ${files.directory}.`, {
      suggestion: known.length > 0
        ? `Use one of: ${known.join(', ')} (-c NAME), or add it with \`snow connection add --connection-name ${name}\`.`
        : `Add it with \`snow connection add --connection-name ${name}\`, or pass --account/--user and set SNOWFLAKE_PASSWORD.`,
    });
  }
  const fileLayer = fromFile ? layerFromTable(fromFile.values, `${fromFile.file} [${name}]`) : new Map();
  const settings = mergeLayers([layerFromFlags(flags as Record<string, unknown>), connectionEnv, fileLayer, layerFromGenericEnv(env)]);
  const usedName = fromFile || connectionEnv.size > 0 ? name : undefined;
  const label = usedName ? `connection ${usedName}` : 'the connection settings';
  const configFile = fromFile?.file ?? path.join(files.directory, 'connections.toml');

  const account = settings.get('account')?.value;
  if (!account) {
    throw usageError('ACCOUNT_MISSING', `No Snowflake account in ${label}.`, {
      suggestion: `Pass -c NAME (a connection from ${configFile}) or --account ORGNAME-ACCOUNTNAME, or set SNOWFLAKE_ACCOUNT.`,
    });
  }
  const auth = await authenticationOptions({ settings, env, home, promptSecret: resolveOptions.promptSecret, label, configFile });
  const options: SnowflakeConnectionOptions = { account, ...connectionTarget(settings), ...auth };
  const sources: Record<string, string> = {};
  for (const [key, setting] of settings as Map<ConnectionKey, Setting>) sources[key] = setting.source;
  if (auth.password && !settings.has('password')) sources.password = 'prompt';
  if (auth.passcode && !settings.has('passcode')) sources.passcode = 'prompt';
  if (auth.privateKeyPass) sources.private_key_passphrase = 'PRIVATE_KEY_PASSPHRASE';
  return makeResolved(usedName, fromFile?.file, options, sources, files.warnings);
}

function makeResolved(name: string | undefined, file: string | undefined, options: SnowflakeConnectionOptions, sources: Record<string, string>, warnings: string[]): ResolvedConnection {
  const safe = (): Record<string, unknown> => ({
    ...(name ? { connection: name } : {}),
    account: options.account,
    ...(options.accessUrl ? { accessUrl: options.accessUrl } : {}),
    ...(options.host ? { host: options.host } : {}),
    ...(options.port ? { port: options.port } : {}),
    user: options.username ?? null,
    role: options.role ?? null,
    warehouse: options.warehouse ?? null,
    database: options.database ?? null,
    schema: options.schema ?? null,
    authenticator: options.authenticator ?? 'SNOWFLAKE',
    ...(options.privateKeyPath ? { privateKeyFile: options.privateKeyPath } : {}),
    secretsFrom: Object.fromEntries(Object.entries(sources).filter(([key]) => SECRET_KEYS.has(key as ConnectionKey) || key === 'private_key_passphrase')),
  });
  const resolved = {
    name,
    file,
    sources,
    warnings,
    describe(): string {
      const fields = safe();
      const where = fields.accessUrl ?? fields.host ?? `${options.account}.snowflakecomputing.com`;
      const notSet = (value: unknown) => (value === null ? 'not set' : String(value));
      return [
        `${name ? `connection ${name}` : 'connection from flags/environment'}: account ${options.account} at ${String(where)}`,
        `user ${notSet(fields.user)}, role ${notSet(fields.role)}, warehouse ${notSet(fields.warehouse)}`,
        `database ${notSet(fields.database)}, schema ${notSet(fields.schema)}, authenticator ${String(fields.authenticator).toLowerCase()}`,
      ].join('; ');
    },
    toJSON: safe,
    [inspect.custom]: () => `ResolvedConnection ${inspect(safe())}`,
  };
  Object.defineProperty(resolved, 'options', { value: options, enumerable: false });
  return resolved as unknown as ResolvedConnection;
}
