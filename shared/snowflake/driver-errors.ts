/**
 * Maps snowflake-sdk errors to UserErrors that say what happened and what to run next.
 * Codes: Snowflake GS codes (shared/reference/snowflake-sdk.md §3.1, §3.5; snowflake-spcs.md §2.1) and
 * the driver's own numeric codes (401xxx network/response, 404xxx connection options).
 * Anything that is not a driver error is returned unchanged, so the CLI reports it as an internal error.
 */
import { UserError, connectionError, permissionError, sqlError, usageError } from '../errors.js';
import type { SnowflakeConnectionOptions } from './types.js';

export interface ErrorContext {
  /** Safe-to-print target: access URL or host, and account. */
  target: string;
  user: string | undefined;
  role: string | undefined;
  /** SNOWFLAKE, SNOWFLAKE_JWT, PROGRAMMATIC_ACCESS_TOKEN, … (upper case), to word login failures. */
  authenticator?: string;
  /** During login every Snowflake code is a connection failure (390xxx, 394xxx MFA, ...). */
  phase?: 'login' | 'query';
  /** The session's warehouse, to word a statement timeout's fix. */
  warehouse?: string;
}

interface DriverErrorShape {
  code?: unknown;
  sqlState?: unknown;
  message: string;
  cause?: unknown;
  data?: { queryId?: unknown };
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', 'ERR_BAD_RESPONSE']);

export function describeTarget(options: SnowflakeConnectionOptions): string {
  const where = options.accessUrl ?? (options.host ? `${options.protocol ?? 'https'}://${options.host}${options.port ? `:${options.port}` : ''}` : `https://${options.account}.snowflakecomputing.com`);
  return `${where} (account ${options.account})`;
}

export function loginTimeoutError(context: ErrorContext, timeoutMs: number): UserError {
  return connectionError('SNOWFLAKE_TIMEOUT', `No answer from Snowflake at ${context.target} within ${Math.round(timeoutMs / 1000)} s.`, {
    suggestion: 'Check the account identifier (ORGNAME-ACCOUNTNAME), the host/port, your network or VPN, and HTTPS_PROXY/NO_PROXY.',
  });
}

function isDriverError(error: unknown): error is Error & DriverErrorShape {
  return error instanceof Error && 'code' in error && error.code !== undefined;
}

/** Finds a Node network error code (ECONNREFUSED, ENOTFOUND...) anywhere in the cause chain. */
function networkCode(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== 'object' || depth > 5) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
  const message = (error as { message?: unknown }).message;
  const inMessage = typeof message === 'string' ? message.match(/\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)\b/) : null;
  if (inMessage?.[1]) return inMessage[1];
  return networkCode((error as { cause?: unknown }).cause, depth + 1);
}

const quoted = (message: string, pattern: RegExp): string | undefined => message.match(pattern)?.[1];

/**
 * The way out when Snowflake refuses password-only sign-in (blocked for every user during 2026:
 * https://docs.snowflake.com/en/user-guide/security-mfa-rollout): key pair first, a programmatic access token
 * second (https://docs.snowflake.com/en/user-guide/key-pair-auth,
 * https://docs.snowflake.com/en/sql-reference/sql/alter-user-add-programmatic-access-token).
 */
export function keyPairOrPatSetup(user: string): string {
  return [
    'Sign in with a key pair (recommended):',
    '  openssl genrsa 2048 | openssl pkcs8 -topk8 -v2 aes-256-cbc -inform PEM -out ~/.snowflake/rsa_key.p8',
    '  openssl rsa -in ~/.snowflake/rsa_key.p8 -pubout -out ~/.snowflake/rsa_key.pub',
    `  then in Snowflake: ALTER USER ${user} SET RSA_PUBLIC_KEY='<rsa_key.pub without its BEGIN/END lines>';`,
    '  and in ~/.snowflake/connections.toml: authenticator = "SNOWFLAKE_JWT", private_key_file = "~/.snowflake/rsa_key.p8"',
    '  (the passphrase goes in PRIVATE_KEY_PASSPHRASE).',
    `Or with a programmatic access token: ALTER USER ${user} ADD PROGRAMMATIC ACCESS TOKEN batch_snowflake DAYS_TO_EXPIRY = 90;`,
    '  then authenticator = "PROGRAMMATIC_ACCESS_TOKEN" and the token_secret in SNOWFLAKE_TOKEN (or token_file_path).',
  ].join('\n');
}

/** The driver cannot decrypt the private key: wrong or missing PRIVATE_KEY_PASSPHRASE (node's crypto error). */
function keyDecryptFailure(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  return e?.code === 'ERR_OSSL_BAD_DECRYPT' || (typeof e?.message === 'string' && /bad decrypt|passphrase required|Passphrase required/i.test(e.message));
}

export function mapDriverError(error: unknown, context: ErrorContext): unknown {
  if (error instanceof UserError) return error;
  if (context.authenticator === 'EXTERNALBROWSER' && error instanceof Error && /Error while getting SAML token|browser action timed out|timeout/i.test(error.message) && context.phase === 'login') {
    return connectionError('SSO_TIMEOUT', 'The browser sign-in (SSO) did not complete: the page was closed or nobody signed in before the deadline.', {
      cause: error,
      suggestion: 'Run the command again and finish signing in in the browser window it opens (login_timeout in connections.toml sets the time allowed); for unattended runs use a key pair (authenticator = "SNOWFLAKE_JWT").',
    });
  }
  if (keyDecryptFailure(error)) {
    return connectionError('PRIVATE_KEY_PASSPHRASE_WRONG', 'The private key file could not be decrypted: the passphrase is wrong or missing.', {
      cause: error,
      suggestion: 'Set PRIVATE_KEY_PASSPHRASE to the passphrase the key was encrypted with (check it: openssl pkey -in <private_key_file> -noout).',
    });
  }
  const largeResult = largeResultError(error, context);
  if (largeResult) return largeResult;
  const network = networkCode(error);
  if (network) {
    return connectionError('SNOWFLAKE_UNREACHABLE', `Could not reach Snowflake at ${context.target} (${network}).`, {
      cause: error,
      suggestion: network === 'ENOTFOUND' || network === 'EAI_AGAIN'
        ? 'The host name does not resolve: check the account identifier (ORGNAME-ACCOUNTNAME, as in the URL https://ORGNAME-ACCOUNTNAME.snowflakecomputing.com) or --host.'
        : 'Check the host and port, that Snowflake is reachable from this network (VPN, firewall, network policy) and HTTPS_PROXY/NO_PROXY.',
    });
  }
  if (!isDriverError(error)) return error;
  const code = String(error.code);
  const message = error.message;
  const role = context.role ?? '<ROLE>';
  const details = { snowflakeCode: code, ...(typeof error.sqlState === 'string' ? { sqlState: error.sqlState } : {}), ...(typeof error.data?.queryId === 'string' ? { queryId: error.data.queryId } : {}) };
  const options = { cause: error, details };

  const user = context.user ?? '<USER>';
  if (code === '394304' || /multi-factor authentication is required|MFA authentication is required/i.test(message)) {
    return connectionError('PASSWORD_SIGN_IN_BLOCKED', `Snowflake no longer accepts password-only sign-in for user ${user}: ${message}`, { ...options, suggestion: keyPairOrPatSetup(user) });
  }
  switch (code) {
    case '390100':
      if (context.authenticator === 'PROGRAMMATIC_ACCESS_TOKEN') {
        return connectionError('PAT_REJECTED', `Snowflake rejected the programmatic access token of user ${user}: it is wrong, revoked or disabled.`, {
          ...options,
          suggestion: `List the user's tokens (SHOW USER PROGRAMMATIC ACCESS TOKENS FOR USER ${user};) and create a new one if needed: ALTER USER ${user} ADD PROGRAMMATIC ACCESS TOKEN batch_snowflake DAYS_TO_EXPIRY = 90; then put its token_secret in SNOWFLAKE_TOKEN.`,
        });
      }
      return connectionError('BAD_CREDENTIALS', `Snowflake rejected the login of user ${context.user ?? '(none)'}: ${message}`, {
        ...options,
        suggestion: 'Check the user and password (SNOWFLAKE_PASSWORD, or the connection in connections.toml under $SNOWFLAKE_HOME, else ~/.snowflake); `snow connection test` checks the same settings.',
      });
    case '390144':
      return connectionError('KEY_PAIR_REJECTED', `Snowflake rejected the key-pair login: ${message}`, {
        ...options,
        suggestion: `Check that the user's RSA_PUBLIC_KEY matches the private key: DESC USER ${context.user ?? '<USER>'}; (an admin sets it with ALTER USER ... SET RSA_PUBLIC_KEY='...').`,
      });
    case '390303':
    case '390318':
      return connectionError('OAUTH_TOKEN_REJECTED', `Snowflake rejected the OAuth token: ${message}`, { ...options, suggestion: 'Get a fresh token from your identity provider (token or token_file_path).' });
    case '390189':
      return connectionError('ROLE_NOT_GRANTED', message, { ...options, suggestion: `Use a role granted to the user (SHOW GRANTS TO USER ${context.user ?? '<USER>'};) or ask an admin: GRANT ROLE ${role} TO USER ${context.user ?? '<USER>'};` });
    case '394400':
      return connectionError('PAT_EXPIRED', `The programmatic access token of user ${user} has expired: ${message}`, {
        ...options,
        suggestion: `Create a new one: ALTER USER ${user} ADD PROGRAMMATIC ACCESS TOKEN batch_snowflake_2 DAYS_TO_EXPIRY = 90; then put its token_secret in SNOWFLAKE_TOKEN (or token_file_path). A key pair does not expire: see DESC USER ${user}; RSA_PUBLIC_KEY.`,
      });
    case '394507':
      return connectionError('MFA_PASSCODE_REJECTED', message, { ...options, suggestion: 'Enter a current passcode from your authenticator app (SNOWFLAKE_PASSCODE or the prompt), or leave it empty to get a Duo push.' });
    case '394508':
      return connectionError('MFA_PUSH_NOT_APPROVED', message, { ...options, suggestion: 'Approve the Duo push on your phone when it arrives (it times out), or give a passcode instead (SNOWFLAKE_PASSCODE or the prompt). For unattended runs use a key pair: set authenticator = "SNOWFLAKE_JWT".' });
    case '390104':
    case '390111':
    case '390112':
    case '390114':
      return connectionError('SESSION_EXPIRED', `The Snowflake session ended: ${message}`, { ...options, suggestion: 'Run the command again to log in anew.' });
    case '003001': {
      const object = message.match(/operate on ([a-z ]+?) '([^']+)'/i);
      const grant = object ? `GRANT <PRIVILEGE> ON ${object[1]!.toUpperCase()} ${object[2]} TO ROLE ${role};` : `GRANT <PRIVILEGE> ON <OBJECT> TO ROLE ${role};`;
      return permissionError('INSUFFICIENT_PRIVILEGES', message, { ...options, suggestion: `Ask an admin to run: ${grant} (SHOW GRANTS TO ROLE ${role}; lists what the role has).` });
    }
    case '002003': {
      const name = quoted(message, /'([^']+)' does not exist/);
      return sqlError('OBJECT_MISSING', message, {
        ...options,
        suggestion: `Check the name${name ? ` ${name}` : ''} (SHOW ... LIKE), or, if it exists, grant the role access (e.g. GRANT USAGE ON DATABASE/SCHEMA ... TO ROLE ${role}; GRANT SELECT ON VIEW ... TO ROLE ${role};).`,
      });
    }
    case '000606':
      return sqlError('WAREHOUSE_MISSING', message, { ...options, suggestion: `Pass --warehouse NAME (or set warehouse in the connection); the role needs GRANT USAGE ON WAREHOUSE <NAME> TO ROLE ${role};` });
    case '395054':
    case '509009':
      return sqlError('SPCS_UNAVAILABLE', message, { ...options, suggestion: 'Snowpark Container Services / external access are not available on this account (trial accounts and government regions lack them). Ask your Snowflake account admin to use an account where SPCS is enabled.' });
    case '001003':
      return sqlError('SQL_SYNTAX', message, options);
    case '000604':
      return sqlError('QUERY_CANCELLED', message, options);
    case '000630': {
      // 000630 / 57014 is the documented statement timeout. The code of "Warehouse 'X' cannot be resumed because
      // resource monitor … exceeded its quota" is not documented (the message is seen in users' reports): the message
      // decides, below, whatever code comes with it.
      if (/warehouse '[^']+'.*(suspended|cannot be resumed)/i.test(message)) break;
      // STATEMENT_TIMEOUT_IN_SECONDS: the lowest non-zero of the warehouse's and the session's applies, and a session
      // that sets none takes its user's, else the account's (https://docs.snowflake.com/en/sql-reference/parameters
      // #statement-timeout-in-seconds and "Parameter hierarchy and types" on the same page).
      const warehouse = context.warehouse ?? '<WAREHOUSE>';
      return sqlError('STATEMENT_TIMEOUT', message, {
        ...options,
        suggestion:
          `Raise the timeout: the lowest non-zero of the warehouse's and the session's applies, and the session takes its user's, else the account's ` +
          `(SHOW PARAMETERS LIKE 'STATEMENT_TIMEOUT_IN_SECONDS' IN USER ${user} shows the level): ALTER WAREHOUSE ${warehouse} SET STATEMENT_TIMEOUT_IN_SECONDS = 7200; ` +
          `ALTER USER ${user} SET STATEMENT_TIMEOUT_IN_SECONDS = 7200; (or ALTER ACCOUNT SET …, as ACCOUNTADMIN); or use a larger warehouse.`,
      });
    }
  }
  if (/warehouse '([^']+)'.*(suspended|cannot be resumed)/i.test(message)) {
    const warehouse = quoted(message, /warehouse '([^']+)'/i) ?? '<NAME>';
    return sqlError('WAREHOUSE_SUSPENDED', message, { ...options, suggestion: `Resume it: ALTER WAREHOUSE ${warehouse} RESUME; (needs OPERATE on the warehouse), or pass another --warehouse.` });
  }
  if (/role '([^']+)' is not (assigned|granted)/i.test(message)) {
    const missing = quoted(message, /role '([^']+)'/i) ?? role;
    return permissionError('ROLE_NOT_GRANTED', message, { ...options, suggestion: `Ask an admin: GRANT ROLE ${missing} TO USER ${context.user ?? '<USER>'}; or pass another --role.` });
  }
  if (code.startsWith('390') || (context.phase === 'login' && /^\d{6}$/.test(code) && !code.startsWith('40'))) return connectionError('LOGIN_FAILED', `Snowflake refused the login: ${message}`, { ...options, suggestion: 'Check the connection settings (authenticator, user, role) with `snow connection test`.' });
  if (/^404\d{3}$/.test(code)) return usageError('CONNECTION_OPTIONS_INVALID', message, { ...options, suggestion: 'Fix the connection settings (flags, SNOWFLAKE_* variables or ~/.snowflake/connections.toml).' });
  if (/^401\d{3}$/.test(code)) return connectionError('SNOWFLAKE_RESPONSE_FAILURE', `Snowflake at ${context.target} answered with an error: ${message}`, { ...options, suggestion: 'Check the account identifier and host; retry later if Snowflake is degraded.' });
  if (/^\d{6}$/.test(code)) return sqlError('SQL_ERROR', message, options);
  return error;
}

/**
 * The driver's 402001 / 402002 (error_code.js ERR_LARGE_RESULT_SET_NETWORK_COULD_NOT_CONNECT / _RESPONSE_FAILURE):
 * a chunk of a large result could not be downloaded from Snowflake's result storage, after the driver's retries.
 */
function largeResultError(error: unknown, context: ErrorContext): unknown {
  const code = String((error as { code?: unknown })?.code);
  if (code !== '402001' && code !== '402002') return null;
  return connectionError('RESULT_DOWNLOAD_FAILED', `Reading a large result from Snowflake at ${context.target} broke off: a result chunk could not be downloaded (${(error as Error).message}).`, {
    cause: error,
    details: { snowflakeCode: code },
    suggestion: "Rerun: nothing is lost (rows leave the outbox only once Batch accepted them). If it repeats, allow the account's result storage (stage) host through the firewall / proxy / network rule.",
  });
}
