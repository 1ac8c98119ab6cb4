/**
 * Reads the Snowflake CLI's own configuration files, as `snow` does (anchors.md B.1; Snowflake docs
 * "Configuring Snowflake CLI and connecting to Snowflake"):
 * - directory: $SNOWFLAKE_HOME, else ~/.snowflake if it exists, else the OS config directory
 *   (~/.config/snowflake on Linux, ~/Library/Application Support/snowflake on macOS, %LOCALAPPDATA%\snowflake);
 * - connections.toml: one top-level table per connection (`[dev]`);
 * - config.toml: `[connections.NAME]` tables and `default_connection_name`. When connections.toml exists,
 *   snow ignores the connections in config.toml (with a warning); so do we.
 * Files readable or writable by group/others get a warning (snow refuses; the Node driver throws on
 * writable) - we only warn, and never write to these files.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { usageError } from '../errors.js';

export type RawConnection = Record<string, unknown>;

export interface SnowflakeFiles {
  directory: string;
  connections: Map<string, { values: RawConnection; file: string }>;
  defaultConnectionName: string | undefined;
  warnings: string[];
}

export function expandHome(p: string, home: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(home, p.slice(1)) : p;
}

export function snowflakeConfigDirectory(env: NodeJS.ProcessEnv, home: string, platform = process.platform): string {
  if (env.SNOWFLAKE_HOME) return expandHome(env.SNOWFLAKE_HOME, home);
  const dotSnowflake = path.join(home, '.snowflake');
  if (existsSync(dotSnowflake)) return dotSnowflake;
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'snowflake');
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'snowflake');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'snowflake');
}

function readToml(file: string, warnings: string[]): Record<string, unknown> | undefined {
  if (!existsSync(file)) return undefined;
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
    warnings.push(`Configuration file ${file} has too wide permissions (others can read it), run \`chmod 0600 "${file}"\`.`);
  }
  try {
    return parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    const where = error instanceof TomlError ? ` at line ${error.line}, column ${error.column}` : '';
    throw usageError('SNOWFLAKE_CONFIG_INVALID', `Cannot parse ${file}${where}.`, {
      cause: error,
      suggestion: `Fix the TOML syntax in ${file} (each connection is a [name] table of key = "value" lines).`,
    });
  }
}

const isTable = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

function tablesOf(source: Record<string, unknown> | undefined): Array<[string, RawConnection]> {
  if (!source) return [];
  return Object.entries(source).filter((entry): entry is [string, RawConnection] => isTable(entry[1]));
}

export function readSnowflakeFiles(env: NodeJS.ProcessEnv, home = homedir()): SnowflakeFiles {
  const directory = snowflakeConfigDirectory(env, home);
  const warnings: string[] = [];
  const connections: SnowflakeFiles['connections'] = new Map();
  const configFile = path.join(directory, 'config.toml');
  const connectionsFile = path.join(directory, 'connections.toml');
  const config = readToml(configFile, warnings);
  const connectionsToml = readToml(connectionsFile, warnings);
  const configConnections = tablesOf(isTable(config?.connections) ? config.connections : undefined);

  if (connectionsToml) {
    for (const [name, values] of tablesOf(connectionsToml)) {
      // Tolerate the config.toml layout ([connections.NAME]) inside connections.toml as well.
      if (name === 'connections' && tablesOf(values).length > 0 && tablesOf(values).length === Object.keys(values).length) {
        for (const [inner, innerValues] of tablesOf(values)) connections.set(inner, { values: innerValues, file: connectionsFile });
      } else {
        connections.set(name, { values, file: connectionsFile });
      }
    }
    if (configConnections.length > 0) {
      warnings.push(`${connectionsFile} exists, so the [connections] in ${configFile} are ignored (as the Snowflake CLI does).`);
    }
  } else {
    for (const [name, values] of configConnections) connections.set(name, { values, file: configFile });
  }
  const defaultName = config?.default_connection_name;
  return { directory, connections, defaultConnectionName: typeof defaultName === 'string' ? defaultName : undefined, warnings };
}
