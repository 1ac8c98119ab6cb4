/**
 * Turns merged connection settings into the driver options for each authenticator
 * (shared/reference/snowflake-sdk.md §2.2). Secrets come from the configuration files, environment
 * variables or a hidden prompt supplied by the caller - never from a command-line flag.
 */
import { accessSync, constants } from 'node:fs';
import { usageError } from '../errors.js';
import { expandHome } from './connection-files.js';
import type { Layer } from './connection-layers.js';
import type { SnowflakeConnectionOptions } from './types.js';

export const AUTHENTICATORS = ['SNOWFLAKE', 'SNOWFLAKE_JWT', 'EXTERNALBROWSER', 'OAUTH', 'PROGRAMMATIC_ACCESS_TOKEN', 'USERNAME_PASSWORD_MFA'] as const;
export type Authenticator = (typeof AUTHENTICATORS)[number];

export type SecretName = 'password' | 'passcode';
/** Asks the user for a secret with hidden input; provided by interactive callers only. */
export type PromptSecret = (name: SecretName, message: string) => Promise<string>;

export interface AuthInput {
  settings: Layer;
  env: NodeJS.ProcessEnv;
  home: string;
  promptSecret: PromptSecret | undefined;
  /** For messages: "connection dev" or "the connection settings". */
  label: string;
  /** For messages: the file the connection was read from, else the connections.toml that would be ($SNOWFLAKE_HOME aware). */
  configFile: string;
}

const configureHint = (input: Pick<AuthInput, 'configFile'>, what: string) =>
  `Set ${what} in ${input.configFile} (chmod 0600) or the matching SNOWFLAKE_* environment variable.`;

export function resolveAuthenticator(settings: Layer): Authenticator {
  const raw = settings.get('authenticator')?.value;
  if (!raw) return settings.has('private_key_file') ? 'SNOWFLAKE_JWT' : 'SNOWFLAKE';
  const upper = raw.toUpperCase();
  if ((AUTHENTICATORS as readonly string[]).includes(upper)) return upper as Authenticator;
  // The driver silently falls back to password auth on an unknown value (§2.2), so refuse it here.
  throw usageError('AUTHENTICATOR_UNSUPPORTED', `Unsupported authenticator "${raw}" (from ${settings.get('authenticator')?.source}).`, {
    suggestion: `Use one of: ${AUTHENTICATORS.map((a) => a.toLowerCase()).join(', ')}.`,
  });
}

async function secret(input: AuthInput, name: SecretName, message: string, envHint: string): Promise<string> {
  const configured = input.settings.get(name)?.value;
  if (configured) return configured;
  if (input.promptSecret) return input.promptSecret(name, message);
  throw usageError(`${name.toUpperCase()}_MISSING`, `No ${name} for ${input.label}, and prompts are off.`, {
    suggestion: `Set ${envHint} (or ${name} in ${input.configFile}), or run interactively in a terminal.`,
  });
}

function requireUser(input: AuthInput, authenticator: Authenticator): string {
  const user = input.settings.get('user')?.value;
  if (user) return user;
  throw usageError('USER_MISSING', `No user for ${input.label} (authenticator ${authenticator.toLowerCase()}).`, {
    suggestion: `Pass --user NAME. ${configureHint(input, 'user')}`,
  });
}

export async function authenticationOptions(input: AuthInput): Promise<Partial<SnowflakeConnectionOptions>> {
  const { settings } = input;
  const authenticator = resolveAuthenticator(settings);
  const value = (key: Parameters<Layer['get']>[0]) => settings.get(key)?.value;
  switch (authenticator) {
    case 'SNOWFLAKE': {
      const username = requireUser(input, authenticator);
      const password = await secret(input, 'password', `Snowflake password for ${username}`, 'SNOWFLAKE_PASSWORD');
      return { authenticator, username, password };
    }
    case 'SNOWFLAKE_JWT': {
      const username = requireUser(input, authenticator);
      const keyFile = value('private_key_file');
      if (!keyFile) {
        throw usageError('PRIVATE_KEY_MISSING', `Key-pair authentication needs a private key file for ${input.label}.`, { suggestion: `Pass --private-key-file PATH. ${configureHint(input, 'private_key_file')}` });
      }
      const privateKeyPath = expandHome(keyFile, input.home);
      try {
        accessSync(privateKeyPath, constants.R_OK);
      } catch {
        throw usageError('PRIVATE_KEY_UNREADABLE', `Cannot read the private key file ${privateKeyPath} (from ${settings.get('private_key_file')?.source}).`, { suggestion: 'Check the path and that this user can read it.' });
      }
      const passphrase = input.env.PRIVATE_KEY_PASSPHRASE;
      return { authenticator, username, privateKeyPath, ...(passphrase ? { privateKeyPass: passphrase } : {}) };
    }
    case 'EXTERNALBROWSER':
      // disable_console_login = false: the driver opens Snowflake's /console/login itself instead of first asking
      // /session/authenticator-request for the IdP's URL (snowflake-sdk's disableConsoleLogin, default true).
      return {
        authenticator,
        ...(value('user') ? { username: value('user') } : {}),
        ...(/^(false|0|no)$/i.test(value('disable_console_login') ?? '') ? { disableConsoleLogin: false } : {}),
      };
    case 'OAUTH':
    case 'PROGRAMMATIC_ACCESS_TOKEN': {
      const token = value('token') ?? (authenticator === 'PROGRAMMATIC_ACCESS_TOKEN' ? value('password') : undefined);
      const tokenFilePath = value('token_file_path');
      if (!token && !tokenFilePath) {
        throw usageError('TOKEN_MISSING', `Authenticator ${authenticator.toLowerCase()} needs a token for ${input.label}.`, { suggestion: configureHint(input, 'token or token_file_path') });
      }
      const username = authenticator === 'OAUTH' ? value('user') : requireUser(input, authenticator);
      return {
        authenticator,
        ...(username ? { username } : {}),
        ...(token ? { token } : { tokenFilePath: expandHome(tokenFilePath!, input.home) }),
      };
    }
    case 'USERNAME_PASSWORD_MFA': {
      const username = requireUser(input, authenticator);
      const password = await secret(input, 'password', `Snowflake password for ${username}`, 'SNOWFLAKE_PASSWORD');
      const passcodeInPassword = /^(true|1|yes)$/i.test(value('passcode_in_password') ?? '');
      // Without a passcode the driver asks for a Duo push, which is also valid.
      const passcode = passcodeInPassword ? undefined : value('passcode') ?? (input.promptSecret ? await input.promptSecret('passcode', 'MFA passcode (empty for a push)') : undefined);
      return { authenticator, username, password, ...(passcode ? { passcode } : {}), ...(passcodeInPassword ? { passcodeInPassword } : {}) };
    }
  }
}
