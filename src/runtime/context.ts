/**
 * What every command handler runs with (built once by the CLI shell, src/cli/main.ts) and returns. Lower
 * layers (wizard, operate) take a Pick<> of it, so they depend on this contract, not on the CLI.
 */
import type { ConnectionFlags, ResolvedConnection } from '../../shared/snowflake/connection-config.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import type { Output } from '../adapters/ui/output.js';

export interface CommandContext {
  /** Working folder (never chdir; resolve relative paths against this). */
  cwd: string;
  /** --config PATH, resolved against cwd (default ./batch-snowflake.json). */
  configPath: string;
  json: boolean;
  /** Prompts allowed: stdin and stdout are TTYs, CI unset, not --json; --interactive/--no-interactive win. */
  interactive: boolean;
  /** --yes: confirmations are answered yes. */
  yes: boolean;
  verbose: boolean;
  env: NodeJS.ProcessEnv;
  output: Output;
  /** Aborted on Ctrl-C (SIGINT): stop work, leave files as they were. */
  signal: AbortSignal;
  /** The shared connection flags, unresolved (-c, --account, ...). */
  connectionFlags: ConnectionFlags;
  snowflake: {
    /** Resolves the connection (prompting for a missing password only when interactive). */
    resolve(): Promise<ResolvedConnection>;
    /** Resolves and logs in; the caller must destroy() the session (use try/finally). */
    connect(): Promise<SnowflakeSession>;
  };
}

export interface CommandOutcome {
  /** Goes into the --json envelope as `result` (never secrets). */
  result: unknown;
  /** Human summary printed on stdout when not --json. */
  text?: string;
  /** Exit code when the command completed but wants to signal a state (e.g. status: failing). Default 0. */
  exitCode?: number;
}

export type CommandImplementation<Options> = (options: Options, context: CommandContext) => Promise<CommandOutcome>;
