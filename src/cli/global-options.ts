/**
 * Options every command accepts (declared once on the program; commander accepts them before or after the
 * command name), and small helpers for command option schemas.
 * Connection flags follow the Snowflake CLI's names (anchors.md B.1); there is deliberately no password
 * or token flag: process arguments are visible to other users (anchors.md B.11 §4).
 */
import { Command, Option } from 'commander';
import path from 'node:path';
import { usageError } from '../../shared/errors.js';
import type { ConnectionFlags } from '../../shared/snowflake/connection-config.js';
import { isCi } from '../adapters/ui/terminal.js';

export const DEFAULT_CONFIG_FILE = 'batch-snowflake.json';

export interface GlobalOptions {
  connectionFlags: ConnectionFlags;
  configPath: string;
  json: boolean;
  interactive: boolean;
  yes: boolean;
  verbose: boolean;
}

/** A hidden option that refuses a secret given on the command line, and says where it goes instead. */
export function refuseSecretFlag(command: Command, flag: string, envName: string): Command {
  return command.addOption(
    new Option(`${flag} <value>`).hideHelp().argParser(() => {
      throw usageError('SECRET_AS_FLAG', `${flag} is not accepted: command-line arguments are visible to other processes.`, {
        suggestion: `Set ${envName} in the environment instead (or answer the hidden prompt).`,
      });
    }),
  );
}

export function addGlobalOptions(program: Command): Command {
  const connection = 'Snowflake connection (default: as the Snowflake CLI resolves it)';
  refuseSecretFlag(program, '--password', 'SNOWFLAKE_PASSWORD');
  return program
    .option('-c, --connection <NAME>', `${connection}: a connection in ~/.snowflake/connections.toml or config.toml`)
    .option('--account <ACCOUNT>', 'account identifier (ORGNAME-ACCOUNTNAME)')
    .option('--user <USER>', 'login name')
    .option('--role <ROLE>', 'role to use')
    .option('--warehouse <WAREHOUSE>', 'warehouse to use')
    .option('--database <DATABASE>', 'database to use')
    .option('--schema <SCHEMA>', 'schema to use')
    .option('--authenticator <NAME>', 'snowflake, snowflake_jwt, externalbrowser, oauth, programmatic_access_token, username_password_mfa')
    .option('--private-key-file <PATH>', 'private key for key-pair authentication (passphrase: env PRIVATE_KEY_PASSPHRASE)')
    .option('--host <HOST>', 'Snowflake host (instead of <account>.snowflakecomputing.com)')
    .option('--port <PORT>', 'Snowflake port')
    .addOption(new Option('--protocol <PROTOCOL>', 'http or https').choices(['http', 'https']))
    .option('--access-url <URL>', 'full base URL of Snowflake (e.g. a local stand-in)')
    .option('--config <PATH>', 'project file with the saved answers', DEFAULT_CONFIG_FILE)
    .option('--json', 'print one JSON envelope on stdout; human output goes to stderr')
    .option('--interactive', 'prompt even without a TTY')
    .option('--no-interactive', 'never prompt; missing answers are listed as flags')
    .option('-y, --yes', 'answer yes to confirmations')
    .option('--verbose', 'more detail on stderr (connection used, timings, stack traces)');
}

export interface TerminalState {
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  env: NodeJS.ProcessEnv;
}

/** Interactive only when stdin and stdout are TTYs, CI is not set and --json is off; explicit flags win. */
export function decideInteractive(flag: boolean | undefined, json: boolean, terminal: TerminalState): boolean {
  if (flag !== undefined) return flag;
  return terminal.stdinIsTTY && terminal.stdoutIsTTY && !isCi(terminal.env) && !json;
}

export function readGlobalOptions(values: Record<string, unknown>, cwd: string, terminal: TerminalState): GlobalOptions {
  const text = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
  const connectionFlags: ConnectionFlags = {};
  for (const key of ['connection', 'account', 'user', 'role', 'warehouse', 'database', 'schema', 'authenticator', 'privateKeyFile', 'host', 'port', 'protocol', 'accessUrl'] as const) {
    const value = text(key);
    if (value !== undefined) connectionFlags[key] = value;
  }
  const json = values.json === true;
  const interactiveFlag = typeof values.interactive === 'boolean' ? values.interactive : undefined;
  return {
    connectionFlags,
    configPath: path.resolve(cwd, text('config') ?? DEFAULT_CONFIG_FILE),
    json,
    interactive: decideInteractive(interactiveFlag, json, terminal),
    yes: values.yes === true,
    verbose: values.verbose === true,
  };
}
