/**
 * What a worker run from this machine needs besides its arguments (`sync`, and `run --limit/--ids`): a
 * connection that needs no person when there is no terminal, the Batch REST API key, and the worker's env.
 */
import type { CommandContext } from '../runtime/context.js';
import { connectionError, usageError } from '../../shared/errors.js';
import type { SnowflakeConnectionOptions } from '../../shared/snowflake/types.js';
import type { Installed } from '../operate/installed.js';
import { DEFAULT_BATCH_API_HOST } from '../config/answers.js';
import { batchApiUrl } from '../plan/task-steps.js';
import { readAllStdin, REST_KEY_ENV, suppliedRestKey } from '../wizard/rest-key.js';

/** Authenticators that need a person at the keyboard (a browser window, an MFA push or passcode). */
const INTERACTIVE_AUTHENTICATORS = new Set(['EXTERNALBROWSER', 'USERNAME_PASSWORD_MFA']);

function refuseInteractive(authenticator: string): Error {
  return connectionError('INTERACTIVE_AUTH_WITHOUT_TTY', `The connection uses authenticator ${authenticator.toLowerCase()}, which needs a person (a browser or an MFA approval), and this run has no terminal to ask one.`, {
    suggestion: 'For scheduled runs use a key pair (private_key_file, passphrase in PRIVATE_KEY_PASSPHRASE), a programmatic access token (authenticator programmatic_access_token, token in SNOWFLAKE_TOKEN) or OAuth; pass --interactive to run it by hand.',
  });
}

/** The install's role and warehouse on this CLI's connection, as the task's SNOWFLAKE_ROLE / SNOWFLAKE_WAREHOUSE would set them. */
export async function workerConnection(installed: Installed, context: CommandContext): Promise<() => Promise<SnowflakeConnectionOptions>> {
  const resolved = await context.snowflake.resolve();
  const authenticator = (resolved.options.authenticator ?? 'SNOWFLAKE').toUpperCase();
  if (INTERACTIVE_AUTHENTICATORS.has(authenticator) && !context.interactive) throw refuseInteractive(authenticator);
  const { role, warehouse } = installed.answers;
  return async () => ({ ...resolved.options, role, warehouse });
}

/**
 * The REST API key for a run from here: none needed when the worker reads it from the credentials table;
 * else env, stdin, or (given) the key init already holds. `where` says why it is needed, for the error.
 */
export async function restKey(installed: Installed, context: CommandContext, options: { restApiKeyStdin: boolean; optional?: boolean; known?: string }): Promise<string | undefined> {
  if (installed.answers.credentials === 'table') return undefined;
  if (options.known !== undefined) return options.known;
  const key = await suppliedRestKey({ env: context.env }, options.restApiKeyStdin, () => readAllStdin());
  if (key !== undefined || options.optional) return key;
  const spcs = installed.answers.runner !== 'external';
  throw usageError('REST_API_KEY_MISSING', spcs
    ? `No Batch REST API key: this runs from here, and the key is in a Snowflake SECRET that only the job can read. ${REST_KEY_ENV} is not set.`
    : `No Batch REST API key: ${REST_KEY_ENV} is not set in this environment (this install keeps the key out of Snowflake).`, {
    suggestion: spcs
      ? `Set ${REST_KEY_ENV} for this command (the key you gave init), or pipe it with --rest-api-key-stdin.`
      : `Set ${REST_KEY_ENV} in the scheduler's environment from its secret store (GitHub Actions: env: ${REST_KEY_ENV}: \${{ secrets.${REST_KEY_ENV} }}; Kubernetes: a secretKeyRef), or pipe it with --rest-api-key-stdin.`,
  });
}

export function workerEnv(installed: Installed, context: CommandContext, key: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...context.env };
  delete env[REST_KEY_ENV];
  if (key !== undefined) env[REST_KEY_ENV] = key;
  const host = installed.answers.batchApiHost;
  if (host !== DEFAULT_BATCH_API_HOST) env.BATCH_API_URL = batchApiUrl(host);
  return env;
}

/**
 * Commands that run several syncs (run, verify without --sync): stdin holds one key, read once here and handed
 * to each sync's run through the context's env (in memory, never argv); `restApiKeyStdin` is then false.
 */
export async function withStdinKeyOnce(context: CommandContext, restApiKeyStdin: boolean): Promise<CommandContext> {
  if (!restApiKeyStdin) return context;
  const key = await suppliedRestKey({ env: context.env }, true, () => readAllStdin());
  return key === undefined ? context : { ...context, env: { ...context.env, [REST_KEY_ENV]: key } };
}
