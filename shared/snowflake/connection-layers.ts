/**
 * The four layers of connection settings and their merge, with the Snowflake CLI's precedence
 * (anchors.md B.1; docs.snowflake.com/developer-guide/snowflake-cli/connecting/configure-connections):
 *   1. command-line flags
 *   2. SNOWFLAKE_CONNECTIONS_<NAME>_<KEY> environment variables (for the connection in use)
 *   3. the connection's table in connections.toml / config.toml
 *   4. generic SNOWFLAKE_<KEY> environment variables (SNOWFLAKE_ACCOUNT, SNOWFLAKE_PASSWORD, ...)
 * Each setting remembers where it came from, so `describe()` can say so without printing secrets.
 */

/** Keys as the Snowflake CLI spells them in connections.toml. */
export const CONNECTION_KEYS = [
  'account', 'user', 'password', 'host', 'port', 'protocol', 'access_url', 'role', 'warehouse', 'database',
  'schema', 'authenticator', 'private_key_file', 'token', 'token_file_path', 'passcode', 'passcode_in_password',
  'login_timeout', 'disable_console_login',
] as const;
export type ConnectionKey = (typeof CONNECTION_KEYS)[number];

export const SECRET_KEYS: ReadonlySet<ConnectionKey> = new Set(['password', 'token', 'passcode']);

/** Other spellings found in connections.toml files (Node driver style, snow aliases). */
const ALIASES: Record<string, ConnectionKey> = {
  username: 'user',
  private_key_path: 'private_key_file',
  accessurl: 'access_url',
};

export interface Setting {
  value: string;
  /** Where it came from, safe to print: "--role", "SNOWFLAKE_ROLE", "~/.snowflake/connections.toml [dev]". */
  source: string;
}

export type Layer = Map<ConnectionKey, Setting>;

export function canonicalKey(raw: string): ConnectionKey | undefined {
  const key = raw.toLowerCase();
  if ((CONNECTION_KEYS as readonly string[]).includes(key)) return key as ConnectionKey;
  return ALIASES[key];
}

function addSetting(layer: Layer, rawKey: string, value: unknown, source: string): void {
  const key = canonicalKey(rawKey);
  if (!key || value === undefined || value === null || value === '') return;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return;
  layer.set(key, { value: String(value), source });
}

export function layerFromTable(values: Record<string, unknown>, source: string): Layer {
  const layer: Layer = new Map();
  for (const [key, value] of Object.entries(values)) addSetting(layer, key, value, source);
  return layer;
}

export function layerFromConnectionEnv(env: NodeJS.ProcessEnv, connectionName: string): Layer {
  const layer: Layer = new Map();
  const prefix = `SNOWFLAKE_CONNECTIONS_${connectionName.toUpperCase()}_`;
  for (const [name, value] of Object.entries(env)) {
    if (name.toUpperCase().startsWith(prefix)) addSetting(layer, name.slice(prefix.length), value, name);
  }
  return layer;
}

export function layerFromGenericEnv(env: NodeJS.ProcessEnv): Layer {
  const layer: Layer = new Map();
  for (const key of [...Object.keys(ALIASES), ...CONNECTION_KEYS]) {
    const name = `SNOWFLAKE_${key.toUpperCase()}`;
    // SNOWFLAKE_CONNECTIONS_* and SNOWFLAKE_HOME are not settings; only the known keys are read.
    addSetting(layer, key, env[name], name);
  }
  return layer;
}

/** Flags use camelCase names; only those that are connection settings are taken. */
export function layerFromFlags(flags: Record<string, unknown>): Layer {
  const layer: Layer = new Map();
  const flagNames: Record<string, ConnectionKey> = {
    account: 'account', user: 'user', role: 'role', warehouse: 'warehouse', database: 'database', schema: 'schema',
    authenticator: 'authenticator', privateKeyFile: 'private_key_file', host: 'host', port: 'port',
    protocol: 'protocol', accessUrl: 'access_url',
  };
  for (const [flag, key] of Object.entries(flagNames)) {
    const dashed = `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    addSetting(layer, key, flags[flag], dashed);
  }
  return layer;
}

/** Highest-precedence layer first. */
export function mergeLayers(layers: Layer[]): Layer {
  const merged: Layer = new Map();
  for (const layer of [...layers].reverse()) for (const [key, setting] of layer) merged.set(key, setting);
  return merged;
}
