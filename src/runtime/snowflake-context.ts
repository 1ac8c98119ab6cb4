/**
 * `context.snowflake` for commands: resolves the connection from the shared flags and Snowflake's own
 * configuration, asks for a missing password/passcode with hidden input only when interactive, prints
 * warnings and (with --verbose) the connection used, then logs in. snowflake-sdk and @inquirer/prompts are
 * loaded only here, on first use.
 */
import type { ConnectionFlags, PromptSecret, ResolvedConnection } from '../../shared/snowflake/connection-config.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import type { Output } from '../adapters/ui/output.js';
import { UserError } from '../../shared/errors.js';
import type { CommandContext } from './context.js';

export interface SnowflakeContextInput {
  connectionFlags: ConnectionFlags;
  interactive: boolean;
  env: NodeJS.ProcessEnv;
  output: Output;
  signal: AbortSignal;
}

function hiddenPrompt(signal: AbortSignal): PromptSecret {
  return async (_name, message) => {
    const { password } = await import('@inquirer/prompts');
    // Prompts render on stderr so that stdout keeps only the result.
    return password({ message, mask: false }, { output: process.stderr, signal });
  };
}

export function createSnowflakeContext(input: SnowflakeContextInput): CommandContext['snowflake'] {
  let resolved: Promise<ResolvedConnection> | undefined;
  const resolve = (): Promise<ResolvedConnection> => {
    resolved ??= (async () => {
      const { resolveConnection } = await import('../../shared/snowflake/connection-config.js');
      const connection = await resolveConnection(input.connectionFlags, {
        env: input.env,
        ...(input.interactive ? { promptSecret: hiddenPrompt(input.signal) } : {}),
      });
      for (const warning of connection.warnings) input.output.warn(warning);
      input.output.debug(`Using ${connection.describe()}`);
      return connection;
    })();
    return resolved;
  };
  return {
    resolve,
    async connect(): Promise<SnowflakeSession> {
      const connection = await resolve();
      const client = await import('../../shared/snowflake/client.js');
      const started = performance.now();
      const session = await client.connect(connection.options);
      const loadMs = client.driverLoadTimeMs();
      input.output.debug(`Connected in ${Math.round(performance.now() - started)} ms (driver load ${loadMs === undefined ? '?' : Math.round(loadMs)} ms)`);
      return session;
    },
  };
}

/** Whether any Snowflake connection is configured: offline dry runs (init, uninstall) need none. */
export async function connectionConfigured(context: CommandContext): Promise<boolean> {
  try {
    await context.snowflake.resolve();
    return true;
  } catch (error) {
    if (error instanceof UserError && error.code === 'ACCOUNT_MISSING') return false;
    throw error;
  }
}
